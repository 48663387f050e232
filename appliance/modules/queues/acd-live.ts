import type { Response } from 'express';
import type { AcdRunner } from './acd-runner.js';
import type { AgentState } from './engine/types.js';

export const STATE_LABELS: Record<AgentState, string> = {
  logged_out: 'Logged out',
  ready: 'Ready',
  not_ready: 'Not ready',
  reserved: 'Ringing',
  talking: 'Talking',
  held: 'On hold',
  wrap_up: 'Wrap-up',
  busy: 'Busy (other call)',
};

/** What the live view shows: every queue with its waiting callers, and every agent with state and time in it. */
export function liveSnapshot(runner: AcdRunner) {
  const acd = runner.acd;
  const now = runner.now();
  const agents = acd.agents().sort((a, b) => a.name.localeCompare(b.name));
  const queues = [...new Set(agents.flatMap((a) => a.queueIds)), ...acd.waiting().map((w) => w.queueId)];
  const queueIds = [...new Set(queues)].filter((id) => acd.queue(id)).sort((a, b) => acd.queue(a)!.name.localeCompare(acd.queue(b)!.name));
  const nameOf = (id: number) => acd.queue(id)?.name ?? `#${id}`;
  const agentName = (id: number) => acd.agent(id)?.name ?? `#${id}`;
  return {
    now,
    queues: queueIds.map((id) => {
      const members = agents.filter((a) => a.queueIds.includes(id));
      const waiting = acd.waiting(id);
      return {
        id,
        name: nameOf(id),
        strategy: acd.queue(id)!.strategy,
        waitingCount: waiting.length,
        longestWaitMs: waiting.reduce((m, w) => Math.max(m, now - w.enteredAt), 0),
        loggedIn: members.filter((a) => a.state !== 'logged_out').length,
        available: members.filter((a) => a.available).length,
        talking: members.filter((a) => a.state === 'talking' || a.state === 'held').length,
        waiting: waiting.map((w) => ({ callId: w.callId, position: w.position, caller: w.caller, priority: w.priority, callback: w.callback, enteredAt: w.enteredAt, offeredTo: w.offeredTo.map(agentName) })),
      };
    }),
    agents: agents.map((a) => ({
      id: a.id,
      name: a.name,
      state: a.state,
      label: STATE_LABELS[a.state],
      reason: a.reason,
      since: a.since,
      deviceUp: a.deviceUp,
      available: a.available,
      queues: a.queueIds.map(nameOf),
      calls: a.calls,
      caller: a.callId ? (acd.entry(a.callId)?.caller ?? runner.talkOf(a.callId)?.number ?? null) : null,
      wrapUpUntil: a.wrapUpUntil,
      needsDisposition: a.needsDisposition,
      pending: a.pending ? (a.pending.state === 'logged_out' ? 'log out' : `not ready (${a.pending.reason})`) : null,
    })),
  };
}
export type LiveSnapshot = ReturnType<typeof liveSnapshot>;

/**
 * Server-sent events: the snapshot now, then again after each change it is told of (at most every `throttleMs`, so
 * a burst of decisions is one update), and a comment every 15 s so proxies keep the stream open.
 */
export function streamTo(
  res: Response,
  o: { changes: ((fn: () => void) => () => void)[]; snapshot: () => unknown; throttleMs?: number; onClose?: () => void },
): { event(name: string, data: unknown): void } {
  res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  let pending: NodeJS.Timeout | null = null;
  const send = () => {
    pending = null;
    res.write(`data: ${JSON.stringify(o.snapshot())}\n\n`);
  };
  send();
  const later = () => void (pending ??= setTimeout(send, o.throttleMs ?? 250));
  const offs = o.changes.map((subscribe) => subscribe(later));
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  res.on('close', () => {
    for (const off of offs) off();
    clearInterval(keepAlive);
    if (pending) clearTimeout(pending);
    o.onClose?.();
  });
  return { event: (name, data) => res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`) };
}
