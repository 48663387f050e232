import fc from 'fast-check';
import { createAcd } from './acd.js';
import { T0 } from './testing.js';
import { STRATEGY_NAMES, type Acd, type AcdEvent, type AgentConfig, type AgentState, type AgentView, type Decision, type Destination, type QueueConfig } from './types.js';

// Random small worlds and event sequences for the engine's property tests, and a checker that replays every decision
// against a model of who is ringing for whom and asserts the routing invariants after each event.

export interface World {
  queues: QueueConfig[];
  agents: AgentConfig[];
  /** Agents logged in with their device up at the start. */
  online: number[];
}

const dest = (n: number): fc.Arbitrary<Destination> =>
  fc.oneof(fc.constant({ kind: 'hangup' as const }), fc.integer({ min: 1, max: n }).map((queueId) => ({ kind: 'queue' as const, queueId })), fc.constant({ kind: 'flow' as const, flowId: 1 }));

/** dense: no skills and every agent in every queue, so that rings, ring-all contention and re-offers are frequent. */
const queueArb = (id: number, n: number, dense: boolean): fc.Arbitrary<QueueConfig> =>
  fc.record({
    id: fc.constant(id), name: fc.constant(`q${id}`), strategy: fc.constantFrom(...STRATEGY_NAMES, ...(dense ? ['ring_all' as const] : [])),
    skillId: dense ? fc.constant(null) : fc.constantFrom(null, null, 1, 2),
    ringTimeoutS: fc.integer({ min: 1, max: 30 }), wrapUpS: fc.constantFrom(0, 0, 5, 30, null), requireDisposition: fc.boolean(),
    missesBeforeBreak: fc.integer({ min: 1, max: 3 }), stickyWindowS: fc.constantFrom(60, 3600), maxWaitS: fc.option(fc.integer({ min: 10, max: 120 }), { nil: null, freq: 2 }),
    overflow: dest(n), maxLength: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null, freq: 2 }), whenFull: dest(n), noAgents: fc.constantFrom('wait' as const, 'wait' as const, 'overflow' as const),
  });

const level = fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined, freq: 4 });
const agentArb = (id: number, n: number, dense: boolean): fc.Arbitrary<AgentConfig> => {
  const all = Array.from({ length: n }, (_, i) => i + 1);
  return fc.record({ s1: level, s2: level, queues: dense ? fc.constant(all) : fc.subarray(all, { minLength: 1 }), position: fc.integer({ min: 0, max: 3 }) }).map(({ s1, s2, queues, position }) => ({
    id, name: `a${id}`, skills: { ...(s1 ? { 1: s1 } : {}), ...(s2 ? { 2: s2 } : {}) }, queues: queues.map((queueId) => ({ queueId, position: position + queueId })),
  }));
};

export const worldArb = (dense = false): fc.Arbitrary<World> => fc.record({ nq: fc.integer({ min: 1, max: 3 }), na: fc.integer({ min: 1, max: 5 }) }).chain(({ nq, na }) =>
  fc.record({
    queues: fc.tuple(...Array.from({ length: nq }, (_, i) => queueArb(i + 1, nq, dense))),
    agents: fc.tuple(...Array.from({ length: na }, (_, i) => agentArb(i + 1, nq, dense))),
    online: fc.subarray(Array.from({ length: na }, (_, i) => i + 1), { minLength: Math.min(na, 1) }),
  }),
);

/** Long enough sequences for queues to fill, rings to fail and timers to fire. */
export const cmdsArb = (maxLength: number) => fc.array(cmdArb, { minLength: maxLength / 4, maxLength, size: 'max' });

/** A command: numbers select among what exists when it runs (a waiting caller, a live offer, an agent). */
export type Cmd =
  /** q: the queue (modulo their number); 0: a queue that does not exist. */
  | { k: 'enqueue'; q: number; priority: number; back: number; caller: number; callback: boolean }
  | { k: 'leave'; i: number; exit: boolean }
  | { k: 'callback' | 'answer'; i: number }
  | { k: 'fail'; i: number; cause: string }
  | { k: 'ended' | 'ready' | 'not_ready' | 'login' | 'logout' | 'disposition'; a: number }
  | { k: 'device' | 'busy' | 'hold'; a: number; on: boolean }
  | { k: 'tick'; ms: number }
  | { k: 'reconfigure'; q: number; strategy: number; maxWaitS: number | null };

