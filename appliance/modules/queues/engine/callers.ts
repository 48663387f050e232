import { REASON, setState } from './agent-state.js';
import { adoptOrphans, cancelOffers, detach } from './offers.js';
import { RANK } from './timers.js';
import { MAX_HOPS, type CallEntry, type CancelReason, type Destination, type OverflowReason } from './types.js';
import { emit, type EntryRec, type QueueRec, type World } from './world.js';

const HANGUP: Destination = { kind: 'hangup' };
/** How long a caller is remembered for the sticky strategy at most (the schema's largest sticky window). */
const STICKY_KEEP_MS = 2_592_000_000;

const waitMs = (w: World, call: CallEntry) => Math.max(0, w.now - call.enteredAt);

export function enqueue(w: World, call: CallEntry): void {
  // Already waiting (a restore replayed twice): the caller keeps the place they have.
  if (w.entries.has(call.id)) return;
  const q = w.queues.get(call.queueId);
  if (!q) return overflowCall(w, call, HANGUP, 'removed');
  // A callback request (restored after a restart) has no caller on the line to send elsewhere: it always keeps its place.
  if (!call.callback) {
    if (q.cfg.maxLength !== null && q.list.size >= q.cfg.maxLength) return overflowCall(w, call, q.cfg.whenFull, 'full');
    if (q.cfg.noAgents === 'overflow' && !anyLoggedIn(w, q.cfg.id)) return overflowCall(w, call, q.cfg.overflow, 'no_agents');
  }
  const e: EntryRec = { call: { ...call }, seq: ++w.seq, offers: [], tried: null, maxWait: null };
  w.entries.set(call.id, e);
  const index = q.list.insert(e);
  scheduleMaxWait(w, e);
  emit(w, { kind: 'entered', callId: call.id, queueId: q.cfg.id, position: index + 1 });
  adoptOrphans(w, e);
  w.dirty.add(q.cfg.id);
}

/**
 * The caller goes to `dest` instead of waiting here. Into another queue they start a new wait there (enteredAt now:
 * that queue's max wait counts from their arrival in it), keep their priority, and count a hop; past MAX_HOPS they
 * are hung up, so two queues overflowing into each other cannot bounce a caller forever.
 */
function overflowCall(w: World, call: CallEntry, dest: Destination, reason: OverflowReason): void {
  const to = dest.kind === 'queue' && call.hops + 1 > MAX_HOPS ? HANGUP : dest;
  emit(w, { kind: 'overflow', callId: call.id, queueId: call.queueId, to, reason, waitMs: waitMs(w, call) });
  if (to.kind === 'queue') enqueue(w, { ...call, queueId: to.queueId, hops: call.hops + 1, enteredAt: w.now });
}

export function overflowEntry(w: World, q: QueueRec, e: EntryRec, dest: Destination, reason: OverflowReason, cancel: CancelReason): void {
  cancelOffers(w, e, cancel);
  removeEntry(w, q, e);
  overflowCall(w, e.call, dest, reason);
}

function removeEntry(w: World, q: QueueRec, e: EntryRec): void {
  q.list.remove(e);
  w.entries.delete(e.call.id);
  w.timers.cancel(e.maxWait);
  e.maxWait = null;
}

/** (Re)arms the max-wait timer: live callers only; a callback request waits as long as it takes. */
export function scheduleMaxWait(w: World, e: EntryRec): void {
  w.timers.cancel(e.maxWait);
  e.maxWait = null;
  const maxWaitS = w.queues.get(e.call.queueId)?.cfg.maxWaitS ?? null;
  if (e.call.callback || maxWaitS === null) return;
  e.maxWait = w.timers.add(e.call.enteredAt + maxWaitS * 1000, RANK.maxWait, () => {
    e.maxWait = null;
    const q = w.queues.get(e.call.queueId);
    if (q && w.entries.get(e.call.id) === e) overflowEntry(w, q, e, q.cfg.overflow, 'max_wait', 'overflow');
  });
}

export function leave(w: World, callId: string, reason: 'abandoned' | 'exit'): void {
  const e = w.entries.get(callId);
  const q = e && w.queues.get(e.call.queueId);
  if (!e || !q) return;
  cancelOffers(w, e, reason);
  removeEntry(w, q, e);
  emit(w, { kind: 'abandoned', callId, queueId: q.cfg.id, waitMs: waitMs(w, e.call), reason });
}

/**
 * The caller hung up asking to be called back: the entry keeps its place as a callback request. The agents ringing
 * for the live call are stopped (there is nobody to bridge them to); the request is then offered to one agent.
 */
export function callback(w: World, callId: string): void {
  const e = w.entries.get(callId);
  if (!e || e.call.callback) return;
  cancelOffers(w, e, 'exit');
  e.call.callback = true;
  scheduleMaxWait(w, e);
  emit(w, { kind: 'callback', callId, queueId: e.call.queueId, waitMs: waitMs(w, e.call) });
  w.dirty.add(e.call.queueId);
}

export function answer(w: World, callId: string, agentId: number): void {
  const e = w.entries.get(callId);
  const a = w.agents.get(agentId);
  const q = e && w.queues.get(e.call.queueId);
  // A late answer to an offer we already ended: the runner hangs up that leg; nothing changes here.
  if (!e || !q || !a || a.state !== 'reserved' || a.callId !== callId || !e.offers.includes(agentId)) return;
  detach(w, e, a);
  a.calls++;
  a.missed = 0;
  a.talkStart = w.now;
  a.callQueueId = q.cfg.id;
  setState(w, a, 'talking', REASON.answered);
  emit(w, { kind: 'answered', callId, agentId, queueId: q.cfg.id, waitMs: waitMs(w, e.call), callback: e.call.callback });
  cancelOffers(w, e, 'answered_elsewhere');
  removeEntry(w, q, e);
  rememberCaller(w, e.call.caller, agentId, w.now);
}

export function rememberCaller(w: World, caller: string, agentId: number, at: number): void {
  // An anonymous caller is nobody in particular: never stick them to an agent.
  if (caller === '') return;
  const known = w.sticky.get(caller);
  if (known && known.at > at) return;
  w.sticky.delete(caller);
  w.sticky.set(caller, { agentId, at });
  // Oldest first (insertion order): drop what no sticky window can reach any more, so the map stays bounded.
  for (const [c, s] of w.sticky) {
    if (w.now - s.at <= STICKY_KEEP_MS) break;
    w.sticky.delete(c);
  }
}

export function anyLoggedIn(w: World, queueId: number): boolean {
  for (const id of w.members.get(queueId)?.keys() ?? []) if (w.agents.get(id)?.state !== 'logged_out') return true;
  return false;
}

/** A queue that overflows when nobody is logged in lost its last member: its live callers go to its overflow. */
export function settleEmptied(w: World): void {
  for (const queueId of w.emptied) {
    w.emptied.delete(queueId);
    const q = w.queues.get(queueId);
    if (!q || q.cfg.noAgents !== 'overflow' || anyLoggedIn(w, queueId)) continue;
    for (const e of q.list.toArray()) if (!e.call.callback) overflowEntry(w, q, e, q.cfg.overflow, 'no_agents', 'overflow');
  }
}

/** The queue is gone: every caller in it (callback requests too, which have no queue left to wait in) is hung up. */
export function dropQueue(w: World, q: QueueRec): void {
  for (const e of q.list.toArray()) overflowEntry(w, q, e, HANGUP, 'removed', 'removed');
  w.queues.delete(q.cfg.id);
}
