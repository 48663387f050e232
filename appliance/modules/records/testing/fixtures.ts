import type { CallRecord, RecordAgent, RecordRecording, Result, TimelineItem } from '../records.types.js';

/**
 * Realistic call records for the pages' tests, made directly (the pages read what the store saved; deriving them
 * from the ledger is tested in derive.test.ts). Times in ms; `at` is when the call started.
 */
let seq = 0;
const uuid = () => {
  seq++;
  const hex = seq.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
};

const line = (at: number, kind: string, text: string, agentId: number | null = null, queueId: number | null = null): TimelineItem => ({ at, kind, text, agentId, queueId });

function base(at: number, o: Partial<CallRecord>): CallRecord {
  const callId = o.callId ?? uuid();
  return {
    callId,
    direction: 'inbound',
    caller: '+15550100',
    callerName: '',
    callee: '1001',
    dialed: '+15550199',
    trunkId: null,
    numberId: null,
    startedAt: at,
    answeredAt: null,
    endedAt: at + 60_000,
    durationMs: 60_000,
    flows: [],
    flowMs: 0,
    queueId: null,
    waitMs: null,
    outcome: 'answered',
    result: null,
    agents: [],
    talkMs: 0,
    transfers: [],
    conferences: [],
    hangupCause: 'NORMAL_CLEARING',
    hangupSide: 'customer',
    disposition: null,
    survey: null,
    recordings: [],
    legs: [{ uuid: callId, direction: 'inbound', channel: 'sofia/external/+15550100@carrier', caller: o.caller ?? '+15550100', destination: o.dialed ?? '+15550199', createdAt: at, answeredAt: at + 500, endedAt: at + 60_000, cause: 'NORMAL_CLEARING', disposition: 'recv_bye' }],
    timeline: [],
    ...o,
  };
}

export function agentPart(agentId: number, queueId: number | null, o: Partial<RecordAgent> = {}): RecordAgent {
  return { agentId, queueId, offeredAt: null, answeredAt: null, endedAt: null, ringMs: 4000, talkMs: 0, holdMs: 0, wrapMs: 0, missed: false, ...o };
}

export function recordingPart(recordingId: number, at: number, o: Partial<RecordRecording> = {}): RecordRecording {
  return { recordingId, startedAt: at, stoppedAt: at + 90_000, stereo: true, pauses: [], durationMs: 90_000, sizeBytes: 720_000, deleted: false, ...o };
}

/** An inbound call through an IVR (press 2) into a queue, answered by an agent after a wait; 2 min talk, 10 s hold. */
export function answeredCall(at: number, o: { agentId: number; queueId: number; caller?: string; dialed?: string; waitMs?: number; recordingId?: number; flowId?: number; trunkId?: number; callId?: string; note?: string; survey?: number }): CallRecord {
  const wait = o.waitMs ?? 20_000;
  const inFlow = 12_000;
  const queued = at + inFlow;
  const answered = queued + wait;
  const talk = 120_000;
  const ended = answered + talk;
  const id = o.callId ?? uuid();
  const caller = o.caller ?? '+15550100';
  return base(at, {
    callId: id,
    caller,
    dialed: o.dialed ?? '+15550199',
    callee: o.dialed ?? '+15550199',
    trunkId: o.trunkId ?? null,
    answeredAt: at + 500,
    endedAt: ended,
    durationMs: ended - at,
    flows: [
      {
        flowId: o.flowId ?? 1,
        startedAt: at + 500,
        endedAt: queued,
        outcome: 'transfer',
        path: [
          { node: 'n1', kind: 'play', at: 0, branch: 'next', digits: [], played: ['prompt:1'], note: null },
          { node: 'n2', kind: 'menu', at: 6000, branch: '2', digits: ['2'], played: ['Press 1 for sales, 2 for support'], note: null },
          { node: 'n3', kind: 'transfer', at: 11_000, branch: null, digits: [], played: [], note: 'queue Support' },
        ],
        vars: { language: 'en', account: '4711' },
      },
    ],
    flowMs: inFlow - 500,
    queueId: o.queueId,
    waitMs: wait,
    outcome: 'answered',
    agents: [agentPart(o.agentId, o.queueId, { offeredAt: answered - 4000, answeredAt: answered, endedAt: ended, talkMs: talk, holdMs: 10_000, wrapMs: 15_000 })],
    talkMs: talk,
    hangupSide: 'customer',
    disposition: { code: 'Resolved', note: o.note ?? 'Reset the password', agentId: o.agentId },
    survey: o.survey ?? null,
    recordings: o.recordingId ? [recordingPart(o.recordingId, answered, { durationMs: talk, pauses: [{ from: answered + 30_000, to: answered + 45_000 }] })] : [],
    legs: [
      { uuid: id, direction: 'inbound', channel: `sofia/external/${caller}@carrier`, caller, destination: o.dialed ?? '+15550199', createdAt: at, answeredAt: at + 500, endedAt: ended, cause: 'NORMAL_CLEARING', disposition: 'recv_bye' },
      { uuid: uuid(), direction: 'outbound', channel: 'sofia/internal/1001@10.0.0.5', caller, destination: '1001', createdAt: answered - 4000, answeredAt: answered, endedAt: ended, cause: 'NORMAL_CLEARING', disposition: 'send_bye' },
    ],
    timeline: [
      line(at, 'leg.created', `Call from ${caller} to ${o.dialed ?? '+15550199'}`),
      line(at + 500, 'flow.started', 'Entered the IVR'),
      line(queued, 'flow.ended', 'Left the IVR: transfer'),
      line(queued, 'queue.entered', 'Entered the queue', null, o.queueId),
      line(answered - 4000, 'queue.offer', 'Offered to the agent', o.agentId, o.queueId),
      line(answered, 'queue.answered', `The agent answered after ${Math.round(wait / 1000)} s waiting`, o.agentId, o.queueId),
      ...(o.recordingId ? [line(answered, 'recording.started', 'Recording started (stereo)'), line(answered + 30_000, 'recording.paused', 'Recording paused'), line(answered + 45_000, 'recording.resumed', 'Recording resumed')] : []),
      line(answered + 50_000, 'call.hold', 'Put on hold', o.agentId),
      line(answered + 60_000, 'call.unhold', 'Taken off hold', o.agentId),
      line(ended, 'queue.end', 'Talk ended by the caller after 120 s', o.agentId, o.queueId),
      line(ended + 15_000, 'queue.disposition', 'Disposition: Resolved', o.agentId, o.queueId),
    ],
  });
}

