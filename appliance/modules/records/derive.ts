import type { LedgerEntry } from '../ledger/ledger.js';
import type { CallRecord, Direction, HangupSide, Outcome, RecordAgent, RecordFlow, RecordLeg, RecordRecording } from './records.types.js';
import { resultOf } from './results.js';
import { timelineOf } from './timeline.js';

type D = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

interface Leg extends RecordLeg {
  agentId: number | null;
  numberId: number | null;
  trunkId: number | null;
  dialed: string;
  context: string;
}
interface Agent extends RecordAgent {
  ringFrom: number | null;
  talkFrom: number | null;
  holdFrom: number | null;
  wrapFrom: number | null;
}

const isLoopback = (l: Leg) => l.channel.startsWith('loopback/');
/** A leg to or from a carrier: through a gateway, or on the external profile. */
const isCarrier = (l: Leg) => l.channel.startsWith('sofia/gateway/') || l.channel.startsWith('sofia/external/') || l.trunkId !== null;

/**
 * One call's ledger entries (in the order they were written) to its record. Pure: the same entries always give
 * the same record, which is what lets the records be rebuilt from the ledger at any time. Null when the entries
 * are not a call (only an agent's wrap-up ending, say).
 */
export function deriveRecord(entries: readonly LedgerEntry[]): CallRecord | null {
  const first = entries[0];
  if (!first?.callId) return null;
  const callId = first.callId;
  const legs = new Map<string, Leg>();
  const agents = new Map<number, Agent>();
  const flows: RecordFlow[] = [];
  const recordings = new Map<number, RecordRecording>();
  const transfers: CallRecord['transfers'] = [];
  const conferences: CallRecord['conferences'] = [];
  let queueId: number | null = null;
  let waitMs: number | null = null;
  let queueEnd: { kind: string; data: D } | null = null;
  let queueAnswered = false;
  let outbound: { at: number; number: string; callerId: string; agentId: number | null } | null = null;
  let outboundAnswered: number | null = null;
  let customerLeg: string | null = null;
  let failedCause: string | null = null;
  let said: HangupSide | null = null;
  let disposition: CallRecord['disposition'] = null;
  let survey: number | null = null;
  let callerName = '';
  let lastAt = first.at;
  let terminal = false;

  const agent = (id: number): Agent => {
    let a = agents.get(id);
    if (!a) {
      a = { agentId: id, queueId: null, offeredAt: null, answeredAt: null, endedAt: null, ringMs: 0, talkMs: 0, holdMs: 0, wrapMs: 0, missed: false, ringFrom: null, talkFrom: null, holdFrom: null, wrapFrom: null };
      agents.set(id, a);
    }
    return a;
  };
  const stopRing = (a: Agent, at: number) => {
    if (a.ringFrom !== null) a.ringMs += at - a.ringFrom;
    a.ringFrom = null;
  };
  const stopHold = (a: Agent, at: number) => {
    if (a.holdFrom !== null) a.holdMs += at - a.holdFrom;
    a.holdFrom = null;
  };
  const endTalk = (a: Agent, at: number, talkMs: number | null) => {
    stopHold(a, at);
    if (a.talkFrom !== null) a.talkMs += talkMs ?? at - a.talkFrom;
    a.talkFrom = null;
    a.endedAt = at;
  };
  const recording = (d: D): RecordRecording | null => {
    const id = num(d.recordingId);
    return id === null ? null : (recordings.get(id) ?? null);
  };

  for (const e of entries) {
    const d = e.data;
    lastAt = Math.max(lastAt, e.at);
    switch (e.kind) {
      case 'leg.created': {
        const uuid = str(d.uuid);
        if (legs.has(uuid)) break;
        if (uuid === callId) callerName = str(d.callerName);
        legs.set(uuid, {
          uuid,
          direction: d.direction === 'outbound' ? 'outbound' : 'inbound',
          channel: str(d.channel),
          caller: str(d.caller),
          destination: str(d.destination),
          createdAt: e.at,
          answeredAt: null,
          endedAt: null,
          cause: null,
          disposition: null,
          agentId: e.agentId,
          numberId: num(d.numberId),
          trunkId: num(d.trunkId),
          dialed: str(d.dialed),
          context: str(d.context),
        });
        break;
      }
      case 'leg.answered':
      case 'leg.hungup': {
        const l = legs.get(str(d.uuid));
        if (!l) break;
        l.numberId ??= num(d.numberId);
        l.trunkId ??= num(d.trunkId);
        l.dialed ||= str(d.dialed);
        if (e.kind === 'leg.answered') l.answeredAt ??= e.at;
        else {
          l.endedAt = e.at;
          l.cause = str(d.cause) || null;
          l.disposition = str(d.disposition) || null;
          l.context = str(d.context) || l.context;
          if (d.answeredAt && l.answeredAt === null) l.answeredAt = num(d.answeredAt);
        }
        break;
      }
      case 'flow.started':
        flows.push({ flowId: num(d.flowId) ?? 0, startedAt: e.at, endedAt: null, outcome: null, path: [], vars: {} });
        break;
      case 'flow.ended': {
        const f = [...flows].reverse().find((x) => x.flowId === num(d.flowId) && x.endedAt === null);
        if (f) Object.assign(f, { endedAt: e.at, outcome: str(d.outcome) || null, path: Array.isArray(d.path) ? d.path : [], vars: (d.vars as Record<string, string>) ?? {} });
        const s = Number(d.survey);
        if (d.survey !== null && d.survey !== undefined && d.survey !== '' && Number.isFinite(s)) survey = s;
        break;
      }
      case 'queue.entered':
        queueId ??= e.queueId;
        break;
      case 'queue.offer': {
        const a = agent(e.agentId!);
        a.queueId ??= e.queueId;
        a.offeredAt ??= e.at;
        a.ringFrom = e.at;
        break;
      }
      case 'queue.missed':
      case 'queue.cancel': {
        const a = agent(e.agentId!);
        stopRing(a, e.at);
        if (e.kind === 'queue.missed' && a.answeredAt === null) a.missed = true;
        break;
      }
      case 'queue.answered': {
        const a = agent(e.agentId!);
        stopRing(a, e.at);
        a.queueId = e.queueId;
        a.answeredAt ??= e.at;
        a.missed = false;
        a.talkFrom = e.at;
        waitMs = (waitMs ?? 0) + (num(d.waitMs) ?? 0);
        queueAnswered = true;
        queueEnd = { kind: e.kind, data: d };
        break;
      }
      case 'queue.abandoned':
      case 'queue.callback':
      case 'queue.overflow':
        waitMs = (waitMs ?? 0) + (num(d.waitMs) ?? 0);
        queueEnd = { kind: e.kind, data: d };
        if (e.kind === 'queue.abandoned' && d.reason === 'abandoned') terminal = true;
        break;
      case 'queue.end': {
        const a = agent(e.agentId!);
        endTalk(a, e.at, num(d.talkMs));
        a.wrapFrom = e.at;
        said = d.by === 'caller' ? 'customer' : d.by === 'agent' ? 'agent' : d.by === 'switch' ? 'system' : said;
        if (d.by !== 'transfer') terminal = true;
        break;
      }
      case 'agent.state':
        if (e.agentId !== null && d.from === 'wrap_up') {
          const a = agent(e.agentId);
          if (a.wrapFrom !== null) a.wrapMs += e.at - a.wrapFrom;
          a.wrapFrom = null;
        }
        break;
      case 'queue.disposition':
        disposition = { code: str(d.code), note: str(d.note), agentId: e.agentId };
        break;
      case 'call.hold':
        if (e.agentId !== null) agent(e.agentId).holdFrom ??= e.at;
        break;
      case 'call.unhold':
        if (e.agentId !== null) stopHold(agent(e.agentId), e.at);
        break;
      case 'call.transfer':
        transfers.push({ at: e.at, agentId: e.agentId, to: str(d.transfer), attended: d.attended === true });
        break;
      case 'call.conference':
        conferences.push({ at: e.at, room: str(d.room) });
        break;
      case 'call.outbound': {
        outbound = { at: e.at, number: str(d.number), callerId: str(d.callerId), agentId: e.agentId };
        if (e.agentId !== null) {
          const a = agent(e.agentId);
          a.offeredAt ??= e.at;
          a.ringFrom = e.at;
        }
        break;
      }
      case 'call.answered':
        outboundAnswered ??= e.at;
        customerLeg = str(d.customerLeg) || customerLeg;
        if (e.agentId !== null) {
          const a = agent(e.agentId);
          stopRing(a, e.at);
          a.answeredAt ??= e.at;
          a.talkFrom = e.at;
        }
        break;
      case 'call.end':
        if (e.agentId !== null) endTalk(agent(e.agentId), e.at, num(d.talkMs));
        said = d.by === 'customer' ? 'customer' : d.by === 'agent' ? 'agent' : said;
        terminal = true;
        break;
      case 'call.failed':
        failedCause = str(d.cause) || null;
        if (e.agentId !== null) {
          const a = agent(e.agentId);
          stopRing(a, e.at);
          a.endedAt = e.at;
        }
        terminal = true;
        break;
      case 'recording.started': {
        const id = num(d.recordingId);
        if (id !== null) recordings.set(id, { recordingId: id, startedAt: e.at, stoppedAt: null, stereo: d.stereo === true, pauses: [], durationMs: null, sizeBytes: null, deleted: false });
        break;
      }
      case 'recording.paused':
        recording(d)?.pauses.push({ from: e.at, to: null });
        break;
      case 'recording.resumed': {
        const p = recording(d)?.pauses.at(-1);
        if (p && p.to === null) p.to = e.at;
        break;
      }
      case 'recording.stored': {
        const r = recording(d);
        if (r) Object.assign(r, { stoppedAt: e.at, durationMs: num(d.durationMs), sizeBytes: num(d.sizeBytes) });
        break;
      }
      case 'recording.failed':
      case 'recording.deleted': {
        const r = recording(d);
        if (r) Object.assign(r, { stoppedAt: r.stoppedAt ?? e.at, deleted: true });
        break;
      }
    }
  }

  const firstLeg = legs.get(callId) ?? [...legs.values()][0] ?? null;
  const isCall = firstLeg !== null || outbound !== null || queueId !== null || flows.length > 0;
  if (!isCall) return null;
  const others = [...legs.values()].filter((l) => l !== firstLeg);
  const people = others.filter((l) => !isLoopback(l));

  const direction = directionOf(firstLeg, others, outbound !== null, queueId);
  const carrierLeg = direction === 'outbound' ? (others.find(isCarrier) ?? legs.get(customerLeg ?? '') ?? null) : firstLeg;
  const dialed = outbound?.number || firstLeg?.dialed || others.map((l) => l.dialed).find(Boolean) || firstLeg?.destination || '';
  const answeredBy = people.find((l) => l.answeredAt !== null && l.destination !== '') ?? null;
  const caller = outbound ? outbound.callerId || firstLeg?.destination || '' : (firstLeg?.caller ?? '');
  const callee = direction === 'outbound' ? dialed : direction === 'internal' ? dialed : (answeredBy?.destination ?? dialed);

  const startedAt = Math.min(...entries.map((e) => e.at));
  const allEnded = legs.size > 0 && [...legs.values()].every((l) => l.endedAt !== null);
  const ended = legs.size > 0 ? allEnded : terminal;
  const endedAt = ended ? (legs.size > 0 ? Math.max(...[...legs.values()].map((l) => l.endedAt!)) : lastAt) : null;

  const customerAnswered = direction === 'outbound' ? (outboundAnswered ?? (carrierLeg?.answeredAt ?? null)) : null;
  const answeredAt = direction === 'outbound' ? customerAnswered : (firstLeg?.answeredAt ?? (queueAnswered ? [...agents.values()].find((a) => a.answeredAt !== null)?.answeredAt ?? null : null));
  const personAnswered = queueAnswered || (direction === 'outbound' ? customerAnswered !== null : answeredBy !== null);
  const voicemail = [...legs.values()].some((l) => l.context === 'callbox_voicemail');

  let outcome: Outcome;
  if (personAnswered) outcome = 'answered';
  else if (voicemail) outcome = 'voicemail';
  else if (!ended) outcome = 'in_progress';
  else if (queueEnd?.kind === 'queue.callback') outcome = 'callback';
  else if (queueEnd?.kind === 'queue.overflow') outcome = 'overflowed';
  else if (queueEnd?.kind === 'queue.abandoned') outcome = 'abandoned';
  else if (direction === 'outbound') outcome = 'failed';
  else if (flows.length > 0 && firstLeg?.answeredAt !== null) outcome = 'self_service';
  else outcome = 'unanswered';

  const hangupCause = (direction === 'outbound' ? (carrierLeg?.cause ?? failedCause) : (firstLeg?.cause ?? null)) ?? failedCause;
  const hangupSide = ended ? (said ?? sideFromLegs(carrierLeg, legs)) : null;

  // Whatever is still open when the call ended closes with it.
  for (const a of agents.values()) {
    if (endedAt === null) continue;
    stopRing(a, endedAt);
    if (a.talkFrom !== null) endTalk(a, endedAt, null);
  }

  const record: CallRecord = {
    callId,
    direction,
    caller,
    // An agent's dial: the first leg is the agent's own phone, whose caller name only says "Outbound".
    callerName: outbound ? '' : callerName,
    callee,
    dialed,
    trunkId: carrierLeg?.trunkId ?? firstLeg?.trunkId ?? null,
    numberId: firstLeg?.numberId ?? null,
    startedAt,
    answeredAt,
    endedAt,
    durationMs: (endedAt ?? lastAt) - startedAt,
    flows,
    flowMs: flows.reduce((s, f) => s + ((f.endedAt ?? endedAt ?? lastAt) - f.startedAt), 0),
    queueId,
    waitMs,
    outcome,
    result: direction === 'outbound' && ended ? resultOf(customerAnswered !== null, hangupCause) : null,
    agents: [...agents.values()].map(({ ringFrom: _r, talkFrom: _t, holdFrom: _h, wrapFrom: _w, ...a }) => a),
    talkMs: [...agents.values()].reduce((s, a) => s + a.talkMs, 0),
    transfers,
    conferences,
    hangupCause,
    hangupSide,
    disposition,
    survey,
    recordings: [...recordings.values()],
    legs: [...legs.values()].map(({ agentId: _a, numberId: _n, trunkId: _t, dialed: _d, context: _c, ...l }) => l),
    timeline: timelineOf(entries, callId),
  };
  return record;
}

