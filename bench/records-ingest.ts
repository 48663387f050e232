/**
 * Event-to-record ingestion (issue 8: keeps up with 200 calls/s). The real leg tracker, ledger and call-records
 * projection on a SQLite file in WAL mode, migrated as at boot. Each call is a queue call as the real switch and
 * controller write it: the caller's leg and the agent's leg (created, answered, bridged, hung up: 7 switch
 * events through the tracker) and the flow's and ACD's own 10 entries (flow start and end, entered, offer,
 * answered, recording start and store, end, wrap-up end, disposition), so 18 ledger entries and one record.
 *
 * Two phases:
 *  - flat out: calls as fast as one core takes them, each in its own turn of the event loop, the projection
 *    flushed as in production (a second after a change, in slices of a few ms);
 *    measured: calls/s, and entries/s.
 *  - paced: 200 calls/s for 10 s, each call's events spread over its life as they would be; measured: how long
 *    after a call's last entry its finished record is there (p50/p99), and the event loop's worst stall.
 *
 * Run: npm run bench:records-ingest [calls=20000]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '../appliance/clock.js';
import { openDatabase } from '../appliance/db/database.js';
import { loadMigrations, migrate } from '../appliance/db/migrate.js';
import { channelInfo, hangupInfo } from '../appliance/freeswitch/testing/events.js';
import { FakeSwitch } from '../appliance/freeswitch/testing/fake-switch.js';
import { silentLogger } from '../appliance/logger.js';
import { Ledger } from '../appliance/modules/ledger/ledger.js';
import { CallRecords, LegTracker } from '../appliance/modules/records/index.js';

const CALLS = Number(process.argv[2] ?? 20_000);
const dir = mkdtempSync(join(tmpdir(), 'callbox-bench-records-'));
const db = openDatabase(join(dir, 'callbox.db'));
await migrate(db, { migrations: await loadMigrations(), backupDir: null, clock: systemClock, log: silentLogger() });
const ledger = new Ledger(db);
const records = new CallRecords({ db, ledger, log: silentLogger(), delayMs: 1000 });
const sw = new FakeSwitch();
new LegTracker({ sw, ledger, db, clock: systemClock, log: silentLogger() }).start();

/** One queue call's events in order; `step(i)` runs the i-th (0..STEPS-1). */
const STEPS = 17;
function call(n: number) {
  const caller = randomUUID();
  const leg = randomUUID();
  const agentId = 1 + (n % 50);
  const queueId = 1 + (n % 10);
  const at = () => Date.now();
  const add = (kind: string, data: Record<string, unknown> = {}, ids: { agentId?: number; queueId?: number } = {}) => ledger.append({ at: at(), kind, callId: caller, data, ...ids });
  const steps: (() => void)[] = [
    () => sw.emit('channel.created', channelInfo(caller, { channelName: 'sofia/external/+49305550@198.51.100.7', callerNumber: `+4930${100000 + n}`, destination: '+4930999' })),
    () => sw.emit('channel.answered', channelInfo(caller, { vars: { number_id: '1', trunk_id: '1', dialed: '+4930999' } })),
    () => add('flow.started', { flowId: 1, version: 1, runId: n }),
    () => add('flow.ended', { flowId: 1, outcome: 'queue', detail: 'Sales', path: [{ node: 'n1', kind: 'menu', at: 0, branch: '1', digits: ['1'], played: ['Welcome'], note: null }], vars: { choice: '1' }, survey: null }),
    () => add('queue.entered', { position: 1, caller: `+4930${100000 + n}` }, { queueId }),
    () => add('queue.offer', { ringTimeoutS: 20, callback: false }, { agentId, queueId }),
    () => sw.emit('channel.created', channelInfo(leg, { direction: 'outbound', channelName: 'sofia/internal/1001@192.0.2.10', destination: '1001', vars: { queue_call: caller, agent_id: String(agentId) } })),
    () => sw.emit('channel.answered', channelInfo(leg)),
    () => add('queue.answered', { waitMs: 12_000, callback: false, caller: '' }, { agentId, queueId }),
    () => sw.emit('channel.bridged', { ...channelInfo(caller), aUuid: caller, bUuid: leg }),
    () => add('recording.started', { recordingId: n, uuid: caller, stereo: true, policyId: 1, from: 'answer' }, { agentId }),
    () => sw.emit('channel.hungup', hangupInfo(caller)),
    () => add('queue.end', { by: 'caller', talkMs: 90_000 }, { agentId, queueId }),
    () => sw.emit('channel.hungup', hangupInfo(leg, { disposition: 'send_bye' })),
    () => add('recording.stored', { recordingId: n, durationMs: 90_000, sizeBytes: 360_000 }),
    () => add('agent.state', { from: 'wrap_up', to: 'ready', reason: 'wrap-up-end' }, { agentId }),
    () => add('queue.disposition', { code: 'Sale', note: '', by: 'bench' }, { agentId, queueId }),
  ];
  return { caller, step: (i: number) => steps[i]!() };
}

