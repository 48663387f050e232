import type { Db } from '../../db/database.js';
import type { CallRecord } from './records.types.js';

/** The write side of the call-records projection: one row per call, plus the agents and queues it touched. */
export class RecordStore {
  private readonly upsert;
  private readonly dropAgents;
  private readonly dropQueues;
  private readonly addAgent;
  private readonly addQueue;
  private readonly one;
  readonly save: (r: CallRecord) => void;
  readonly clear: () => void;

  constructor(db: Db) {
    this.upsert = db.prepare(`INSERT INTO call_records (call_id, started_at, answered_at, ended_at, direction, caller, callee, dialed, trunk_id, number_id,
        queue_id, agent_id, outcome, result, wait_ms, talk_ms, duration_ms, hangup_cause, hangup_side, disposition, survey, has_recording, data)
      VALUES (@callId, @startedAt, @answeredAt, @endedAt, @direction, @caller, @callee, @dialed, @trunkId, @numberId,
        @queueId, @agentId, @outcome, @result, @waitMs, @talkMs, @durationMs, @hangupCause, @hangupSide, @disposition, @survey, @hasRecording, @data)
      ON CONFLICT (call_id) DO UPDATE SET started_at = excluded.started_at, answered_at = excluded.answered_at, ended_at = excluded.ended_at,
        direction = excluded.direction, caller = excluded.caller, callee = excluded.callee, dialed = excluded.dialed, trunk_id = excluded.trunk_id,
        number_id = excluded.number_id, queue_id = excluded.queue_id, agent_id = excluded.agent_id, outcome = excluded.outcome, result = excluded.result,
        wait_ms = excluded.wait_ms, talk_ms = excluded.talk_ms, duration_ms = excluded.duration_ms, hangup_cause = excluded.hangup_cause,
        hangup_side = excluded.hangup_side, disposition = excluded.disposition, survey = excluded.survey, has_recording = excluded.has_recording,
        data = excluded.data`);
    this.dropAgents = db.prepare('DELETE FROM call_record_agents WHERE call_id = ?');
    this.dropQueues = db.prepare('DELETE FROM call_record_queues WHERE call_id = ?');
    this.addAgent = db.prepare('INSERT OR IGNORE INTO call_record_agents (agent_id, started_at, call_id) VALUES (?, ?, ?)');
    this.addQueue = db.prepare('INSERT OR IGNORE INTO call_record_queues (queue_id, started_at, call_id) VALUES (?, ?, ?)');
    this.one = db.prepare<[string], { data: string }>('SELECT data FROM call_records WHERE call_id = ?');
    this.save = db.transaction((r: CallRecord) => {
      this.upsert.run(columns(r));
      this.dropAgents.run(r.callId);
      this.dropQueues.run(r.callId);
      for (const id of new Set(r.agents.map((a) => a.agentId))) this.addAgent.run(id, r.startedAt, r.callId);
      for (const id of new Set(r.agents.map((a) => a.queueId).concat(r.queueId).filter((q): q is number => q !== null))) this.addQueue.run(id, r.startedAt, r.callId);
    });
    this.clear = db.transaction(() => {
      db.prepare('DELETE FROM call_record_agents').run();
      db.prepare('DELETE FROM call_record_queues').run();
      db.prepare('DELETE FROM call_records').run();
    });
  }

  /** The stored record of a call, as it was derived. */
  get(callId: string): CallRecord | null {
    const row = this.one.get(callId);
    return row ? (JSON.parse(row.data) as CallRecord) : null;
  }
}

function columns(r: CallRecord) {
  return {
    callId: r.callId,
    startedAt: r.startedAt,
    answeredAt: r.answeredAt,
    endedAt: r.endedAt,
    direction: r.direction,
    caller: r.caller,
    callee: r.callee,
    dialed: r.dialed,
    trunkId: r.trunkId,
    numberId: r.numberId,
    queueId: r.queueId,
    // The agent who talked longest stands for the call in lists; every agent is in call_record_agents.
    agentId: [...r.agents].sort((a, b) => b.talkMs - a.talkMs || (a.answeredAt ?? Infinity) - (b.answeredAt ?? Infinity))[0]?.agentId ?? null,
    outcome: r.outcome,
    result: r.result,
    waitMs: r.waitMs,
    talkMs: r.talkMs,
    durationMs: r.durationMs,
    hangupCause: r.hangupCause,
    hangupSide: r.hangupSide,
    disposition: r.disposition?.code ?? null,
    survey: r.survey,
    hasRecording: r.recordings.some((x) => !x.deleted) ? 1 : 0,
    data: JSON.stringify(r),
  };
}