const CAUSES = ['NO_ANSWER', 'CALL_REJECTED', 'USER_BUSY', 'USER_NOT_REGISTERED', 'ORIGINATOR_CANCEL', 'NORMAL_TEMPORARY_FAILURE'];
const i = fc.nat(50);
const a = fc.integer({ min: 1, max: 5 });
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
export const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  w(6, fc.record({ k: fc.constant('enqueue' as const), q: fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constant(0) }), priority: fc.constantFrom(0, 0, 0, 5, 9), back: fc.constantFrom(0, 0, 0, 30_000), caller: fc.nat(3), callback: fc.constantFrom(false, false, false, false, true) })),
  w(1, fc.record({ k: fc.constant('leave' as const), i, exit: fc.boolean() })),
  w(1, fc.record({ k: fc.constant('callback' as const), i })),
  w(5, fc.record({ k: fc.constant('answer' as const), i })),
  w(2, fc.record({ k: fc.constant('fail' as const), i, cause: fc.constantFrom(...CAUSES) })),
  w(4, fc.record({ k: fc.constant('ended' as const), a })),
  w(2, fc.record({ k: fc.constantFrom('ready' as const, 'disposition' as const), a })),
  w(2, fc.record({ k: fc.constantFrom('not_ready' as const, 'login' as const, 'logout' as const), a })),
  w(2, fc.record({ k: fc.constantFrom('device' as const, 'busy' as const, 'hold' as const), a, on: fc.boolean() })),
  w(4, fc.record({ k: fc.constant('tick' as const), ms: fc.constantFrom(0, 1000, 5000, 10_000, 31_000, 40_000) })),
  w(1, fc.record({ k: fc.constant('reconfigure' as const), q: fc.integer({ min: 1, max: 3 }), strategy: fc.nat(20), maxWaitS: fc.option(fc.integer({ min: 10, max: 60 }), { nil: null }) })),
);

const pick = <T>(list: readonly T[], n: number): T | undefined => list[n % Math.max(1, list.length)];

/** Drives one engine through commands and checks the invariants after every event; throws on a violation. */
export class Checked {
  readonly acd: Acd;
  now = T0;
  private calls = 0;
  /** call → agents ringing, as the decisions said. */
  private offers = new Map<string, Set<number>>();
  private left = new Set<string>();
  readonly queues = new Map<number, QueueConfig>();
  private readonly agentCfgs = new Map<number, AgentConfig>();

  constructor(world: World, seed = 1) {
    this.acd = createAcd({ now: () => this.now, seed });
    for (const q of world.queues) this.handle({ kind: 'queue.set', queue: q });
    for (const ag of world.agents) this.handle({ kind: 'agent.set', agent: ag });
    for (const id of world.online) {
      this.handle({ kind: 'agent.device', agentId: id, up: true });
      this.handle({ kind: 'agent.login', agentId: id });
    }
  }

  get agentIds(): number[] {
    return [...this.agentCfgs.keys()];
  }

  handle(e: AcdEvent): Decision[] {
    if (e.kind === 'queue.set') this.queues.set(e.queue.id, e.queue);
    if (e.kind === 'agent.set') this.agentCfgs.set(e.agent.id, e.agent);
    if (e.kind === 'call.leave' && this.acd.entry(e.callId)) this.left.add(e.callId);
    const before = new Map(this.acd.agents().map((v) => [v.id, v]));
    const ds = this.acd.handle(e);
    this.check(ds, before);
    return ds;
  }

  liveOffers(): [string, number][] {
    return this.acd.waiting().flatMap((x) => x.offeredTo.map((ag) => [x.callId, ag] as [string, number]));
  }