/** An agent's dial or a leg out to a carrier makes a call outbound; a caller from a carrier inbound; phones calling phones internal. */
function directionOf(firstLeg: Leg | null, others: Leg[], agentDialled: boolean, queueId: number | null): Direction {
  if (agentDialled) return 'outbound';
  if (firstLeg && firstLeg.direction === 'inbound' && isCarrier(firstLeg)) return 'inbound';
  if (others.some(isCarrier)) return 'outbound';
  // No leg seen at all (a queue call whose legs began before we listened): a queue's caller is a customer.
  if (!firstLeg && queueId !== null) return 'inbound';
  return 'internal';
}

/**
 * Who hung up, from the legs alone. A SIP leg that received the BYE (recv_*) was ended by its own party. If the
 * customer's leg did, the customer hung up; if we ended it, whoever's leg received a BYE last before that did;
 * if nobody's did, the system ended the call (an IVR's hangup, a transfer that failed).
 */
function sideFromLegs(customer: Leg | null, legs: Map<string, Leg>): HangupSide | null {
  if (!customer?.endedAt) return null;
  if (customer.disposition?.startsWith('recv_')) return 'customer';
  const people = [...legs.values()].filter((l) => l !== customer && l.channel.startsWith('sofia/') && l.endedAt !== null && l.endedAt <= customer.endedAt! && l.disposition?.startsWith('recv_'));
  return people.length ? 'agent' : 'system';
}
