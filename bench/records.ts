/**
 * Call records pages (DESIGN §7: a call-records page filtered over 10^6 calls under 100 ms; the issue: a CSV export
 * of 100,000 records streams without holding them in memory).
 *
 * 1. Generates 1,000,000 call records over 90 days into a SQLite file in a temp dir, migrated as at boot: 50 agents
 *    in 10 queues (skewed), 70 % inbound (answered, abandoned, overflowed, callback, voicemail), 25 % outbound with
 *    result codes, 5 % internal, 200,000 customer numbers, business-hours peaks, 40 % of answered calls recorded.
 * 2. Times the list page's query (RecordQuery.page, 50 rows, the real SQL) for each filter, many runs with varied
 *    values: p50 / p95 / max.
 * 3. Streams the CSV of 100,000 records through RecordPages.csv (the route's generator) into a slow null sink with
 *    backpressure, sampling heap and RSS; then, for contrast, holds the same rows in one array.
 *
 * Run: npm run bench:records [records=1000000] [keep-in-file]
 *  (npm run build && node --expose-gc dist/bench/records.js)
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openDatabase } from '../appliance/db/database.js';
import { loadMigrations, migrate } from '../appliance/db/migrate.js';
import { silentLogger } from '../appliance/logger.js';
import { parseFilter } from '../appliance/modules/records/records.filter.js';
import { RecordPages } from '../appliance/modules/records/records.pages.js';
import type { Scope } from '../appliance/modules/records/records.query.js';
import { RecordStore } from '../appliance/modules/records/records.store.js';
import type { CallRecord, Outcome, Result } from '../appliance/modules/records/records.types.js';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const DAYS = 90;
const AGENTS = 50;
const QUEUES = 10;
const ZONE = 'UTC';
const gc = (globalThis as { gc?: () => void }).gc;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

// A small, seeded generator (mulberry32): the same data on every run, and no correlation between one call's
// choices (a plain LCG put one queue's voicemails all at one end of the history).
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
};
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(weighted: [T, number][]): T => {
  let r = rand() * weighted.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of weighted) if ((r -= w) < 0) return v;
  return weighted[0]![0];
};

// A second argument keeps the generated database in that file and reuses it on the next run (to try plans quickly).
const keep = process.argv[3];
const dir = mkdtempSync(join(tmpdir(), 'callbox-bench-records-'));
const file = keep ?? join(dir, 'callbox.sqlite');
const reuse = keep !== undefined && existsSync(keep);
const db = openDatabase(file);
await migrate(db, { migrations: await loadMigrations(), backupDir: null, clock: { now: () => Date.now() }, log: silentLogger() });

// Queues are skewed (queue 1 takes most calls); each agent serves 2–3 queues.
const queueWeights: [number, number][] = Array.from({ length: QUEUES }, (_, i) => [i + 1, QUEUES - i] as [number, number]);
const members = new Map<number, number[]>(Array.from({ length: QUEUES }, (_, i) => [i + 1, [] as number[]]));
for (let a = 1; a <= AGENTS; a++) for (const q of new Set([1 + ((a - 1) % QUEUES), 1 + int(QUEUES), 1 + int(QUEUES)])) members.get(q)!.push(a);
const customers = Array.from({ length: 200_000 }, (_, i) => (i % 3 === 0 ? `+49${String(1_500_000_000 + i * 7919).padStart(10, '0')}` : `+1${String(2_000_000_000 + i * 104_729).slice(0, 10)}`));
const dids = Array.from({ length: 20 }, (_, i) => `+1555010${String(i).padStart(4, '0')}`);

const END = Date.UTC(2026, 0, 1);
const START = END - DAYS * 86_400_000;
// Calls cluster in business hours: pick a day, then an hour by weight, then a second.
const hourWeights: [number, number][] = Array.from({ length: 24 }, (_, h) => [h, h >= 8 && h < 18 ? 10 : h >= 7 && h < 21 ? 3 : 0.3] as [number, number]);

function makeRecord(i: number): CallRecord {
  const startedAt = START + int(DAYS) * 86_400_000 + pick(hourWeights) * 3_600_000 + int(3_600_000);
  const direction = pick<CallRecord['direction']>([['inbound', 70], ['outbound', 25], ['internal', 5]]);
  const callId = `${(i + 1).toString(16).padStart(8, '0')}-bench-4000-8000-${int(1e12).toString(16).padStart(12, '0')}`;
  const customer = customers[int(customers.length)]!;
  let queueId: number | null = null;
  let agentId: number | null = null;
  let outcome: Outcome = 'answered';
  let result: Result | null = null;
  let waitMs: number | null = null;
  let talkMs = 0;
  if (direction === 'inbound') {
    queueId = pick(queueWeights);
    outcome = pick<Outcome>([['answered', 80], ['abandoned', 12], ['overflowed', 3], ['callback', 2], ['voicemail', 3]]);
    waitMs = int(outcome === 'answered' ? 60_000 : 180_000);
    const m = members.get(queueId)!;
    if (outcome === 'answered') agentId = m[int(m.length)]!;
    talkMs = outcome === 'answered' ? 30_000 + int(600_000) : 0;
  } else if (direction === 'outbound') {
    agentId = 1 + int(AGENTS);
    result = pick<Result>([['success', 55], ['no_answer', 20], ['busy', 10], ['rejected', 3], ['unreachable', 3], ['powered_off', 3], ['suspended', 1], ['not_exist', 2], ['call_lost', 2], ['other', 1]]);
    outcome = result === 'success' ? 'answered' : 'failed';
    talkMs = result === 'success' ? 20_000 + int(400_000) : 0;
  } else {
    agentId = 1 + int(AGENTS);
    talkMs = 10_000 + int(200_000);
  }
  const answeredAt = talkMs ? startedAt + (waitMs ?? 8000) : null;
  const endedAt = startedAt + (waitMs ?? 8000) + talkMs + 1000;
  const recorded = talkMs > 0 && rand() < 0.4;
  return {
    callId,
    direction,
    caller: direction === 'inbound' ? customer : String(1000 + (agentId ?? 0)),
    callerName: '',
    callee: direction === 'inbound' ? dids[int(dids.length)]! : direction === 'outbound' ? customer : String(1000 + int(AGENTS)),
    dialed: direction === 'internal' ? '' : direction === 'inbound' ? dids[int(dids.length)]! : customer,
    trunkId: direction === 'internal' ? null : 1 + int(3),
    numberId: null,
    startedAt,
    answeredAt,
    endedAt,
    durationMs: endedAt - startedAt,
    flows: [],
    flowMs: 0,
    queueId,
    waitMs,
    outcome,
    result,
    agents: agentId ? [{ agentId, queueId, offeredAt: answeredAt, answeredAt, endedAt, ringMs: 3000, talkMs, holdMs: int(3) ? 0 : 15_000, wrapMs: queueId ? 10_000 : 0, missed: false }] : [],
    talkMs,
    transfers: [],
    conferences: [],
    hangupCause: result && result !== 'success' ? 'USER_BUSY' : 'NORMAL_CLEARING',
    hangupSide: 'customer',
    disposition: queueId && agentId ? { code: 'Resolved', note: int(10) ? '' : 'Called about the invoice', agentId } : null,
    survey: outcome === 'answered' && int(5) === 0 ? 1 + int(5) : null,
    recordings: recorded ? [{ recordingId: i + 1, startedAt: answeredAt!, stoppedAt: endedAt, stereo: true, pauses: [], durationMs: talkMs, sizeBytes: talkMs * 8, deleted: false }] : [],
    legs: [],
    timeline: [],
  };
}

// 1. Generate, through the store's own statements (RecordStore.save), in one transaction. As in any bulk load,
// call_records' indexes are dropped first and made again after (from the migrations' own SQL): one sort each
// instead of a million random inserts. (The agents' and queues' call_id indexes stay: save deletes by them.)
const store = new RecordStore(db);
let t = performance.now();
if (!reuse) {
  const indexes = db.prepare<[], string>("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = 'call_records'").pluck().all();
  db.pragma('cache_size = -262144');
  db.transaction(() => {
    for (const sql of indexes) db.exec(`DROP INDEX ${/^CREATE INDEX (\w+)/.exec(sql)![1]!}`);
    for (let i = 0; i < TOTAL; i++) store.save(makeRecord(i));
    for (const sql of indexes) db.exec(sql);
  })();
  db.pragma('cache_size = -2000');
  db.pragma('wal_checkpoint(TRUNCATE)');
}
const genS = (performance.now() - t) / 1000;
if (!reuse) console.log(`generated ${TOTAL.toLocaleString('en')} records in ${genS.toFixed(1)} s (${Math.round(TOTAL / genS).toLocaleString('en')}/s); file ${mib(statSync(file).size)}`);

// 2. The list's query per filter.
const pages = new RecordPages({
  db,
  clock: { now: () => END - 1 },
  store,
  zone: ZONE,
  access: { agentIdOf: (userId) => (userId <= AGENTS ? userId : null), supervisedQueues: () => [3, 7] },
  names: {
    queues: () => Array.from({ length: QUEUES }, (_, i) => ({ id: i + 1, name: `Queue ${i + 1}` })),
    agents: () => Array.from({ length: AGENTS }, (_, i) => ({ id: i + 1, number: String(201 + i), name: `Agent ${i + 1}` })),
    trunks: () => [1, 2, 3].map((id) => ({ id, name: `Carrier ${id}` })),
    flows: () => [],
  },
});
const admin: Scope = { all: true };
const supervisor: Scope = { all: false, queueIds: [3, 7], agentId: 12 };
const now = END - 1;
const crit = (q: Record<string, string>) => parseFilter(q, now, ZONE).criteria;
const secondPage = (q: Record<string, string>, scope: Scope) => {
  const first = pages.query.page(crit(q), scope, null, 50).rows.at(-1)!;
  return { startedAt: first.startedAt, callId: first.callId, toward: 'older' as const };
};
const RUNS = 40;
const cases: { name: string; run: (i: number) => number }[] = [
  { name: 'no filter (last 7 days)', run: () => pages.query.page(crit({}), admin, null, 50).rows.length },
  { name: 'by agent', run: (i) => pages.query.page(crit({ agentId: String(1 + (i % AGENTS)) }), admin, null, 50).rows.length },
  { name: 'by queue (incl. smallest)', run: (i) => pages.query.page(crit({ queueId: String(1 + (i % QUEUES)) }), admin, null, 50).rows.length },
  { name: 'by number, full', run: (i) => pages.query.page(crit({ number: customers[(i * 4999) % customers.length]!, from: '2025-10-03', to: '2025-12-31' }), admin, null, 50).rows.length },
  { name: 'by number prefix (7 digits)', run: (i) => pages.query.page(crit({ number: customers[(i * 4999) % customers.length]!.slice(0, 8) }), admin, null, 50).rows.length },
  { name: 'by number prefix (short: +1)', run: () => pages.query.page(crit({ number: '+1' }), admin, null, 50).rows.length },
  { name: 'by outcome (abandoned)', run: () => pages.query.page(crit({ outcome: 'abandoned' }), admin, null, 50).rows.length },
  { name: 'by outcome (callback, rare)', run: () => pages.query.page(crit({ outcome: 'callback' }), admin, null, 50).rows.length },
  { name: 'by result (suspended, rare)', run: () => pages.query.page(crit({ result: 'suspended' }), admin, null, 50).rows.length },
  { name: 'direction + 30-day range', run: () => pages.query.page(crit({ direction: 'outbound', from: '2025-11-15', to: '2025-12-14' }), admin, null, 50).rows.length },
  { name: 'recorded only', run: () => pages.query.page(crit({ recorded: '1' }), admin, null, 50).rows.length },
  { name: 'queue + outcome + 90 days', run: (i) => pages.query.page(crit({ queueId: String(1 + (i % QUEUES)), outcome: 'voicemail', from: '2025-10-03' }), admin, null, 50).rows.length },
  { name: "supervisor's scope (2 queues + own)", run: () => pages.query.page(crit({}), supervisor, null, 50).rows.length },
  { name: "supervisor's scope + outcome", run: () => pages.query.page(crit({ outcome: 'overflowed' }), supervisor, null, 50).rows.length },
  { name: "an agent's own calls", run: (i) => pages.query.page(crit({}), { all: false, queueIds: [], agentId: 1 + (i % AGENTS) }, null, 50).rows.length },
  { name: 'second page via keyset', run: () => pages.query.page(crit({}), admin, secondPage({}, admin), 50).rows.length },
  { name: 'second page, by queue', run: (i) => pages.query.page(crit({ queueId: String(1 + (i % QUEUES)) }), admin, secondPage({ queueId: String(1 + (i % QUEUES)) }, admin), 50).rows.length },
];
const table: { filter: string; rows: number; p50: string; p95: string; max: string; ok: string }[] = [];
let allOk = true;
for (const c of cases) {
  c.run(0); // warm the statement cache and the page cache
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    rows = c.run(i);
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!;
  const ok = ms.at(-1)! < 100;
  allOk &&= ok;
  table.push({ filter: c.name, rows, p50: q(0.5).toFixed(2), p95: q(0.95).toFixed(2), max: ms.at(-1)!.toFixed(2), ok: ok ? 'yes' : 'NO' });
}
console.log(`\nlist page (50 rows) over ${TOTAL.toLocaleString('en')} records, ${RUNS} runs each, ms:`);
console.table(table);

// 3. CSV export of 100,000 records into a sink that takes 64 KiB at a time, with backpressure.
const exportQuery = { from: '2025-10-03', to: '2025-12-31', queueId: '1' };
const n = pages.query.chunk(crit(exportQuery), admin, null, 100_000).length;
const slice = n >= 100_000 ? exportQuery : { from: '2025-10-03', to: '2025-12-31' };
gc?.();
const before = process.memoryUsage();
let peakHeap = before.heapUsed;
let peakRss = before.rss;
let bytes = 0;
let lines = 0;
const sink = new Writable({
  highWaterMark: 64 * 1024,
  write(chunk: Buffer, _enc, done) {
    bytes += chunk.length;
    setImmediate(done);
  },
});
t = performance.now();
const csv = pages.csv(slice, { id: 1, role: 'admin' });
// What stays allocated, after a full collection every 10 chunks: flat if nothing is held between chunks.
const retained: number[] = [];
let chunks = 0;
for (const chunk of csv.chunks) {
  if (lines >= 100_000) break;
  lines += chunk.split('\n').length - 1;
  if (gc && ++chunks % 10 === 0) {
    gc();
    retained.push(process.memoryUsage().heapUsed - before.heapUsed);
  }
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRss = Math.max(peakRss, m.rss);
  if (!sink.write(chunk)) await new Promise((r) => sink.once('drain', r));
}
await new Promise<void>((r) => sink.end(r));
const exportS = (performance.now() - t) / 1000;
console.log(`\nCSV export: ${(lines - 1).toLocaleString('en')} records, ${mib(bytes)} in ${exportS.toFixed(2)} s (${Math.round((lines - 1) / exportS).toLocaleString('en')} records/s)`);
console.log(`  streamed (chunks of 1,000): heap growth ${mib(peakHeap - before.heapUsed)} peak (garbage not yet collected), RSS growth ${mib(peakRss - before.rss)} peak`);
if (retained.length) console.log(`  retained after GC, every 10,000 records: ${retained.map((b) => mib(b)).join(', ')}`);

gc?.();
const held0 = process.memoryUsage();
const held = pages.query.chunk(crit(slice), admin, null, 100_000);
const parsed = held.map((r) => JSON.parse(r.data) as unknown);
const held1 = process.memoryUsage();
console.log(`  for contrast, the same ${held.length.toLocaleString('en')} rows held in an array: heap growth ${mib(held1.heapUsed - held0.heapUsed)}, RSS growth ${mib(held1.rss - held0.rss)}`);
void parsed;

db.close();
rmSync(dir, { recursive: true, force: true });
if (keep) console.log(`\nkept ${keep}`);
console.log(allOk ? '\nevery filter under 100 ms' : '\nSOME FILTERS OVER 100 ms');
process.exitCode = allOk ? 0 : 1;
