import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { FreeswitchCommandError, FreeswitchUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { commands, type FsCommand, type FsExecute } from './commands.js';
import type { EslEvent } from './esl-codec.js';
import { EslConnectError, EslConnection } from './esl-connection.js';
import { MAPPED_HEADERS, mapEvent } from './esl-event-map.js';
import type { Executed, SwitchPort } from './switch.port.js';
import type { SwitchConnectionState, SwitchStatus } from './switch-status.js';
import { SUBSCRIBED_EVENTS, type SwitchEventName, type SwitchEvents } from './switch.types.js';

export interface EslSwitchOptions {
  host: string;
  port: number;
  password: string;
  log: Logger;
  clock: Clock;
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Reconnect delays grow from the first to the cap, with jitter so restarts do not stampede. */
  backoff?: { firstMs: number; maxMs: number };
  /** How often the controller's lease is renewed; the dialplan trusts it for three times as long. */
  leaseEveryMs?: number;
}

/** The global variable the generated dialplan reads to know whether the controller is there (README.md). */
export const LEASE_VARIABLE = 'callbox_lease';

type Listener = (e: never) => void;

/**
 * The SwitchPort over the event socket: one inbound connection, an explicit event list (never ALL: a slow
 * consumer of ALL gets its listener killed by FreeSWITCH), reconnect with capped backoff and re-subscribe
 * after a restart, a timeout on every command, and fail-fast while disconnected (no queueing of commands
 * for a switch that may never come back).
 */
export class EslSwitch implements SwitchPort {
  private conn: EslConnection | null = null;
  private state: SwitchConnectionState = 'connecting';
  private since: number;
  private detail = 'connecting to FreeSWITCH';
  private version = '';
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly connectionListeners = new Set<(c: boolean) => void>();
  /** sendmsg executions waiting for their CHANNEL_EXECUTE_COMPLETE, by the Event-UUID we gave them. */
  private readonly executions = new Map<string, { uuid: string; resolve(r: Executed): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  private readonly log: Logger;
  private readonly commandTimeoutMs: number;
  private readonly backoff: { firstMs: number; maxMs: number };

  constructor(private readonly o: EslSwitchOptions) {
    this.log = o.log.child({ module: 'freeswitch' });
    this.since = o.clock.now();
    this.commandTimeoutMs = o.commandTimeoutMs ?? 5000;
    this.backoff = o.backoff ?? { firstMs: 500, maxMs: 30_000 };
    this.on('channel.executed', (e) => this.settleExecution(e.applicationUuid, { response: e.response, vars: e.vars }));
    this.on('channel.hungup', (e) => {
      for (const [id, x] of this.executions) if (x.uuid === e.uuid) this.failExecution(id, new FreeswitchCommandError('switch.channel_gone', { uuid: e.uuid }, { message: 'the call ended' }));
    });
  }

  get isConnected(): boolean {
    return this.state === 'connected';
  }

  /** Start connecting; resolves at once (boot does not wait for FreeSWITCH). */
  start(): void {
    this.stopped = false;
    void this.connectOnce();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    if (this.conn?.isOpen) {
      // Give the lease back, so calls arriving while we are gone go to their fallback at once.
      await this.conn.api(commands.globalSetvar(LEASE_VARIABLE, '0'), 1000).catch((err: unknown) => this.log.warn({ err }, 'could not give the lease back'));
    }
    this.conn?.close('controller stopping');
    this.conn = null;
  }

  status(): SwitchStatus {
    return { state: this.state, since: new Date(this.since).toISOString(), detail: this.detail };
  }

  get switchVersion(): string {
    return this.version;
  }

  async api(cmd: FsCommand): Promise<string> {
    return this.connection().api(cmd, this.commandTimeoutMs);
  }

  async bgapi(cmd: FsCommand, timeoutMs = 60_000): Promise<string> {
    return this.connection().bgapi(cmd, timeoutMs);
  }

  async execute(x: FsExecute, timeoutMs = 10 * 60_000): Promise<Executed> {
    const conn = this.connection();
    const id = randomUUID();
    const done = new Promise<Executed>((resolve, reject) => {
      const timer = setTimeout(() => this.failExecution(id, new FreeswitchCommandError('switch.timeout', { app: x.app }, { message: `${x.app} did not finish in time` })), timeoutMs);
      this.executions.set(id, { uuid: x.uuid, resolve, reject, timer });
    });
    const headers: Record<string, string> = { 'call-command': 'execute', 'execute-app-name': x.app, 'Event-UUID': id };
    try {
      // A long argument goes in the body, as mod_event_socket allows; short ones as a header.
      const reply = x.arg.length > 200
        ? await conn.command(`sendmsg ${x.uuid}`, this.commandTimeoutMs, headers, x.arg)
        : await conn.command(`sendmsg ${x.uuid}`, this.commandTimeoutMs, { ...headers, 'execute-app-arg': x.arg });
      const text = reply.headers['Reply-Text'] ?? '';
      if (!text.startsWith('+OK')) throw new FreeswitchCommandError('switch.command_failed', { app: x.app }, { message: `FreeSWITCH refused ${x.app}: ${text}` });
    } catch (e) {
      this.failExecution(id, e as Error);
    }
    return done;
  }

  on<K extends SwitchEventName>(name: K, fn: (e: SwitchEvents[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn as Listener);
    return () => set.delete(fn as Listener);
  }

  onConnection(fn: (connected: boolean) => void): () => void {
    this.connectionListeners.add(fn);
    return () => this.connectionListeners.delete(fn);
  }

  /** Deliver one raw event (exposed for the ingestion benchmark, which measures exactly this path). */
  ingest(e: EslEvent): void {
    const mapped = mapEvent(e);
    if (!mapped) return;
    const set = this.listeners.get(mapped.name);
    if (!set) return;
    for (const fn of set) {
      try {
        (fn as (d: unknown) => void)(mapped.data);
      } catch (err) {
        // A listener's bug must not break the socket or the other listeners.
        this.log.error({ err, event: mapped.name }, 'switch event listener failed');
      }
    }
  }

  private connection(): EslConnection {
    if (!this.conn?.isOpen) {
      throw new FreeswitchUnavailableError('switch.unavailable', {}, { message: `FreeSWITCH is not connected: ${this.detail}` });
    }
    return this.conn;
  }

  private async connectOnce(): Promise<void> {
    this.retryTimer = null;
    if (this.stopped) return;
    // While retrying the state stays "not connected" with its reason, rather than flickering to "connecting".
    if (this.attempt === 0) this.setState('connecting', `connecting to ${this.o.host}:${this.o.port}`);
    let conn: EslConnection;
    try {
      conn = await EslConnection.connect({ host: this.o.host, port: this.o.port, password: this.o.password, connectTimeoutMs: this.o.connectTimeoutMs ?? 5000, keepHeader: MAPPED_HEADERS });
    } catch (e) {
      return this.scheduleRetry(e instanceof EslConnectError ? e.message : (e as Error).message);
    }
    if (this.stopped) return conn.close('controller stopping');
    conn.onEvent((e) => this.ingest(e));
    conn.onClose((reason) => {
      if (this.conn !== conn) return;
      this.conn = null;
      for (const [id] of this.executions) this.failExecution(id, new FreeswitchUnavailableError('switch.unavailable', {}, { message: `connection lost: ${reason}` }));
      if (this.stopped) return;
      this.log.warn({ reason }, 'FreeSWITCH connection lost; reconnecting');
      this.emitConnection(false);
      this.scheduleRetry(`connection lost: ${reason}`);
    });
    try {
      // Plain, not json: only the headers the mapping reads are decoded, where json must parse all ~200.
      const events = SUBSCRIBED_EVENTS.join(' ');
      const reply = await conn.command(`event plain ${events}`, this.commandTimeoutMs);
      if (!reply.headers['Reply-Text']?.startsWith('+OK')) throw new Error(`subscription refused: ${reply.headers['Reply-Text']}`);
      this.version = (await conn.api('version', this.commandTimeoutMs)).trim();
    } catch (e) {
      conn.close(`setup failed: ${(e as Error).message}`);
      return;
    }
    this.conn = conn;
    this.attempt = 0;
    const release = /\d+\.\d+\.\d+[^\s(]*/.exec(this.version)?.[0] ?? this.version;
    this.setState('connected', `connected to FreeSWITCH ${release} at ${this.o.host}:${this.o.port}`);
    this.log.info({ version: this.version }, 'FreeSWITCH connected');
    this.emitConnection(true);
    this.leaseTimer ??= setInterval(() => void this.renewLease(), this.o.leaseEveryMs ?? 5000);
    this.leaseTimer.unref();
    await this.renewLease();
  }

  private async renewLease(): Promise<void> {
    if (!this.conn?.isOpen) return;
    const until = Math.floor(this.o.clock.now() / 1000) + Math.ceil((3 * (this.o.leaseEveryMs ?? 5000)) / 1000);
    try {
      await this.conn.api(commands.globalSetvar(LEASE_VARIABLE, String(until)), this.commandTimeoutMs);
    } catch (err) {
      this.log.warn({ err }, 'could not renew the controller lease');
    }
  }

  private scheduleRetry(reason: string): void {
    if (this.stopped) return;
    const base = Math.min(this.backoff.maxMs, this.backoff.firstMs * 2 ** this.attempt);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempt++;
    this.setState('not_connected', `${reason}; retrying in ${Math.max(1, Math.round(delay / 1000))} s`);
    if (this.attempt === 1 || this.attempt % 10 === 0) this.log.warn({ reason, attempt: this.attempt, delayMs: delay }, 'FreeSWITCH not reachable');
    this.retryTimer = setTimeout(() => void this.connectOnce(), delay);
    this.retryTimer.unref();
  }

  private setState(state: SwitchConnectionState, detail: string): void {
    if (state !== this.state) this.since = this.o.clock.now();
    this.state = state;
    this.detail = detail;
  }

  private emitConnection(connected: boolean): void {
    for (const fn of this.connectionListeners) {
      try {
        fn(connected);
      } catch (err) {
        this.log.error({ err }, 'connection listener failed');
      }
    }
  }

  private settleExecution(applicationUuid: string | null, done: Executed): void {
    const x = applicationUuid ? this.executions.get(applicationUuid) : undefined;
    if (!x) return;
    clearTimeout(x.timer);
    this.executions.delete(applicationUuid!);
    x.resolve(done);
  }

  private failExecution(id: string, e: Error): void {
    const x = this.executions.get(id);
    if (!x) return;
    clearTimeout(x.timer);
    this.executions.delete(id);
    x.reject(e);
  }
}
