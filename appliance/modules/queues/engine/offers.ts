import { REASON, becomeFree, setState, startCooldown } from './agent-state.js';
import { causeEffect, GUARD_CAUSE, GUARD_GRACE_S } from './causes.js';
import { RANK } from './timers.js';
import { MISSED_CALL, type CancelReason } from './types.js';
import { emit, type AgentRec, type EntryRec, type QueueRec, type World } from './world.js';

/** The longest ring a queue may have (the schema's limit): the guard of a restored offer whose queue is unknown. */
const MAX_RING_S = 90;

export function makeOffer(w: World, q: QueueRec, e: EntryRec, a: AgentRec): void {
  e.offers.push(a.cfg.id);
  a.callId = e.call.id;
  a.callQueueId = q.cfg.id;
  startGuard(w, a, w.now + (q.cfg.ringTimeoutS + GUARD_GRACE_S) * 1000);
  q.lastOffered = { position: w.members.get(q.cfg.id)?.get(a.cfg.id) ?? 0, id: a.cfg.id };
  emit(w, { kind: 'offer', callId: e.call.id, agentId: a.cfg.id, queueId: q.cfg.id, ringTimeoutS: q.cfg.ringTimeoutS, callback: e.call.callback });
  setState(w, a, 'reserved', REASON.offer);
}

/** The agent no longer rings for the entry (the caller may still be waiting). */
export function detach(w: World, e: EntryRec, a: AgentRec): void {
  const i = e.offers.indexOf(a.cfg.id);
  if (i >= 0) e.offers.splice(i, 1);
  w.timers.cancel(a.guard);
  a.guard = null;
}

/** We stop the ringing; nothing is held against the agent. */
export function cancelOffer(w: World, e: EntryRec, a: AgentRec, reason: CancelReason): void {
  emit(w, { kind: 'cancel', callId: e.call.id, agentId: a.cfg.id, reason });
  detach(w, e, a);
  becomeFree(w, a, REASON.cancelled);
}

export function cancelOffers(w: World, e: EntryRec, reason: CancelReason): void {
  for (const id of e.offers.slice()) {
    const a = w.agents.get(id);
    if (a) cancelOffer(w, e, a, reason);
  }
  e.offers.length = 0;
}

/** The offer did not become a call: the caller keeps their place, others are tried first; the cause says what the agent's phone is worth. */
export function failOffer(w: World, e: EntryRec, a: AgentRec, cause: string): void {
  const queueId = e.call.queueId;
  detach(w, e, a);
  (e.tried ??= new Set()).add(a.cfg.id);
  w.dirty.add(queueId);
  emit(w, { kind: 'missed', callId: e.call.id, agentId: a.cfg.id, queueId, cause });
  const effect = causeEffect(cause);
  if (effect.deviceDown) a.deviceUp = false;
  if (effect.cooldown) startCooldown(w, a);
  if (!effect.miss) return becomeFree(w, a, REASON.failed);
  a.missed++;
  const limit = w.queues.get(queueId)?.cfg.missesBeforeBreak ?? Infinity;
  // A logout or break the agent asked for wins over the system's break.
  if (a.pending || a.missed < limit) return becomeFree(w, a, REASON.missed);
  a.callId = null;
  a.callQueueId = null;
  setState(w, a, 'not_ready', MISSED_CALL);
}

function startGuard(w: World, a: AgentRec, at: number): void {
  w.timers.cancel(a.guard);
  const callId = a.callId;
  a.guard = w.timers.add(at, RANK.guard, () => {
    a.guard = null;
    if (a.state !== 'reserved' || a.callId !== callId || callId === null) return;
    // Neither answered nor failed in time (a lost event, a stuck leg): we end it ourselves, as a miss.
    emit(w, { kind: 'cancel', callId, agentId: a.cfg.id, reason: 'timeout' });
    const e = w.entries.get(callId);
    if (e?.offers.includes(a.cfg.id)) return failOffer(w, e, a, GUARD_CAUSE);
    dropOrphan(w, callId, a.cfg.id);
    becomeFree(w, a, REASON.cancelled);
  });
}

/**
 * agent.restore of a reserved agent: the offer is live again, with a guard counted from when it was made. If the
 * caller is not waiting (yet), it is kept as an orphan until call.enqueue brings them back; the guard frees the agent
 * if they never come.
 */
export function restoreOffer(w: World, a: AgentRec): void {
  const callId = a.callId;
  if (callId === null) return;
  const e = w.entries.get(callId);
  const q = e && w.queues.get(e.call.queueId);
  if (e && q) {
    if (!e.offers.includes(a.cfg.id)) e.offers.push(a.cfg.id);
    a.callQueueId = q.cfg.id;
    startGuard(w, a, a.since + (q.cfg.ringTimeoutS + GUARD_GRACE_S) * 1000);
    return;
  }
  const ids = w.orphanOffers.get(callId) ?? [];
  if (!ids.includes(a.cfg.id)) ids.push(a.cfg.id);
  w.orphanOffers.set(callId, ids);
  startGuard(w, a, a.since + (MAX_RING_S + GUARD_GRACE_S) * 1000);
}

/** A caller came back (call.enqueue): restored agents still ringing for them hold their offers again. */
export function adoptOrphans(w: World, e: EntryRec): void {
  const ids = w.orphanOffers.get(e.call.id);
  if (!ids) return;
  w.orphanOffers.delete(e.call.id);
  for (const id of ids) {
    const a = w.agents.get(id);
    if (a?.state === 'reserved' && a.callId === e.call.id) restoreOffer(w, a);
  }
}

export function dropOrphan(w: World, callId: string, agentId: number): void {
  const ids = w.orphanOffers.get(callId);
  if (!ids) return;
  const rest = ids.filter((id) => id !== agentId);
  if (rest.length > 0) w.orphanOffers.set(callId, rest);
  else w.orphanOffers.delete(callId);
}
