import { COOLDOWN_MS } from './causes.js';
import { RANK } from './timers.js';
import type { AgentState, QueueConfig } from './types.js';
import { emit, type AgentRec, type World } from './world.js';

/** Short, stable words for why an agent's state changed (a break's reason is the admin's own words instead). */
export const REASON = {
  login: 'login',
  logout: 'logout',
  ready: 'ready',
  offer: 'offer',
  answered: 'answered',
  cancelled: 'cancelled',
  missed: 'missed',
  failed: 'failed',
  hold: 'hold',
  unhold: 'unhold',
  wrapUp: 'wrap-up',
  wrapUpEnd: 'wrap-up-end',
  callEnded: 'call-ended',
  busy: 'busy',
  busyEnd: 'busy-end',
  removed: 'removed',
} as const;

/** Offerable now. A cooldown ends only when its timer fires (on a tick), so availability changes only on events. */
export const isAvailable = (a: AgentRec): boolean => a.state === 'ready' && a.deviceUp && a.cooldown === null;

export const qualifies = (a: AgentRec, q: QueueConfig): boolean => q.skillId === null || (a.cfg.skills[q.skillId] ?? 0) > 0;

export function setState(w: World, a: AgentRec, to: AgentState, reason: string | null): void {
  const from = a.state;
  a.state = to;
  a.reason = reason;
  a.since = w.now;
  emit(w, { kind: 'agent', agentId: a.cfg.id, from, to, reason });
  if (to === 'ready') w.freed.add(a.cfg.id);
}

/**
 * The agent's offer, call or wrap-up is over: a logout or break asked for meanwhile applies now (that is when
 * "applied when it ends" happens), otherwise the agent is ready.
 */
export function becomeFree(w: World, a: AgentRec, reason: string): void {
  const pending = a.pending;
  a.pending = null;
  a.callId = null;
  a.callQueueId = null;
  clearWrapUp(w, a);
  if (pending?.state === 'logged_out') logOut(w, a, REASON.logout);
  else if (pending) setState(w, a, 'not_ready', pending.reason);
  else setState(w, a, 'ready', reason);
}

/** Free after a call (or the wrap-up, or a non-queue call): longest idle counts from here. */
export function freeAfterCall(w: World, a: AgentRec, reason: string): void {
  a.idleSince = w.now;
  becomeFree(w, a, reason);
}

export function logOut(w: World, a: AgentRec, reason: string): void {
  w.timers.cancel(a.cooldown);
  a.cooldown = null;
  clearWrapUp(w, a);
  a.pending = null;
  a.busyReturn = null;
  a.callId = null;
  a.callQueueId = null;
  setState(w, a, 'logged_out', reason);
  // The queues may have lost their last logged-in member (noAgents: 'overflow'); checked once the event is applied.
  for (const m of a.cfg.queues) w.emptied.add(m.queueId);
}

export function startCooldown(w: World, a: AgentRec): void {
  w.timers.cancel(a.cooldown);
  a.cooldown = w.timers.add(w.now + COOLDOWN_MS, RANK.cooldown, () => {
    a.cooldown = null;
    if (isAvailable(a)) w.freed.add(a.cfg.id);
  });
}

/** The queue call ended: wrap-up as the call's queue says (a removed queue: none). */
export function startWrapUp(w: World, a: AgentRec, q: QueueConfig | undefined): void {
  const wrapUpS = q ? q.wrapUpS : 0;
  const needsDisposition = q?.requireDisposition ?? false;
  if (wrapUpS === 0 && !needsDisposition) return freeAfterCall(w, a, REASON.callEnded);
  a.needsDisposition = needsDisposition;
  // wrapUpS 0 with a required disposition: nothing timed, the disposition alone ends it.
  a.wrapUpElapsed = wrapUpS === 0;
  if (wrapUpS !== null && wrapUpS > 0) armWrapUp(w, a, w.now + wrapUpS * 1000);
  setState(w, a, 'wrap_up', REASON.wrapUp);
}

export function armWrapUp(w: World, a: AgentRec, until: number): void {
  w.timers.cancel(a.wrapTimer);
  a.wrapUpUntil = until;
  a.wrapTimer = w.timers.add(until, RANK.wrapUp, () => {
    a.wrapTimer = null;
    a.wrapUpElapsed = true;
    // A missing disposition keeps the agent in wrap-up until it arrives; a busy agent leaves it when their call ends.
    if (a.state === 'wrap_up' && !a.needsDisposition) freeAfterCall(w, a, REASON.wrapUpEnd);
  });
}

export const wrapUpDone = (a: AgentRec): boolean => a.wrapUpElapsed && !a.needsDisposition;

function clearWrapUp(w: World, a: AgentRec): void {
  w.timers.cancel(a.wrapTimer);
  a.wrapTimer = null;
  a.wrapUpUntil = null;
  a.wrapUpElapsed = false;
  a.needsDisposition = false;
}

export function goBusy(w: World, a: AgentRec): void {
  if (a.state !== 'ready' && a.state !== 'not_ready' && a.state !== 'wrap_up') return;
  a.busyReturn = { state: a.state, reason: a.reason };
  setState(w, a, 'busy', REASON.busy);
}

export function endBusy(w: World, a: AgentRec): void {
  if (a.state !== 'busy') return;
  const back = a.busyReturn ?? { state: 'ready', reason: null };
  a.busyReturn = null;
  if (back.state === 'not_ready') setState(w, a, 'not_ready', back.reason);
  else if (back.state === 'wrap_up' && !wrapUpDone(a)) setState(w, a, 'wrap_up', back.reason);
  else freeAfterCall(w, a, REASON.busyEnd);
}