// Flat out.
const before = Number((db.prepare('SELECT count(*) AS n FROM ledger').get() as { n: number }).n);
let t0 = performance.now();
for (let n = 0; n < CALLS; n++) {
  const c = call(n);
  for (let i = 0; i < STEPS; i++) c.step(i);
  // A call's events arrive in their own reads of the socket: one turn of the event loop each (and one commit).
  await new Promise(setImmediate);
}
records.flush();
const flatMs = performance.now() - t0;
const entries = Number((db.prepare('SELECT count(*) AS n FROM ledger').get() as { n: number }).n) - before;
const saved = Number((db.prepare("SELECT count(*) AS n FROM call_records WHERE outcome = 'answered' AND ended_at IS NOT NULL").get() as { n: number }).n);

const flushTimes: number[] = [];
let flushed = 0;
// Measured from outside: each slice of the projection's work, and how many records it derived.
const inner = records as unknown as { derive(budgetMs: number): number };
const derive = inner.derive.bind(records);
inner.derive = (budgetMs) => {
  const t = performance.now();
  const n = derive(budgetMs);
  flushTimes.push(performance.now() - t);
  flushed += n;
  return n;
};
// Paced: 200 calls/s for 10 s; every call lives 1 s, its steps spread over it; 200 calls in flight at once.
const RATE = 200;
const SECONDS = 10;
const lag: number[] = [];
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const open = new Map<string, number>();
const timer = setInterval(() => {
  for (const [id, lastAt] of open) {
    const r = records.get(id);
    if (r?.endedAt && r.disposition) {
      lag.push(performance.now() - lastAt);
      open.delete(id);
    }
  }
}, 10);
t0 = performance.now();
const live: Promise<void>[] = [];
for (let n = 0; n < RATE * SECONDS; n++) {
  const due = t0 + (n * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  const c = call(CALLS + n);
  live.push(
    (async () => {
      for (let i = 0; i < STEPS; i++) {
        c.step(i);
        if (i < STEPS - 1) await sleep(1000 / STEPS);
      }
      open.set(c.caller, performance.now());
    })(),
  );
}
await Promise.all(live);
while (open.size) await sleep(20);
clearInterval(timer);
loop.disable();
const pacedS = (performance.now() - t0) / 1000;
records.stop();

lag.sort((a, b) => a - b);
const pct = (p: number) => lag[Math.min(lag.length - 1, Math.floor((p / 100) * lag.length))]!.toFixed(0);
console.log('Call records ingestion (leg tracker + ledger + projection, SQLite WAL file, one core)');
console.log('');
console.log('| Phase | Figure |');
console.log('|---|---|');
console.log(`| flat out: queue calls | ${CALLS} in ${(flatMs / 1000).toFixed(2)} s = **${Math.round(CALLS / (flatMs / 1000))} calls/s** (budget 200) |`);
console.log(`| flat out: ledger entries | ${entries} = ${Math.round(entries / (flatMs / 1000))} entries/s; ${saved} finished records |`);
console.log(`| paced: ${RATE} calls/s for ${SECONDS} s | ${lag.length} records finished; took ${pacedS.toFixed(1)} s |`);
console.log(`| paced: last entry → finished record | p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms (flushed a second after a change) |`);
console.log(`| paced: projection slices | ${flushTimes.length}, ${flushed} records derived, ${(flushTimes.reduce((a, b) => a + b, 0) / flushed * 1000).toFixed(0)} µs each, longest slice ${Math.max(...flushTimes).toFixed(0)} ms |`);
console.log(`| paced: event loop stall | p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms |`);
db.close();
rmSync(dir, { recursive: true, force: true });
