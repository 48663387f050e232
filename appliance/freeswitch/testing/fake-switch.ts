import type { FsCommand, FsExecute } from '../commands.js';
import type { Executed, SwitchPort } from '../switch.port.js';
import type { SwitchStatus } from '../switch-status.js';
import type { SwitchEventName, SwitchEvents } from '../switch.types.js';

/**
 * The in-process switch for service tests: it records every command, answers from rules the test sets,
 * and emits domain events on demand. Fast and synchronous where FreeSWITCH would be neither.
 */
export class FakeSwitch implements SwitchPort {
  readonly sent: { kind: 'api' | 'bgapi' | 'execute'; text: string }[] = [];
  private connected = true;
  private readonly listeners = new Map<string, Set<(e: never) => void>>();
  private readonly connectionListeners = new Set<(c: boolean) => void>();
  /** Answer api/bgapi commands: return a body (or a promise of one, for a slow originate), or throw to simulate -ERR. Default '+OK\n'. */
  respond: (text: string) => string | Promise<string> = () => '+OK\n';
  /** Finish an application: its Application-Response (and variables). Default 'FILE PLAYED' / '+OK'. */
  finish: (x: FsExecute) => string | Executed | Promise<string | Executed> = (x) => (x.app === 'playback' ? 'FILE PLAYED' : '+OK');

  get isConnected(): boolean {
    return this.connected;
  }

  status(): SwitchStatus {
    return { state: this.connected ? 'connected' : 'not_connected', since: new Date(0).toISOString(), detail: this.connected ? 'fake switch' : 'fake switch is down' };
  }

  setConnected(connected: boolean): void {
    this.connected = connected;
    for (const fn of this.connectionListeners) fn(connected);
  }

  async api(cmd: FsCommand): Promise<string> {
    this.record('api', cmd);
    return this.respond(cmd);
  }

  async bgapi(cmd: FsCommand): Promise<string> {
    this.record('bgapi', cmd);
    return this.respond(cmd);
  }

  async execute(x: FsExecute): Promise<Executed> {
    this.record('execute', `${x.app} ${x.arg}`.trim() + ` @${x.uuid}`);
    const done = await this.finish(x);
    return typeof done === 'string' ? { response: done, vars: {} } : done;
  }

  on<K extends SwitchEventName>(name: K, fn: (e: SwitchEvents[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn as (e: never) => void);
    return () => set.delete(fn as (e: never) => void);
  }

  onConnection(fn: (connected: boolean) => void): () => void {
    this.connectionListeners.add(fn);
    return () => this.connectionListeners.delete(fn);
  }

  emit<K extends SwitchEventName>(name: K, data: SwitchEvents[K]): void {
    for (const fn of this.listeners.get(name) ?? []) (fn as (d: SwitchEvents[K]) => void)(data);
  }

  /** What was sent, as text lines, for assertions. */
  lines(): string[] {
    return this.sent.map((s) => `${s.kind} ${s.text}`);
  }

  private record(kind: 'api' | 'bgapi' | 'execute', text: string): void {
    if (!this.connected) throw new Error('fake switch is down');
    this.sent.push({ kind, text });
  }
}
