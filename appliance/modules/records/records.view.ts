import { RESULT_LABELS } from './results.js';
import { localDateTime } from './records.time.js';
import type { RecordRow } from './records.query.js';
import type { CallRecord, Outcome } from './records.types.js';

/** Names of the things records point to by id, loaded once per page or export (never per row). */
export interface Names {
  queue: Map<number, string>;
  agent: Map<number, string>;
  trunk: Map<number, string>;
  flow: Map<number, string>;
}

export const OUTCOME_LABELS: Record<Outcome, string> = {
  answered: 'Answered',
  abandoned: 'Abandoned',
  overflowed: 'Overflowed',
  callback: 'Callback',
  voicemail: 'Voicemail',
  unanswered: 'Unanswered',
  self_service: 'Self-service',
  failed: 'Failed',
  in_progress: 'In progress',
};
const OUTCOME_BADGE: Record<Outcome, string> = {
  answered: 'badge-on',
  abandoned: 'badge-off',
  overflowed: 'badge-warn',
  callback: 'badge-info',
  voicemail: 'badge-info',
  unanswered: 'badge-off',
  self_service: '',
  failed: 'badge-off',
  in_progress: 'badge-live',
};
export const DIRECTION_LABELS = { inbound: 'Inbound', outbound: 'Outbound', internal: 'Internal' } as const;

/** 65_000 → "1:05"; hours when there are any; null → "—". */
export function clockMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
const rel = (at: number | null | undefined, start: number) => (at === null || at === undefined ? '—' : `+${clockMs(at - start)}`);
const name = (m: Map<number, string>, id: number | null | undefined) => (id === null || id === undefined ? null : (m.get(id) ?? `#${id}`));

/** A row of the list. */
export function listRow(r: RecordRow, names: Names, zone: string, base: string) {
  return {
    callId: r.callId,
    href: `${base}/${encodeURIComponent(r.callId)}`,
    time: localDateTime(r.startedAt, zone),
    direction: r.direction,
    directionLabel: DIRECTION_LABELS[r.direction],
    from: r.caller || '—',
    to: r.direction === 'inbound' ? r.dialed || r.callee : r.callee || r.dialed,
    queue: name(names.queue, r.queueId),
    agent: name(names.agent, r.agentId),
    wait: r.waitMs === null ? '' : clockMs(r.waitMs),
    talk: r.talkMs ? clockMs(r.talkMs) : '',
    outcome: OUTCOME_LABELS[r.outcome],
    outcomeClass: OUTCOME_BADGE[r.outcome],
    result: r.result && r.result !== 'success' ? RESULT_LABELS[r.result] : null,
    hasRecording: r.hasRecording,
  };
}

/** Whatever a flow step kept (the path is the flow engine's Step, stored as it was). */
interface PathStep {
  node?: string;
  kind?: string;
  at?: number;
  branch?: string | null;
  digits?: string[];
  note?: string | null;
}

/** The detail page: everything the record holds, with names, local times and times relative to the start. */
export function detailView(r: CallRecord, names: Names, zone: string) {
  const t0 = r.startedAt;
  const at = (ms: number | null) => (ms === null ? '—' : localDateTime(ms, zone));
  const agentName = (id: number | null) => name(names.agent, id);
  return {
    callId: r.callId,
    directionLabel: DIRECTION_LABELS[r.direction],
    direction: r.direction,
    caller: r.caller || '—',
    callerName: r.callerName,
    callee: r.callee || '—',
    dialed: r.dialed || '—',
    trunk: name(names.trunk, r.trunkId),
    started: at(r.startedAt),
    answered: at(r.answeredAt),
    ended: r.endedAt === null ? 'in progress' : at(r.endedAt),
    duration: clockMs(r.durationMs),
    flowTime: r.flows.length ? clockMs(r.flowMs) : null,
    queue: name(names.queue, r.queueId),
    wait: r.waitMs === null ? null : clockMs(r.waitMs),
    outcome: OUTCOME_LABELS[r.outcome],
    outcomeClass: OUTCOME_BADGE[r.outcome],
    result: r.result ? RESULT_LABELS[r.result] : null,
    talk: clockMs(r.talkMs),
    hangupCause: r.hangupCause,
    hangupSide: r.hangupSide,
    disposition: r.disposition && { code: r.disposition.code, note: r.disposition.note, agent: agentName(r.disposition.agentId) },
    survey: r.survey,
    legs: r.legs.map((l) => ({ ...l, created: rel(l.createdAt, t0), answered: rel(l.answeredAt, t0), ended: rel(l.endedAt, t0) })),
    agents: r.agents.map((a) => ({
      name: agentName(a.agentId),
      queue: name(names.queue, a.queueId),
      offered: rel(a.offeredAt, t0),
      ring: clockMs(a.ringMs),
      talk: clockMs(a.talkMs),
      hold: clockMs(a.holdMs),
      wrap: clockMs(a.wrapMs),
      missed: a.missed,
    })),
    flows: r.flows.map((f) => ({
      name: name(names.flow, f.flowId),
      started: rel(f.startedAt, t0),
      outcome: f.outcome,
      time: clockMs(f.endedAt === null ? null : f.endedAt - f.startedAt),
      path: (f.path as PathStep[]).map((s) => ({ node: s.node ?? '?', kind: s.kind ?? '?', at: typeof s.at === 'number' ? `+${clockMs(s.at)}` : '', branch: s.branch ?? null, digits: (s.digits ?? []).join(' '), note: s.note ?? null })),
      vars: Object.entries(f.vars).map(([k, v]) => ({ name: k, value: v })),
    })),
    transfers: r.transfers.map((x) => ({ at: rel(x.at, t0), agent: agentName(x.agentId), to: x.to, kind: x.attended ? 'Attended' : 'Blind' })),
    conferences: r.conferences.map((c) => ({ at: rel(c.at, t0), room: c.room })),
    recordings: r.recordings.map((x) => ({
      id: x.recordingId,
      started: rel(x.startedAt, t0),
      // Not "duration": a template helper of that name would shadow it.
      length: clockMs(x.durationMs),
      stereo: x.stereo,
      deleted: x.deleted,
      pauses: x.pauses.map((p) => ({ from: rel(p.from, t0), to: rel(p.to, t0) })),
    })),
    timeline: r.timeline.map((i) => {
      const who = [agentName(i.agentId), name(names.queue, i.queueId ?? null)].filter(Boolean).join(' · ');
      return { rel: rel(i.at, t0), clock: localDateTime(i.at, zone).slice(11), text: i.text, who, group: i.kind.split('.')[0] };
    }),
  };
}
