/**
 * Routing decision time (DESIGN §7: p99 under 1 ms with 1,000 agents, 100 queues and 2,000 waiting calls), measured
 * on the pure engine: one handle() per sample, timed with the high-resolution clock.
 *
 * The world: 100 queues with the strategies in turn (ring all among them), two in three asking for one of 20 skills,
 * some with wrap-up until the agent says ready; 1,000 agents, each a member of 5 queues with their skills. Everyone
 * logs in, every offer is answered until all agents talk, then callers keep arriving until 2,000 wait. From there
 * each cycle takes a talking agent through the end of their call (sometimes a break asked for during it, then ready),
 * the offer that follows (answered, or sometimes failed and re-offered after the cooldown), a new caller to keep
 * 2,000 waiting, now and then a caller hanging up, and a tick with the clock moving on. Every decision kind is timed
 * separately; a kind that is meant to produce an offer (call.ended with no wrap-up, agent.ready) is only counted
 * when it did.
 *
 * Memory: a second engine with the same queues and agents, nobody logged in, takes 2,000 callers; the heap
 * difference (after a full GC) per caller is the engine's cost of one waiting call.
 *
 * Run: npm run bench:acd [cycles=20000]
 *  (npm run build && node --expose-gc dist/bench/acd-routing.js)
 */
import { createAcd } from '../appliance/modules/queues/engine/acd.js';
import { mulberry32 } from '../appliance/modules/queues/engine/prng.js';
import { STRATEGY_NAMES, type Acd, type AcdEvent, type AgentConfig, type Decision, type QueueConfig } from '../appliance/modules/queues/engine/types.js';

const CYCLES = Number(process.argv[2] ?? 20_000);
const AGENTS = 1000;
const QUEUES = 100;
const WAITING = 2000;
const SKILLS = 20;
const QUEUES_PER_AGENT = 5;
const gc = (globalThis as { gc?: () => void }).gc;
const rnd = mulberry32(42);
const int = (n: number) => Math.floor(rnd() * n);

const queues: QueueConfig[] = Array.from({ length: QUEUES }, (_, i) => ({
  id: i + 1, name: `q${i + 1}`, strategy: STRATEGY_NAMES[i % STRATEGY_NAMES.length]!, skillId: i % 3 === 0 ? null : 1 + (i % SKILLS),
  ringTimeoutS: 20, wrapUpS: i % 5 === 0 ? null : 0, requireDisposition: false, missesBeforeBreak: 3, stickyWindowS: 3600,
  maxWaitS: null, overflow: { kind: 'hangup' }, maxLength: null, whenFull: { kind: 'hangup' }, noAgents: 'wait',
}));

const agents: AgentConfig[] = Array.from({ length: AGENTS }, (_, i) => {
  const ids = new Set<number>();
  while (ids.size < QUEUES_PER_AGENT) ids.add(1 + int(QUEUES));
  const skills: Record<number, number> = {};
  for (const id of ids) {
    const skillId = queues[id - 1]!.skillId;
    if (skillId !== null) skills[skillId] = 1 + int(10);
  }
  return { id: i + 1, name: `a${i + 1}`, skills, queues: [...ids].map((queueId) => ({ queueId, position: int(100) })) };
});

let now = Date.UTC(2026, 0, 5, 9);
let callSeq = 0;
const newCall = (): AcdEvent => ({
  kind: 'call.enqueue',
  call: { id: `call-${++callSeq}`, queueId: 1 + int(QUEUES), priority: rnd() < 0.1 ? 5 : 0, enteredAt: now, caller: `+4930${int(50_000)}`, callback: false, hops: 0 },
});

function build(login: boolean): Acd {
  const acd = createAcd({ now: () => now, seed: 7 });
  for (const queue of queues) acd.handle({ kind: 'queue.set', queue });
  for (const agent of agents) acd.handle({ kind: 'agent.set', agent });
  if (login) {
    for (const a of agents) {
      acd.handle({ kind: 'agent.device', agentId: a.id, up: true });
      acd.handle({ kind: 'agent.login', agentId: a.id });
    }
  }
  return acd;
}

const samples = new Map<string, number[]>();
let waiting = 0;

/**
 * One timed handle(); then, as the switch would, every offer it made is answered (the first agent of each call,
 * timed as offer.answered), so no agent is left ringing. `counts`: whether this sample belongs to its kind.
 */
