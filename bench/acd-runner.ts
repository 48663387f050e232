/**
 * ACD reaction time (issue 6: from "caller enqueued" or "agent ready" to the originate command, p99 under 5 ms).
 * The real AcdRunner (engine, ledger and waiting-callers writes to a SQLite file in WAL mode, migrated as at boot,
 * agent states saved on every change) drives a stand-in switch: an originate rings for 20-100 ms and is answered,
 * the agent talks for 0.2-1.5 s and hangs up. Calls keep arriving so that CALLS are in the system at once.
 *
 * Two phases:
 *  - enqueue: more agents than calls, so an arriving caller is offered at once. Measured: from enter() to the
 *    originate command for that caller.
 *  - freed: fewer agents than calls, so callers wait and every hangup frees an agent for the next one (wrap-up 0).
 *    Measured: from the agent leg's hangup event (the agent's BYE) to the originate command of that agent's next
 *    offer; and from agent.ready (an agent back from a break) to its originate.
 *
 * Run: npm run bench:acd-runner [calls=500]
 */
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../appliance/clock.js';
import { openDatabase } from '../appliance/db/database.js';
import { loadMigrations, migrate } from '../appliance/db/migrate.js';
import type { FsCommand, FsExecute } from '../appliance/freeswitch/commands.js';
import type { Executed, SwitchPort } from '../appliance/freeswitch/switch.port.js';
import type { SwitchStatus } from '../appliance/freeswitch/switch-status.js';
import type { SwitchEventName, SwitchEvents } from '../appliance/freeswitch/switch.types.js';
import { hangupInfo } from '../appliance/freeswitch/testing/events.js';
import { silentLogger } from '../appliance/logger.js';
import { Ledger } from '../appliance/modules/ledger/ledger.js';
import { AcdRunner } from '../appliance/modules/queues/acd-runner.js';
import { createWaitingStore } from '../appliance/modules/queues/acd.store.js';
import { staticSource } from '../appliance/modules/queues/testing/static-source.js';

const CALLS = Number(process.argv[2] ?? 500);
const QUEUES = 20;

/** Answers at once; an originate rings, then is answered; records when each originate is sent, per agent. */
class BenchSwitch implements SwitchPort {
  readonly isConnected = true;
  private readonly listeners = new Map<string, Set<(e: never) => void>>();
  onOriginate: (agentExt: string, leg: string, callId: string) => void = () => undefined;

