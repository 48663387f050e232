import { isAvailable } from './agent-state.js';
import type { AgentView, CallEntry, WaitingView } from './types.js';
import type { AgentRec, QueueRec, World } from './world.js';

// Copies, so that nothing a caller of the views holds can change the engine's state.

export function agentView(a: AgentRec): AgentView {
  return {
    id: a.cfg.id,
    name: a.cfg.name,
    state: a.state,
    reason: a.reason,
    since: a.since,
    deviceUp: a.deviceUp,
    callId: a.callId,
    queueIds: a.cfg.queues.map((m) => m.queueId),
    calls: a.calls,
    talkMs: a.talkMs,
    idleSince: a.idleSince,
    missed: a.missed,
    wrapUpUntil: a.wrapUpUntil,
    needsDisposition: a.needsDisposition,
    pending: a.pending ? { ...a.pending } : null,
    available: isAvailable(a),
    cooldownUntil: a.cooldown?.at ?? null,
  };
}

function waitingOf(q: QueueRec): WaitingView[] {
  const out: WaitingView[] = [];
  for (const e of q.list) {
    const c = e.call;
    out.push({ callId: c.id, queueId: c.queueId, priority: c.priority, enteredAt: c.enteredAt, caller: c.caller, callback: c.callback, position: out.length + 1, offeredTo: [...e.offers] });
  }
  return out;
}

/** One queue in serving order; all queues: each in serving order, queues by id (positions are per queue). */
export function waitingView(w: World, queueId?: number): WaitingView[] {
  if (queueId !== undefined) {
    const q = w.queues.get(queueId);
    return q ? waitingOf(q) : [];
  }
  return [...w.queues.values()].sort((a, b) => a.cfg.id - b.cfg.id).flatMap(waitingOf);
}

export function entryView(w: World, callId: string): CallEntry | undefined {
  const e = w.entries.get(callId);
  return e && { ...e.call };
}

export function positionOf(w: World, callId: string): number | null {
  const e = w.entries.get(callId);
  const i = e ? (w.queues.get(e.call.queueId)?.list.indexOf(e) ?? -1) : -1;
  return i < 0 ? null : i + 1;
}