function feed(acd: Acd, label: string | null, e: AcdEvent, counts: (ds: Decision[]) => boolean = () => true): Decision[] {
  const t0 = process.hrtime.bigint();
  const ds = acd.handle(e);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (label && counts(ds)) {
    let list = samples.get(label);
    if (!list) samples.set(label, (list = []));
    list.push(ms);
  }
  const taken = new Set<string>();
  for (const d of ds) {
    if (d.kind === 'entered') waiting++;
    if (d.kind === 'answered' || d.kind === 'abandoned' || d.kind === 'overflow') waiting--;
    if (d.kind !== 'offer' || taken.has(d.callId)) continue;
    taken.add(d.callId);
    if (acd.agent(d.agentId)?.state === 'reserved' && acd.agent(d.agentId)?.callId === d.callId) feed(acd, label && 'offer.answered', { kind: 'offer.answered', callId: d.callId, agentId: d.agentId });
  }
  return ds;
}
const offerIn = (ds: Decision[]) => ds.some((d) => d.kind === 'offer');

const acd = build(true);
while (acd.agents().some((a) => a.state === 'ready')) feed(acd, null, newCall());
while (waiting < WAITING) feed(acd, null, newCall());
const states = () => {
  const n = new Map<string, number>();
  for (const a of acd.agents()) n.set(a.state, (n.get(a.state) ?? 0) + 1);
  return [...n].map(([state, count]) => `${count} ${state}`).join(', ');
};
console.log(`world: ${QUEUES} queues, ${AGENTS} agents (${states()}), ${acd.waiting().length} waiting`);

const talking = () => acd.agents().filter((a) => a.state === 'talking').map((a) => a.id);
let pool = talking();

function cycle(): void {
  if (pool.length === 0) pool = talking();
  const agentId = pool.splice(int(pool.length), 1)[0];
  if (agentId === undefined || acd.agent(agentId)?.state !== 'talking') return;
  now += 1 + int(200);
  if (rnd() < 0.2) feed(acd, 'agent.not_ready (pending)', { kind: 'agent.not_ready', agentId, reason: 'Break' });
  // The agent's offer is failed before it is answered now and then: feed() would answer it, so that one is made by hand.
  const fails = rnd() < 0.1;
  const step = (label: string, e: AcdEvent) => (fails ? acd.handle(e) : feed(acd, label, e, offerIn));
  let ds = step('call.ended', { kind: 'call.ended', agentId });
  // Out of a break, or a wrap-up until ready (which a break asked for during the call follows: ready once more).
  for (let i = 0; i < 2 && !offerIn(ds) && acd.agent(agentId)?.state !== 'ready'; i++) ds = step('agent.ready', { kind: 'agent.ready', agentId });
  const offer = ds.find((d) => d.kind === 'offer');
  if (fails && offer) {
    feed(acd, 'offer.failed', { kind: 'offer.failed', callId: offer.callId, agentId: offer.agentId, cause: rnd() < 0.5 ? 'USER_BUSY' : 'NORMAL_TEMPORARY_FAILURE' });
    now += 10_000;
    feed(acd, 'tick (cooldown ends)', { kind: 'tick' });
  }
  const leaving = rnd() < 0.2 ? acd.waiting(1 + int(QUEUES))[0] : undefined;
  if (leaving) feed(acd, 'call.leave', { kind: 'call.leave', callId: leaving.callId, reason: 'abandoned' });
  while (waiting < WAITING) feed(acd, 'call.enqueue', newCall());
  feed(acd, 'tick', { kind: 'tick' });
}

// Warm-up (JIT), then the measured cycles.
for (let i = 0; i < 2000; i++) cycle();
samples.clear();
const t0 = process.hrtime.bigint();
for (let i = 0; i < CYCLES; i++) cycle();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const line = (label: string, xs: number[]) =>
  `  ${label.padEnd(28)} n=${String(xs.length).padStart(6)}  p50 ${q(xs, 0.5).toFixed(4)}  p99 ${q(xs, 0.99).toFixed(4)}  p99.9 ${q(xs, 0.999).toFixed(3)}  max ${xs.at(-1)!.toFixed(3)}  >1 ms: ${xs.filter((x) => x > 1).length}`;
const all: number[] = [];
console.log(`\nhandle() per decision kind (ms), ${CYCLES.toLocaleString()} cycles in ${seconds.toFixed(1)} s; budget: p99 < 1 ms`);
for (const [label, xs] of [...samples].sort((a, b) => a[0].localeCompare(b[0]))) {
  xs.sort((a, b) => a - b);
  all.push(...xs);
  console.log(line(label, xs));
}
all.sort((a, b) => a - b);
console.log(line('all', all));
console.log('  (samples over 1 ms: a garbage-collector pause or the process being descheduled during that handle(); see --trace-gc and the load average)');
console.log(`world after: ${acd.waiting().length} waiting; agents: ${states()}`);

if (gc) {
  gc();
  const empty = build(false);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < WAITING; i++) empty.handle(newCall());
  gc();
  const after = process.memoryUsage().heapUsed;
  console.log(`\nmemory per waiting call: ${Math.round((after - before) / WAITING)} bytes (${WAITING} callers, heap +${((after - before) / 1024).toFixed(0)} KiB; engine keeps ${empty.waiting().length})`);
} else {
  console.log('\nmemory per waiting call: run with node --expose-gc to measure');
}