  status(): SwitchStatus {
    return { state: 'connected', since: new Date(0).toISOString(), detail: 'bench switch' };
  }
  async api(cmd: FsCommand): Promise<string> {
    if (cmd === 'global_getvar domain') return 'bench.local';
    if (cmd === 'show channels as json') return '{"row_count": 0}';
    return '+OK\n';
  }
  bgapi(cmd: FsCommand): Promise<string> {
    const leg = /origination_uuid=([0-9a-f-]{36})/.exec(cmd)![1]!;
    this.onOriginate(/user\/([0-9]+)@/.exec(cmd)![1]!, leg, /callbox_queue_call=([0-9a-f-]{36})/.exec(cmd)![1]!);
    return new Promise((resolve) => setTimeout(() => resolve(`+OK ${leg}\n`), randomInt(20, 101)));
  }
  // Hold music plays until the call is bridged away.
  execute(_x: FsExecute): Promise<Executed> {
    return new Promise(() => undefined);
  }
  on<K extends SwitchEventName>(name: K, fn: (e: SwitchEvents[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn as (e: never) => void);
    return () => set.delete(fn as (e: never) => void);
  }
  onConnection(): () => void {
    return () => undefined;
  }
  emit<K extends SwitchEventName>(name: K, data: SwitchEvents[K]): void {
    for (const fn of this.listeners.get(name) ?? []) (fn as (d: SwitchEvents[K]) => void)(data);
  }
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const fmt = (xs: number[]) => `n=${xs.length} p50 ${pct(xs, 50).toFixed(3)} ms · p99 ${pct(xs, 99).toFixed(3)} ms · max ${Math.max(...xs).toFixed(3)} ms`;

async function phase(name: 'enqueue' | 'freed', agentCount: number, total: number) {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-bench-acd-'));
  const db = openDatabase(join(dir, 'callbox.db'));
  await migrate(db, { migrations: await loadMigrations(), backupDir: null, clock: systemClock, log: silentLogger() });
  const agents = Array.from({ length: agentCount }, (_, i) => ({ id: i + 1, name: `Agent ${i + 1}`, extension: String(10000 + i).slice(-5), queues: [1 + (i % QUEUES), 1 + ((i + 7) % QUEUES)] }));
  const { source } = staticSource({ queues: Array.from({ length: QUEUES }, (_, i) => ({ strategy: (['longest_idle', 'round_robin', 'fewest_calls', 'skills'] as const)[i % 4]!, wrapUpS: 0, ringTimeoutS: 20, id: i + 1 })), agents });
  const save = db.prepare('INSERT INTO ledger (at, kind, agent_id, data) VALUES (?, ?, ?, ?)');
  // Agent states are saved on every change, as the agents service does (one row write each).
  source.saveState = (id, s) => void save.run(Date.now(), 'bench.state', id, JSON.stringify(s));
  const sw = new BenchSwitch();
  const byExt = new Map(agents.map((a) => [a.extension, a.id]));
  const runner = new AcdRunner({
    sw,
    source,
    store: createWaitingStore(db),
    ledger: new Ledger(db),
    phones: { devicesOf: () => [{}], onChange: () => () => undefined, seeded: async () => undefined },
    speaker: { fileOf: () => null, speak: async () => '/tmp/x.wav' },
    clock: systemClock,
    log: silentLogger(),
    reconcileEveryMs: 3_600_000,
  });
  runner.start();
  for (const a of agents) runner.login(a.id, 'bench');

  const enqueued = new Map<string, number>();
  let handling: { sent?: number } | null = null;
  const timed = (f: () => void, into: number[]) => {
    const h: { sent?: number } = {};
    handling = h;
    const t = performance.now();
    try {
      f();
    } finally {
      handling = null;
    }
    if (h.sent !== undefined) into.push(h.sent - t);
  };
  let lost = 0;
  const toOriginate: number[] = [];
  const freedToOriginate: number[] = [];
  const readyToOriginate: number[] = [];
  let closed = false;
  let started = 0;
  let finished = 0;
  let done: () => void = () => undefined;
  const allDone = new Promise<void>((r) => (done = r));

  sw.onOriginate = (ext, leg, callId) => {
    const now = performance.now();
    const agentId = byExt.get(ext)!;
    const e = enqueued.get(callId);
    if (e !== undefined) toOriginate.push(now - e), enqueued.delete(callId);
    // An agent freed (BYE) or back (ready) makes its originate in the same turn, if a caller waits for one of its
    // queues (to whichever agent the strategy picks): counted from the event to the first originate it makes.
    if (handling) handling.sent ??= now;
    // Answered after ringing (BenchSwitch), then the agent talks and hangs up.
    setTimeout(() => {
      if (closed) return;
      const t = runner.talkOf(leg);
      if (!t) lost++;
      // One agent in ten takes a short break after the call, then comes back: agent.ready → originate.
      const breakAfter = agentId % 10 === 0;
      timed(() => sw.emit('channel.hungup', hangupInfo(leg, { direction: 'outbound', channelName: 'sofia/internal/agent', at: Date.now() })), freedToOriginate);
      if (breakAfter) {
        runner.notReady(agentId, 'Break', 'bench');
        setTimeout(() => {
          if (closed) return;
          try {
            timed(() => runner.ready(agentId, 'bench'), readyToOriginate);
          } catch {
            // Offered again before the break began: the break waits for that call, and ready is refused meanwhile.
          }
        }, randomInt(50, 200));
      }
      finished++;
      if (started < total) void call();
      if (finished === total) done();
    }, randomInt(200, 1500) + 100);
  };
  const call = async () => {
    started++;
    const uuid = randomUUID();
    if (name === 'enqueue') enqueued.set(uuid, performance.now());
    await runner.enter({ uuid, queueId: 1 + randomInt(QUEUES), priority: randomInt(3), caller: `+49301${randomInt(1_000_000)}`, callerName: '' });
  };
  const t0 = performance.now();
  // Callers arrive one by one (each in its own event, as from the switch), spread over the first second.
  for (let i = 0; i < Math.min(CALLS, total); i++) setTimeout(() => void call(), (i * 1000) / CALLS);
  await allDone;
  const secs = (performance.now() - t0) / 1000;
  closed = true;
  runner.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  if (lost) console.log(`  ${lost} calls ended with no talk on record`);
  console.log(`${name}: ${agentCount} agents, ${QUEUES} queues, ${CALLS} calls at once, ${total} calls in ${secs.toFixed(1)} s`);
  if (name === 'enqueue') console.log(`  caller enqueued → originate: ${fmt(toOriginate)}`);
  else {
    console.log(`  agent BYE (leg hangup event) → the originate it frees: ${fmt(freedToOriginate)}`);
    console.log(`  agent ready (back from a break) → originate: ${fmt(readyToOriginate)}`);
  }
}

await phase('enqueue', CALLS * 2, CALLS * 6);
await phase('freed', Math.round(CALLS * 0.6), CALLS * 6);