/** An inbound call that hung up while waiting in a queue (an agent rang and missed it first). */
export function abandonedCall(at: number, o: { queueId: number; missedBy?: number; caller?: string; waitMs?: number; callId?: string }): CallRecord {
  const wait = o.waitMs ?? 45_000;
  return base(at, {
    callId: o.callId ?? uuid(),
    caller: o.caller ?? '+15550111',
    answeredAt: at + 500,
    endedAt: at + 500 + wait,
    durationMs: wait + 500,
    queueId: o.queueId,
    waitMs: wait,
    outcome: 'abandoned',
    agents: o.missedBy ? [agentPart(o.missedBy, o.queueId, { offeredAt: at + 5000, ringMs: 15_000, missed: true })] : [],
    timeline: [line(at, 'leg.created', 'Call from caller'), line(at + 500, 'queue.entered', 'Entered the queue', null, o.queueId), line(at + 500 + wait, 'queue.abandoned', `Left the queue after ${Math.round(wait / 1000)} s: hung up`, null, o.queueId)],
  });
}

/** An outbound call an agent dialled, with its result (success: answered and talked for a minute). */
export function outboundCall(at: number, o: { agentId: number; number?: string; result: Result; cause?: string; callId?: string; trunkId?: number }): CallRecord {
  const ok = o.result === 'success';
  const number = o.number ?? '+4930123456';
  return base(at, {
    callId: o.callId ?? uuid(),
    direction: 'outbound',
    caller: '1001',
    callee: number,
    dialed: number,
    trunkId: o.trunkId ?? null,
    answeredAt: ok ? at + 8000 : null,
    endedAt: ok ? at + 68_000 : at + 20_000,
    durationMs: ok ? 68_000 : 20_000,
    outcome: ok ? 'answered' : 'failed',
    result: o.result,
    agents: [agentPart(o.agentId, null, { answeredAt: ok ? at + 8000 : null, talkMs: ok ? 60_000 : 0 })],
    talkMs: ok ? 60_000 : 0,
    hangupCause: o.cause ?? (ok ? 'NORMAL_CLEARING' : 'USER_BUSY'),
    hangupSide: ok ? 'agent' : 'customer',
    timeline: [line(at, 'call.outbound', `Dialling ${number}`, o.agentId), ok ? line(at + 8000, 'call.answered', 'The customer answered') : line(at + 20_000, 'call.failed', `Not connected: ${o.cause ?? 'USER_BUSY'}`)],
  });
}
