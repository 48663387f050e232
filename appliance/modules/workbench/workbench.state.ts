import type { FlowRun } from '../flows/flows.types.js';
import type { PopCall } from '../screenpop/index.js';
import { STATE_LABELS } from '../queues/acd-live.js';
import type { AcdRunner } from '../queues/acd-runner.js';
import type { AgentCalls } from '../calls/agent-calls.js';
import { deskView } from '../calls/desk.js';


export interface WorkbenchDeps {
  runner: AcdRunner;
  calls: AgentCalls;
  agentOf(userId: number): { id: number; number: string; name: string; username: string; device: string; browserPhone: boolean } | null;
  queueName(id: number): string | null;
  /** The disposition codes of a queue. */
  dispositions(queueId: number): string[];
  /** The call's way through a flow, if it came through one. */
  flowRun(callId: string): (FlowRun & { flowName: string }) | null;
  /** The recording running on the agent's call, if any: the page offers to pause it. */
  recording(agentId: number): { id: number; isPaused: boolean } | null;
}

/**
 * The customer's name: what the flow looked up (an HTTP request node that sets customer_name, e.g. from the CRM),
 * else the caller ID name.
 */
const nameOf = (run: (FlowRun & { flowName: string }) | null, callerIdName: string | undefined) => run?.vars.customer_name || callerIdName || null;

/** The IVR steps as the agent reads them: "menu 1 → queue". */
function ivrOf(run: (FlowRun & { flowName: string }) | null) {
  if (!run) return null;
  const steps = run.path.map((s) => `${s.kind}${s.digits.length ? ` ${s.digits.join('')}` : ''}${s.branch && s.branch !== 'next' ? ` (${s.branch})` : ''}`);
  return { flow: run.flowName, called: run.called, path: steps, vars: run.vars };
}

/**
 * Everything the agent's workbench shows, as one value: pushed whole to the page on each change, so the page is
 * a rendering of it (and a reconnect catches up by construction).
 */
export function workbenchState(d: WorkbenchDeps, agentId: number, me: { number: string; username: string }) {
  const a = d.runner.acd.agent(agentId);
  const now = d.runner.now();
  if (!a) return { now, agent: null, offer: null, call: null, wrapUp: null, pop: null, recording: null };
  const offerRaw = a.state === 'reserved' ? d.runner.offerOf(agentId) : undefined;
  const entry = offerRaw ? d.runner.acd.entry(offerRaw.callId) : undefined;
  const offerRun = offerRaw ? d.flowRun(offerRaw.callId) : null;
  const offer = offerRaw
    ? { callId: offerRaw.callId, number: offerRaw.number, name: nameOf(offerRun, offerRaw.callerName), queue: d.queueName(offerRaw.queueId), queueId: offerRaw.queueId, waitedMs: entry ? now - entry.enteredAt : null, ivr: ivrOf(offerRun), callback: entry?.callback ?? false }
    : null;
  const desk = d.calls.desk(agentId);
  const talk = d.runner.talkOfAgent(agentId);
  const run = desk?.direction === 'inbound' ? d.flowRun(desk.callId) : null;
  const call = desk
    ? { ...deskView(desk), name: desk.direction === 'inbound' ? nameOf(run, talk?.callerName) : null, queue: desk.queueId ? d.queueName(desk.queueId) : null, ivr: ivrOf(run) }
    : talk
      ? { callId: talk.callId, direction: 'inbound' as const, number: talk.number, callerId: null, queueId: talk.queueId, state: 'talking' as const, muted: false, consult: null, since: talk.answeredAt, name: talk.callerName || null, queue: d.queueName(talk.queueId), ivr: null }
      : null;
  const last = d.runner.lastCallOf(agentId);
  const wrapUp = a.state === 'wrap_up' ? { until: a.wrapUpUntil, needsDisposition: a.needsDisposition, dispositions: last?.queueId ? d.dispositions(last.queueId) : [] } : null;
  const popOf = (): PopCall | null => {
    const c = call ?? offer;
    if (!c) return null;
    const ivr = c.ivr;
    const outbound = 'direction' in c && c.direction === 'outbound';
    const queueId = c.queueId ?? null;
    return {
      callerNum: outbound ? ((c as { callerId: string | null }).callerId ?? '') : c.number,
      calledNum: outbound ? c.number : (ivr?.called ?? ''),
      callid: c.callId,
      callType: outbound ? 1 : 0,
      workNo: me.number,
      callskill: queueId ? (d.queueName(queueId) ?? '') : '',
      callskillid: queueId ? String(queueId) : '',
      agentName: me.username,
      vars: ivr?.vars ?? {},
    };
  };
  return {
    now,
    agent: { state: a.state, label: STATE_LABELS[a.state], reason: a.state === 'not_ready' ? a.reason : null, since: a.since, deviceUp: a.deviceUp, pending: a.pending },
    offer,
    call,
    wrapUp,
    pop: popOf(),
    recording: call ? d.recording(agentId) : null,
  };
}
export type WorkbenchState = ReturnType<typeof workbenchState>;
