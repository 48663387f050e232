import { isAvailable, qualifies } from './agent-state.js';
import { makeOffer } from './offers.js';
import { STRATEGY_REGISTRY, type Candidate, type PickContext } from './strategies/index.js';
import { servedBefore } from './waiting-list.js';
import type { AgentRec, EntryRec, QueueRec, World } from './world.js';

/**
 * Offering, after an event has been applied. Agents that became available go first: each takes the best waiting
 * caller across all their queues (priority, then time entered, then arrival), so a higher-priority or older caller in
 * one of their queues is not passed over for another queue's. Then queues with new or re-offerable callers are
 * served from their heads. Offers only take agents, they never free one, so one pass leaves no available agent next to
 * an offerable caller.
 */
export function dispatch(w: World): void {
  while (w.freed.size > 0 || w.dirty.size > 0) {
    for (const id of w.freed) {
      w.freed.delete(id);
      const a = w.agents.get(id);
      if (a) serveAgent(w, a);
    }
    for (const id of w.dirty) {
      w.dirty.delete(id);
      const q = w.queues.get(id);
      if (q) serveQueue(w, q);
    }
  }
}

function serveAgent(w: World, a: AgentRec): void {
  while (isAvailable(a)) {
    const best = bestFor(w, a, (e) => e.offers.length === 0);
    // The entry is chosen first, then its queue's strategy chooses among all its candidates (this agent among them):
    // a sequential queue still gives it to a higher-placed member who is free too.
    if (best) {
      offerEntry(w, best.q, best.e, candidatesOf(w, best.q));
      continue;
    }
    const ring = bestFor(w, a, (e, q) => joinsRing(q, e, a));
    if (ring) makeOffer(w, ring.q, ring.e, a);
    return;
  }
}

function serveQueue(w: World, q: QueueRec): void {
  let candidates = candidatesOf(w, q);
  if (candidates.length === 0) return;
  // Every entry of a queue has the same candidates, so the walk stops when they run out.
  for (const e of q.list) {
    if (e.offers.length > 0) continue;
    const taken = offerEntry(w, q, e, candidates);
    candidates = candidates.filter((c) => !taken.includes(c));
    if (candidates.length === 0) return;
  }
  // Ring all with free agents left over: they may join a ring in progress (after anything better elsewhere).
  if (STRATEGY_REGISTRY[q.cfg.strategy].ringsAll) for (const c of candidates) serveAgent(w, w.agents.get(c.id)!);
}

/**
 * A newly available agent may join a ring-all queue's ring in progress when nothing else is waiting for them:
 * not a callback's (one agent only) and not one they have already missed.
 */
function joinsRing(q: QueueRec, e: EntryRec, a: AgentRec): boolean {
  return STRATEGY_REGISTRY[q.cfg.strategy].ringsAll && !e.call.callback && e.offers.length > 0 && !e.tried?.has(a.cfg.id);
}

/** The first entry (in serving order) accepted by `pred` across the queues the agent serves and qualifies for. */
function bestFor(w: World, a: AgentRec, pred: (e: EntryRec, q: QueueRec) => boolean): { q: QueueRec; e: EntryRec } | null {
  let best: { q: QueueRec; e: EntryRec } | null = null;
  for (const m of a.cfg.queues) {
    const q = w.queues.get(m.queueId);
    if (!q || !qualifies(a, q.cfg)) continue;
    const e = q.list.find((x) => pred(x, q));
    if (e && (!best || servedBefore(e, best.e) < 0)) best = { q, e };
  }
  return best;
}

/** Offers the entry by its queue's strategy; returns who was offered it. */
function offerEntry(w: World, q: QueueRec, e: EntryRec, candidates: readonly Candidate[]): Candidate[] {
  // Those who already missed this call come last: only when everyone has, the slate is wiped and all are tried again.
  let pool = e.tried ? candidates.filter((c) => !e.tried!.has(c.id)) : candidates;
  if (pool.length === 0) {
    e.tried = null;
    pool = candidates;
  }
  const strategy = STRATEGY_REGISTRY[q.cfg.strategy];
  // A callback is never offered to more agents than the one who will call back.
  const chosen = strategy.ringsAll && !e.call.callback ? [...pool] : [strategy.pick(pool, pickContext(w, q, e))];
  for (const c of chosen) makeOffer(w, q, e, w.agents.get(c.id)!);
  return chosen;
}

function candidatesOf(w: World, q: QueueRec): Candidate[] {
  const out: Candidate[] = [];
  const skillId = q.cfg.skillId;
  for (const [id, position] of w.members.get(q.cfg.id) ?? []) {
    const a = w.agents.get(id);
    if (!a || !isAvailable(a) || !qualifies(a, q.cfg)) continue;
    out.push({ id, position, idleSince: a.idleSince, calls: a.calls, talkMs: a.talkMs, level: skillId === null ? 0 : (a.cfg.skills[skillId] ?? 0) });
  }
  return out;
}

function pickContext(w: World, q: QueueRec, e: EntryRec): PickContext {
  return {
    queue: q.cfg,
    call: e.call,
    now: w.now,
    random: w.random,
    lastOffered: q.lastOffered,
    lastAgent: () => {
      const s = w.sticky.get(e.call.caller);
      return s && w.now - s.at <= q.cfg.stickyWindowS * 1000 ? s.agentId : null;
    },
  };
}
