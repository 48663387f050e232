/**
 * A call record: everything that happened on one call, derived from the ledger (DESIGN.md section 1) by
 * `deriveRecord`. The same ledger entries always give the same record, so records can be rebuilt at any time.
 */

export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * How the call ended for the business. A queue call: answered, abandoned (the caller hung up while waiting),
 * overflowed (sent on by the queue's overflow), callback (the caller chose to be called back), voicemail.
 * Any other call: answered, unanswered (nobody picked up), voicemail, self_service (ended in the IVR), failed
 * (never connected: see `result` for why), in_progress while the call lasts.
 */
export const OUTCOMES = ['answered', 'abandoned', 'overflowed', 'callback', 'voicemail', 'unanswered', 'self_service', 'failed', 'in_progress'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The ten outbound result codes of the products we replace (Alibaba's list; Huawei and Tencent have the same kinds). */
export const RESULTS = ['success', 'busy', 'no_answer', 'rejected', 'unreachable', 'powered_off', 'suspended', 'not_exist', 'call_lost', 'other'] as const;
export type Result = (typeof RESULTS)[number];

/** Who ended the call: the outside party (caller or callee), one of our agents or extensions, or the system. */
export type HangupSide = 'customer' | 'agent' | 'system';

export interface RecordLeg {
  uuid: string;
  direction: 'inbound' | 'outbound';
  channel: string;
  caller: string;
  destination: string;
  createdAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  cause: string | null;
  /** sip_hangup_disposition: send_bye / recv_bye / recv_cancel ...: whether this end hung up (recv_*). */
  disposition: string | null;
}

export interface RecordAgent {
  agentId: number;
  queueId: number | null;
  /** Offered at (rang), answered at, talk ended at. */
  offeredAt: number | null;
  answeredAt: number | null;
  endedAt: number | null;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  wrapMs: number;
  /** The agent was offered the call and did not take it (ring no answer, rejected). */
  missed: boolean;
}

export interface RecordFlow {
  flowId: number;
  startedAt: number;
  endedAt: number | null;
  outcome: string | null;
  /** The IVR path: the nodes the caller went through, with their branches and digits. */
  path: unknown[];
  vars: Record<string, string>;
}

export interface RecordRecording {
  recordingId: number;
  startedAt: number;
  stoppedAt: number | null;
  stereo: boolean;
  /** Paused spans (ms since the epoch), e.g. while the caller read out a card number. */
  pauses: { from: number; to: number | null }[];
  durationMs: number | null;
  sizeBytes: number | null;
  /** Removed by the retention job (or never stored): the record keeps that there was one. */
  deleted: boolean;
}

export interface TimelineItem {
  at: number;
  kind: string;
  /** What happened, in words without names (names change; the page adds the agent's and queue's). */
  text: string;
  agentId: number | null;
  queueId: number | null;
}

export interface CallRecord {
  callId: string;
  direction: Direction;
  caller: string;
  callerName: string;
  callee: string;
  /** The number dialled, as the caller dialled it (our DID inbound, the customer's number outbound). */
  dialed: string;
  trunkId: number | null;
  numberId: number | null;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  durationMs: number;
  flows: RecordFlow[];
  flowMs: number;
  /** The first queue the call entered, the wait there until answer or abandon, and the outcome. */
  queueId: number | null;
  waitMs: number | null;
  outcome: Outcome;
  result: Result | null;
  agents: RecordAgent[];
  talkMs: number;
  transfers: { at: number; agentId: number | null; to: string; attended: boolean }[];
  conferences: { at: number; room: string }[];
  hangupCause: string | null;
  hangupSide: HangupSide | null;
  disposition: { code: string; note: string; agentId: number | null } | null;
  survey: number | null;
  recordings: RecordRecording[];
  legs: RecordLeg[];
  timeline: TimelineItem[];
}