  run(c: Cmd): void {
    const waiting = this.acd.waiting();
    const entry = pick(waiting, 'i' in c ? c.i : 0)?.callId ?? 'nobody';
    const offer = pick(this.liveOffers(), 'i' in c ? c.i : 0) ?? (['nobody', 1] as const);
    const agentId = 'a' in c ? ((c.a - 1) % this.agentCfgs.size) + 1 : 1;
    switch (c.k) {
      case 'enqueue': {
        const queueId = c.q === 0 ? 99 : ((c.q - 1) % this.queues.size) + 1;
        this.handle({ kind: 'call.enqueue', call: { id: `c${++this.calls}`, queueId, priority: c.priority, enteredAt: this.now - c.back, caller: `+49${c.caller}`, callback: c.callback, hops: 0 } });
        return void 0;
      }
      case 'leave': return void this.handle({ kind: 'call.leave', callId: entry, reason: c.exit ? 'exit' : 'abandoned' });
      case 'callback': return void this.handle({ kind: 'call.callback', callId: entry });
      case 'answer': return void this.handle({ kind: 'offer.answered', callId: offer[0], agentId: offer[1] });
      case 'fail': return void this.handle({ kind: 'offer.failed', callId: offer[0], agentId: offer[1], cause: c.cause });
      case 'ended': return void this.handle({ kind: 'call.ended', agentId });
      case 'ready': return void this.handle({ kind: 'agent.ready', agentId });
      case 'not_ready': return void this.handle({ kind: 'agent.not_ready', agentId, reason: 'Break' });
      case 'login': return void this.handle({ kind: 'agent.login', agentId });
      case 'logout': return void this.handle({ kind: 'agent.logout', agentId });
      case 'disposition': return void this.handle({ kind: 'agent.disposition', agentId });
      case 'device': return void this.handle({ kind: 'agent.device', agentId, up: c.on });
      case 'busy': return void this.handle({ kind: 'agent.busy', agentId, busy: c.on });
      case 'hold': return void this.handle({ kind: 'agent.hold', agentId, held: c.on });
      case 'tick':
        this.now += c.ms;
        return void this.handle({ kind: 'tick' });
      case 'reconfigure': {
        const q = this.queues.get(c.q);
        if (!q) return;
        // Ring all stays ring all (and the others stay single-ring), so a live ring is never judged by a new rule.
        const same = STRATEGY_NAMES.filter((s) => (s === 'ring_all') === (q.strategy === 'ring_all'));
        return void this.handle({ kind: 'queue.set', queue: { ...q, strategy: same[c.strategy % same.length]!, maxWaitS: c.maxWaitS } });
      }
    }
  }

  private qualifies(agentId: number, queueId: number): boolean {
    const ag = this.agentCfgs.get(agentId);
    const q = this.queues.get(queueId);
    return !!ag && !!q && ag.queues.some((m) => m.queueId === queueId) && (q.skillId === null || (ag.skills[q.skillId] ?? 0) > 0);
  }

  private check(ds: readonly Decision[], before: Map<number, AgentView>): void {
    const fail = (msg: string): never => {
      throw new Error(`${msg}\n decisions: ${JSON.stringify(ds)}`);
    };
    const after = new Map(this.acd.agents().map((v) => [v.id, v]));
    // A new agent (agent.set) starts logged out without a decision.
    const state = new Map<number, AgentState>([...after].map(([id, v]) => [id, before.get(id)?.state ?? v.state]));
    const holds = (ag: number) => [...this.offers.values()].some((s) => s.has(ag));
    const changed = new Set<number>();
    let timedOut = '';
    for (const d of ds) {
      const ringing = 'callId' in d ? (this.offers.get(d.callId) ?? new Set<number>()) : new Set<number>();
      switch (d.kind) {
        case 'entered':
          if (this.left.has(d.callId)) fail(`${d.callId} left but entered again`);
          break;
        case 'offer': {
          if (this.left.has(d.callId)) fail(`${d.callId} left but was offered`);
          if (holds(d.agentId)) fail(`agent ${d.agentId} would hold two offers`);
          if (ringing.size > 0 && (this.queues.get(d.queueId)?.strategy !== 'ring_all' || d.callback)) fail(`${d.callId} offered to two agents`);
          if (state.get(d.agentId) !== 'ready') fail(`agent ${d.agentId} offered while ${state.get(d.agentId)}`);
          const v = after.get(d.agentId);
          if (!v?.deviceUp || v.cooldownUntil !== null) fail(`agent ${d.agentId} offered with device down or cooling down`);
          if (!this.qualifies(d.agentId, d.queueId)) fail(`agent ${d.agentId} does not serve queue ${d.queueId}`);
          const line = this.acd.waiting(d.queueId);
          const at = line.findIndex((x) => x.callId === d.callId);
          if (at < 0) fail(`${d.callId} offered but not waiting in ${d.queueId}`);
          for (const ahead of line.slice(0, at)) if (!this.offers.get(ahead.callId)?.size) fail(`${ahead.callId} was offerable ahead of ${d.callId}`);
          this.offers.set(d.callId, ringing.add(d.agentId));
          break;
        }
        case 'cancel':
        case 'missed':
        case 'answered':
          // A guard that expired says cancel (timeout), then missed (TIMEOUT), for the same offer.
          if (d.kind === 'missed' && d.cause === 'TIMEOUT' && timedOut === `${d.callId}/${d.agentId}`) break;
          if (!ringing.delete(d.agentId)) fail(`${d.kind} for an offer not live: ${d.callId} → ${d.agentId}`);
          if (ringing.size === 0) this.offers.delete(d.callId);
          if (d.kind === 'cancel' && d.reason === 'timeout') timedOut = `${d.callId}/${d.agentId}`;
          break;
        case 'abandoned':
        case 'overflow':
        case 'callback':
          if (ringing.size > 0) fail(`${d.kind} of ${d.callId} with offers still live`);
          if (d.kind === 'abandoned' || (d.kind === 'overflow' && d.to.kind !== 'queue')) this.left.add(d.callId);
          break;
        case 'agent':
          if (state.get(d.agentId) !== d.from) fail(`agent ${d.agentId} from ${d.from} but was ${state.get(d.agentId)}`);
          state.set(d.agentId, d.to);
          changed.add(d.agentId);
          break;
      }
    }
    this.checkState(state, after, changed, fail);
  }

