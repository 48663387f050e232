import { REASON, armWrapUp, endBusy, freeAfterCall, goBusy, isAvailable, logOut, setState, startWrapUp, wrapUpDone } from './agent-state.js';
import { detach, dropOrphan, restoreOffer } from './offers.js';
import type { AcdEvent, AgentConfig } from './types.js';
import { emit, queueConfig, type AgentRec, type World } from './world.js';

type Ev<K extends AcdEvent['kind']> = Extract<AcdEvent, { kind: K }>;

/** A new agent is logged out with the device down until the runner says otherwise (it sends device events). */
export function setAgent(w: World, cfg: AgentConfig): void {
  let a = w.agents.get(cfg.id);
  if (a) {
    for (const m of a.cfg.queues) {
      w.members.get(m.queueId)?.delete(cfg.id);
      w.emptied.add(m.queueId);
    }
    a.cfg = cfg;
  } else {
    a = {
      cfg, state: 'logged_out', reason: null, since: w.now, deviceUp: false, callId: null, callQueueId: null,
      calls: 0, talkMs: 0, talkStart: null, idleSince: w.now, missed: 0, wrapUpUntil: null, wrapUpElapsed: false,
      needsDisposition: false, pending: null, busyReturn: null, guard: null, wrapTimer: null, cooldown: null,
    };
    w.agents.set(cfg.id, a);
  }
  for (const m of cfg.queues) {
    let members = w.members.get(m.queueId);
    if (!members) w.members.set(m.queueId, (members = new Map()));
    members.set(cfg.id, m.position);
  }
  // New queues or skills may have callers for them. An offer in progress goes on: its outcome will tell.
  if (isAvailable(a)) w.freed.add(cfg.id);
}

export function removeAgent(w: World, agentId: number): void {
  const a = w.agents.get(agentId);
  if (!a) return;
  if (a.state === 'reserved' && a.callId !== null) {
    const e = w.entries.get(a.callId);
    if (e?.offers.includes(agentId)) {
      emit(w, { kind: 'cancel', callId: a.callId, agentId, reason: 'removed' });
      detach(w, e, a);
      w.dirty.add(e.call.queueId);
    } else dropOrphan(w, a.callId, agentId);
  }
  stopTimers(w, a);
  if (a.state !== 'logged_out') setState(w, a, 'logged_out', REASON.removed);
  for (const m of a.cfg.queues) {
    w.members.get(m.queueId)?.delete(agentId);
    w.emptied.add(m.queueId);
  }
  w.agents.delete(agentId);
  w.freed.delete(agentId);
}

/**
 * After a restart: the persisted state, verbatim, and no decisions about the past. A reserved agent's offer is live
 * again (guarded); a timed wrap-up runs on from `since` when the call's queue is known. An agent restored ready is
 * offered a caller at the next event (a tick will do), not now.
 */
export function restoreAgent(w: World, ev: Ev<'agent.restore'>): void {
  const a = w.agents.get(ev.agentId);
  if (!a) return;
  if (a.state === 'reserved' && a.callId !== null) {
    const e = w.entries.get(a.callId);
    if (e) {
      detach(w, e, a);
      w.dirty.add(e.call.queueId);
    }
    dropOrphan(w, a.callId, a.cfg.id);
  }
  stopTimers(w, a);
  Object.assign(a, { state: ev.state, reason: ev.reason, since: ev.since, callId: ev.callId, callQueueId: ev.queueId ?? null });
  Object.assign(a, { pending: null, busyReturn: null, wrapUpUntil: null, wrapUpElapsed: false, needsDisposition: false, talkStart: null });
  if (ev.state === 'talking' || ev.state === 'held') a.talkStart = ev.since;
  if (ev.state === 'busy') a.busyReturn = { state: 'ready', reason: null };
  if (ev.state === 'reserved') restoreOffer(w, a);
  const q = queueConfig(w, a.callQueueId);
  if (ev.state === 'wrap_up' && q) {
    a.needsDisposition = q.requireDisposition;
    a.wrapUpElapsed = q.wrapUpS === 0;
    if (q.wrapUpS) armWrapUp(w, a, ev.since + q.wrapUpS * 1000);
  }
  if (ev.state === 'ready') w.freed.add(a.cfg.id);
}

function stopTimers(w: World, a: AgentRec): void {
  for (const t of [a.guard, a.wrapTimer, a.cooldown]) w.timers.cancel(t);
  a.guard = a.wrapTimer = a.cooldown = null;
}

export function login(w: World, a: AgentRec): void {
  if (a.state !== 'logged_out') return;
  Object.assign(a, { calls: 0, talkMs: 0, missed: 0, idleSince: w.now });
  setState(w, a, 'ready', REASON.login);
}

/** On an offer, a call or a wrap-up the logout waits (an offer is never pulled from under the agent). */
export function logout(w: World, a: AgentRec): void {
  if (a.state === 'logged_out') return;
  if (a.state === 'reserved' || a.state === 'talking' || a.state === 'held' || a.state === 'wrap_up') a.pending = { state: 'logged_out' };
  else logOut(w, a, REASON.logout);
}

export function notReady(w: World, a: AgentRec, reason: string): void {
  if (a.state === 'logged_out') return;
  if (a.state === 'reserved' || a.state === 'talking' || a.state === 'held' || a.state === 'wrap_up') a.pending = { state: 'not_ready', reason };
  else if (a.state === 'busy') a.busyReturn = { state: 'not_ready', reason };
  else setState(w, a, 'not_ready', reason);
}

/**
 * From a break: ready (and a new run of misses). From wrap-up: done, unless a required disposition is missing; a
 * logout or break asked for during the call applies now. On an offer or a call: the agent changed their mind, so a
 * pending logout or break is dropped (the latest request wins).
 */
export function ready(w: World, a: AgentRec): void {
  if (a.state === 'not_ready') {
    a.missed = 0;
    setState(w, a, 'ready', REASON.ready);
  } else if (a.state === 'wrap_up') {
    if (!a.needsDisposition) freeAfterCall(w, a, REASON.ready);
  } else if (a.state === 'busy') {
    // Ready once the other call ends (a wrap-up counts as done then, unless a disposition is still due).
    const back = a.busyReturn?.state;
    if (back === 'not_ready' || (back === 'wrap_up' && !a.needsDisposition)) a.busyReturn = { state: 'ready', reason: null };
  } else if (a.state === 'reserved' || a.state === 'talking' || a.state === 'held') {
    a.pending = null;
  }
}

/** The disposition is saved: a wrap-up whose time is up ends now; a running one ends with its timer. */
export function disposition(w: World, a: AgentRec): void {
  a.needsDisposition = false;
  if (a.state === 'wrap_up' && wrapUpDone(a)) freeAfterCall(w, a, REASON.wrapUpEnd);
}

export function device(w: World, a: AgentRec, up: boolean): void {
  a.deviceUp = up;
  if (isAvailable(a)) w.freed.add(a.cfg.id);
}

export function busy(w: World, a: AgentRec, on: boolean): void {
  if (on) goBusy(w, a);
  else endBusy(w, a);
}

export function hold(w: World, a: AgentRec, held: boolean): void {
  if (held && a.state === 'talking') setState(w, a, 'held', REASON.hold);
  else if (!held && a.state === 'held') setState(w, a, 'talking', REASON.unhold);
}

export function callEnded(w: World, a: AgentRec): void {
  if (a.state !== 'talking' && a.state !== 'held') return;
  a.talkMs += Math.max(0, w.now - (a.talkStart ?? w.now));
  a.talkStart = null;
  startWrapUp(w, a, queueConfig(w, a.callQueueId));
}
