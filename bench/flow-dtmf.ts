/**
 * Flow reaction time (DESIGN §7: from a switch event to the next command, p99 under 5 ms at 500 concurrent
 * calls). 500 calls run a published IVR flow at once through the real FlowRunner: engine, node kinds, FlowCall,
 * CallControl, the command builders and the flow_runs writes to a SQLite file in WAL mode, migrated as at boot.
 * The flow: a welcome, then a menu (keys 1–3) whose every key plays a line and asks again.
 *
 * The switch is a stand-in SwitchPort: a playback finishes after a while, and play_and_get_digits after the caller
 * "thinks", with a random key (the times depend on the pace, below). Measured, per key: from the moment that completion (the DTMF
 * answer) is handed to the controller to the moment the controller sends that call's next command. After a number of
 * keys a caller hangs up (the question fails with switch.channel_gone and channel.hungup is emitted) and a new
 * call parks in its place, so 500 calls stay in flows until the target number of keys is reached. A second figure
 * counts from when the key was due (its timer's time), so it includes the wait behind other calls' work in the
 * event loop: at this offered load (every caller presses a key every 5–50 ms) the controller's one core is the
 * limit, and that figure shows it.
 *
 * Speech: the runner gets a PromptFiles stub whose speak() resolves to one pre-rendered file. In production
 * speech is rendered once per text and voice and cached by hash; this measures the controller, not espeak-ng.
 *
 * Two paces (see PACE): `callers` (default) is 500 people in menus; `stress` offers far more keys than one core
 * can take, so its second figure is mostly queueing and its keys/s is the capacity.
 *
 * Run: npm run bench:flows [keys] [calls=500] [callers|stress]
 *  (npm run build && node --expose-gc dist/bench/flow-dtmf.js)
 */
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isoNow, systemClock } from '../appliance/clock.js';
import { openDatabase } from '../appliance/db/database.js';
import { loadMigrations, migrate } from '../appliance/db/migrate.js';
import { FreeswitchCommandError } from '../appliance/errors.js';
import type { FsCommand, FsExecute } from '../appliance/freeswitch/commands.js';
import type { Executed, SwitchPort } from '../appliance/freeswitch/switch.port.js';
import type { SwitchStatus } from '../appliance/freeswitch/switch-status.js';
import type { ChannelInfo, HangupInfo, SwitchEventName, SwitchEvents } from '../appliance/freeswitch/switch.types.js';
import { silentLogger } from '../appliance/logger.js';
import { AuditService } from '../appliance/modules/audit/audit.service.js';
import { FlowRunner } from '../appliance/modules/flows/flow-runner.js';
import { FlowService } from '../appliance/modules/flows/flows.service.js';
import type { Actor } from '../appliance/modules/users/users.types.js';

const MODE = process.argv[4] === 'stress' ? 'stress' : 'callers';
const TARGET_KEYS = Number(process.argv[2] ?? (MODE === 'stress' ? 20_000 : 6_000));
const CALLS = Number(process.argv[3] ?? 500);
/**
 * callers: people listening to prompts (0.5–3 s each) and taking 1–4 s to press a key: the load DESIGN's budget
 * is about. stress: prompts of 1–5 ms and keys every 5–50 ms, far past any real IVR, to find the capacity.
 */
const PACE = MODE === 'stress' ? { think: [5, 51], play: [1, 6] } : { think: [1000, 4001], play: [500, 3001] };
const PROMPT = '/var/lib/callbox/sounds/tts/bench.wav';
const actor: Actor = { userId: null, name: 'bench', ip: '127.0.0.1' };
const gc = (globalThis as { gc?: () => void }).gc;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

/** A switch that answers at once and finishes applications on timers, timing each call's DTMF → next command. */
class BenchSwitch implements SwitchPort {
  readonly isConnected = true;
  readonly latencies: number[] = [];
  /** The same, counted from when the key was due: includes the wait behind other calls' work in the event loop. */
  readonly waited: number[] = [];
  /** Per call: when its last key was due and when it was handed over, until its next command goes out. */
  private readonly keyAt = new Map<string, { due: number; handed: number }>();
  private readonly keysLeft = new Map<string, number>();
  private readonly listeners = new Map<string, Set<(e: never) => void>>();
  events = 0;
  commands = 0;
  endedCalls = 0;
  onCallEnded: () => void = () => {};

  status(): SwitchStatus {
    return { state: 'connected', since: new Date(0).toISOString(), detail: 'bench switch' };
  }

  async api(cmd: FsCommand): Promise<string> {
    this.sent(/^uuid_\w+ ([0-9a-f-]{36})/.exec(cmd)?.[1]);
    if (cmd === 'show channels as json') return '{"row_count": 0}';
    if (cmd.startsWith('uuid_exists')) return 'false';
    return '+OK\n';
  }