  private checkState(state: Map<number, AgentState>, after: Map<number, AgentView>, changed: Set<number>, fail: (m: string) => never): void {
    const waiting = this.acd.waiting();
    const byCall = new Map(waiting.map((x) => [x.callId, x]));
    for (const [callId, ringing] of this.offers) {
      const x = byCall.get(callId);
      if (!x || JSON.stringify([...ringing].sort()) !== JSON.stringify([...x.offeredTo].sort())) fail(`offers of ${callId}: decisions say ${[...ringing]}, view ${x?.offeredTo}`);
    }
    const holders = new Map<number, string>();
    waiting.forEach((x, n) => {
      const prev = waiting[n - 1];
      if (prev?.queueId === x.queueId && (prev.priority < x.priority || (prev.priority === x.priority && prev.enteredAt > x.enteredAt))) fail(`${prev.callId} is served before ${x.callId}`);
    });
    for (const x of waiting) {
      if (this.left.has(x.callId)) fail(`${x.callId} left but still waits`);
      if (x.offeredTo.length > 0 && !this.offers.has(x.callId)) fail(`${x.callId} offered without a decision`);
      if (x.offeredTo.length > 1 && (x.callback || this.queues.get(x.queueId)?.strategy !== 'ring_all')) fail(`${x.callId} rings ${x.offeredTo.length} agents`);
      for (const ag of x.offeredTo) {
        if (holders.has(ag)) fail(`agent ${ag} holds two offers`);
        holders.set(ag, x.callId);
      }
    }
    for (const v of after.values()) {
      if (state.get(v.id) !== v.state) fail(`agent ${v.id} is ${v.state} but the decisions say ${state.get(v.id)}`);
      if (changed.has(v.id) && v.since !== this.now) fail(`agent ${v.id} changed without since = now`);
      if ((v.state === 'reserved') !== holders.has(v.id)) fail(`agent ${v.id} is ${v.state} and ${holders.has(v.id) ? 'holds' : 'holds no'} offer`);
      if (v.state === 'reserved' && v.callId !== holders.get(v.id)) fail(`agent ${v.id} callId ${v.callId}`);
      if (!v.available) continue;
      // Nothing is left undone: an available agent has no caller they could be ringing for.
      for (const queueId of v.queueIds) {
        if (!this.qualifies(v.id, queueId)) continue;
        const idle = this.acd.waiting(queueId).find((x) => x.offeredTo.length === 0);
        if (idle) fail(`agent ${v.id} is available while ${idle.callId} waits unoffered in queue ${queueId}`);
      }
    }
  }

  /** Queues someone could ever serve. */
  servable(queueId: number): boolean {
    return this.agentIds.some((ag) => this.qualifies(ag, queueId));
  }

  /** Everyone works: log in, ready, device up, answer every offer, end every call, and let time pass. */
  fairRound(): void {
    for (const id of this.agentIds) {
      const v = this.acd.agent(id)!;
      if (!v.deviceUp) this.handle({ kind: 'agent.device', agentId: id, up: true });
      const events: Record<AgentState, AcdEvent[]> = {
        logged_out: [{ kind: 'agent.login', agentId: id }],
        not_ready: [{ kind: 'agent.ready', agentId: id }],
        busy: [{ kind: 'agent.busy', agentId: id, busy: false }],
        talking: [{ kind: 'call.ended', agentId: id }],
        held: [{ kind: 'call.ended', agentId: id }],
        wrap_up: [{ kind: 'agent.disposition', agentId: id }, { kind: 'agent.ready', agentId: id }],
        ready: [],
        reserved: [],
      };
      for (const e of events[this.acd.agent(id)!.state]) this.handle(e);
    }
    const answered = new Set<string>();
    for (const [callId, agentId] of this.liveOffers()) {
      if (answered.has(callId)) continue;
      answered.add(callId);
      this.handle({ kind: 'offer.answered', callId, agentId });
    }
    this.now += 11_000;
    this.handle({ kind: 'tick' });
  }
}