  async bgapi(cmd: FsCommand): Promise<string> {
    return this.api(cmd);
  }

  execute(x: FsExecute): Promise<Executed> {
    this.sent(x.uuid);
    return new Promise((resolve, reject) => {
      if (x.app === 'play_and_get_digits') {
        const left = this.keysLeft.get(x.uuid)! - 1;
        this.keysLeft.set(x.uuid, left);
        const think = randomInt(PACE.think[0]!, PACE.think[1]!);
        const due = performance.now() + think;
        setTimeout(() => {
          this.events++;
          if (left < 0) return this.hangup(x.uuid, reject);
          const variable = x.arg.split(' ')[7]!.slice('callbox_'.length);
          this.keyAt.set(x.uuid, { due, handed: performance.now() });
          resolve({ response: '', vars: { [variable]: String(randomInt(1, 4)) } });
        }, think);
      } else {
        setTimeout(() => {
          this.events++;
          resolve({ response: x.app === 'playback' ? 'FILE PLAYED' : '+OK', vars: {} });
        }, x.app === 'playback' ? randomInt(PACE.play[0]!, PACE.play[1]!) : 0);
      }
    });
  }

  on<K extends SwitchEventName>(name: K, fn: (e: SwitchEvents[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn as (e: never) => void);
    return () => set.delete(fn as (e: never) => void);
  }

  onConnection(): () => void {
    return () => {};
  }

  /** A new caller, parked for the flow. */
  park(flowId: number, keys: number): void {
    const uuid = randomUUID();
    this.keysLeft.set(uuid, keys);
    this.events++;
    this.emit('channel.parked', channel(uuid, flowId));
  }

  private hangup(uuid: string, reject: (e: Error) => void): void {
    this.keysLeft.delete(uuid);
    this.keyAt.delete(uuid);
    this.emit('channel.hungup', { ...channel(uuid, 0), cause: 'NORMAL_CLEARING', causeQ850: 16, disposition: 'recv_bye', createdAt: null, answeredAt: null, hungupAt: null, billsec: 0, duration: 0, media: null } satisfies HangupInfo);
    reject(new FreeswitchCommandError('switch.channel_gone', { uuid }, { message: 'the call ended' }));
    this.endedCalls++;
    this.onCallEnded();
  }

  private sent(uuid: string | undefined): void {
    this.commands++;
    if (!uuid) return;
    const at = this.keyAt.get(uuid);
    if (at === undefined) return;
    const now = performance.now();
    this.latencies.push(now - at.handed);
    this.waited.push(now - Math.min(at.due, at.handed));
    this.keyAt.delete(uuid);
  }

  private emit<K extends SwitchEventName>(name: K, data: SwitchEvents[K]): void {
    for (const fn of this.listeners.get(name) ?? []) (fn as (d: SwitchEvents[K]) => void)(data);
  }
}

function channel(uuid: string, flowId: number): ChannelInfo {
  return { uuid, callUuid: uuid, direction: 'inbound', channelName: 'sofia/external/bench', callerNumber: '+4930111222', callerName: '', destination: 'enter', context: 'callbox', otherUuid: null, loopbackUuid: null, vars: { flow_id: String(flowId), dialed: '+4930999888' }, at: Date.now() };
}

const dir = mkdtempSync(join(tmpdir(), 'callbox-bench-flows-'));
try {
  const db = openDatabase(join(dir, 'callbox.db'));
  await migrate(db, { migrations: await loadMigrations(), backupDir: join(dir, 'backups'), clock: systemClock, log: silentLogger() });
  const flows = new FlowService({
    db,
    clock: systemClock,
    audit: new AuditService({ db, clock: systemClock }),
    publish: () => {},
    usedBy: () => [],
    extensionExists: () => false,
    lookups: { promptReady: () => true, promptName: () => 'bench', extensionNumber: () => null, voicemailBox: () => null, flowName: () => 'Bench', queueName: () => null },
  });

  // Welcome → menu (1–3) → a line per key → the menu again, as an admin would build it in the editor.
  const id = flows.create({ name: 'Bench', fallbackKind: 'hangup' }, actor).id;
  flows.addNode(id, { kind: 'menu', from: 'n1:next' }, actor);
  for (const key of ['1', '2', '3']) flows.addNode(id, { kind: 'play', from: `n3:${key}` }, actor);
  flows.deleteNode(id, 'n2', actor);
  flows.updateNode(id, 'n1', { name: 'Welcome', prompt_say: 'Welcome to the bench.', next_next: 'n3' }, actor);
  flows.updateNode(id, 'n3', { name: 'Menu', prompt_say: 'Press 1, 2 or 3.', options: '1 One\n2 Two\n3 Three', timeoutSeconds: '5', tries: '3', next_1: 'n4', next_2: 'n5', next_3: 'n6' }, actor);
  for (const [node, key] of [['n4', '1'], ['n5', '2'], ['n6', '3']] as const) flows.updateNode(id, node, { name: `Key ${key}`, prompt_say: `You pressed ${key}.`, next_next: 'n3' }, actor);
  flows.updateSettings(id, { language: 'en', voice: 'en-us', rate: '160', volume: '100', maxSteps: '500', noInput1_say: 'Sorry?', noInputThen: 'fallback', noMatch1_say: 'Sorry.', noMatchThen: 'fallback', start: 'n1' }, actor);
  flows.publish(id, actor);

  const sw = new BenchSwitch();
  const runner = new FlowRunner({
    sw,
    flows,
    queues: { enter: () => Promise.reject(new Error('no queues in this bench')) },
    clock: systemClock,
    log: silentLogger(),
    fetch: () => Promise.reject(new Error('no http in the bench')),
    prompts: { fileOf: () => PROMPT, speak: async () => PROMPT },
    ledger: { append: () => 0 },
  });
  runner.start();

  gc?.();
  const rssBefore = process.memoryUsage().rss;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const startedIso = isoNow(systemClock);
  let parked = 0;
  let assigned = 0;
  let peak = 0;
  const park = () => {
    const keys = MODE === 'stress' ? randomInt(20, 61) : randomInt(4, 13);
    parked++;
    assigned += keys;
    sw.park(id, keys);
  };
  const done = new Promise<void>((resolve) => {
    sw.onCallEnded = () => {
      // A new caller takes the place of one who hung up, until enough keys are on their way.
      if (assigned < TARGET_KEYS) park();
      if (sw.endedCalls === parked) resolve();
    };
  });
  for (let i = 0; i < CALLS; i++) park();
  const sampler = setInterval(() => (peak = Math.max(peak, runner.active)), 50);
  await done;
  clearInterval(sampler);
  // The last runs end as their questions fail: wait for the runner to write them.
  while (runner.active) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  loop.disable();
  const rssAfter = process.memoryUsage().rss;
  gc?.();
  const rssAfterGc = process.memoryUsage().rss;
  runner.stop();

  const runs = db.prepare<[string], { n: number; open: number }>('SELECT COUNT(*) AS n, SUM(ended_at IS NULL) AS open FROM flow_runs WHERE started_at >= ?').get(startedIso)!;
  const outcomes = db.prepare<[], { outcome: string; n: number }>('SELECT outcome, COUNT(*) AS n FROM flow_runs GROUP BY outcome').all();
  db.close();

  const figures = (ms: number[]) => {
    const xs = ms.sort((a, b) => a - b);
    const q = (p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!.toFixed(3);
    return `p50 ${q(0.5)}  p95 ${q(0.95)}  p99 ${q(0.99)}  max ${xs.at(-1)!.toFixed(3)}`;
  };
  const lag = (p: number) => (loop.percentile(p) / 1e6).toFixed(1);
  console.log(`flow DTMF → next command (${MODE}), real FlowRunner over a SQLite file (WAL); speak() is a stub returning a pre-rendered file`);
  console.log(`keys answered: ${sw.latencies.length.toLocaleString()} over ${parked.toLocaleString()} calls, ${CALLS} at once (peak seen in flows: ${peak}), ${seconds.toFixed(1)} s`);
  console.log(`DTMF → next command (ms), from the answer reaching the controller:  ${figures(sw.latencies)}   budget: p99 < 5 ms`);
  console.log(`the same, from when the answer was due (+ event-loop queueing):     ${figures(sw.waited)}`);
  console.log(`event-loop delay (ms): p50 ${lag(50)}  p99 ${lag(99)}  max ${(loop.max / 1e6).toFixed(1)}; CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s over ${seconds.toFixed(1)} s`);
  console.log(`switch events delivered: ${Math.round(sw.events / seconds).toLocaleString()}/s (${sw.events.toLocaleString()}); commands sent: ${Math.round(sw.commands / seconds).toLocaleString()}/s; keys: ${Math.round(sw.latencies.length / seconds).toLocaleString()}/s`);
  console.log(`flow runs written: ${runs.n.toLocaleString()} (${runs.open ?? 0} left open); outcomes: ${outcomes.map((o) => `${o.outcome} ${o.n}`).join(', ')}`);
  console.log(`RSS before ${mib(rssBefore)}, after ${mib(rssAfter)}${gc ? `, after gc ${mib(rssAfterGc)}` : ' (run with --expose-gc for a figure after gc)'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
