import type { Db } from '../../db/database.js';
import type { PolicyInput, Recording, RecordingPolicy, RecordingStatus } from './recordings.types.js';

interface PolicyRow {
  id: number;
  name: string;
  mode: RecordingPolicy['mode'];
  percent: number | null;
  start: RecordingPolicy['start'];
  stereo: 0 | 1;
  retention_days: number;
  created_at: string;
  updated_at: string;
}
interface Row {
  id: number;
  call_id: string;
  leg_uuid: string;
  policy_id: number | null;
  agent_id: number | null;
  path: string;
  format: 'wav' | 'mp3';
  stereo: 0 | 1;
  status: RecordingStatus;
  is_paused: 0 | 1;
  started_at: number;
  stopped_at: number | null;
  duration_ms: number | null;
  size_bytes: number | null;
  delete_after: number | null;
  error: string | null;
}

const toPolicy = (r: PolicyRow): RecordingPolicy => ({
  id: r.id,
  name: r.name,
  mode: r.mode,
  percent: r.percent,
  start: r.start,
  stereo: r.stereo === 1,
  retentionDays: r.retention_days,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const toRecording = (r: Row): Recording => ({
  id: r.id,
  callId: r.call_id,
  legUuid: r.leg_uuid,
  policyId: r.policy_id,
  agentId: r.agent_id,
  path: r.path,
  format: r.format,
  stereo: r.stereo === 1,
  status: r.status,
  isPaused: r.is_paused === 1,
  startedAt: r.started_at,
  stoppedAt: r.stopped_at,
  durationMs: r.duration_ms,
  sizeBytes: r.size_bytes,
  deleteAfter: r.delete_after,
  error: r.error,
});

export function createPolicyRepository(db: Db) {
  const byId = db.prepare<[number], PolicyRow>('SELECT * FROM recording_policies WHERE id = ?');
  const byName = db.prepare<[string], PolicyRow>('SELECT * FROM recording_policies WHERE name = ?');
  const all = db.prepare<[], PolicyRow>('SELECT * FROM recording_policies ORDER BY name COLLATE NOCASE');
  const insert = db.prepare(`INSERT INTO recording_policies (name, mode, percent, start, stereo, retention_days, created_at, updated_at)
    VALUES (@name, @mode, @percent, @start, @stereo, @retentionDays, @now, @now)`);
  const update = db.prepare(`UPDATE recording_policies SET name = @name, mode = @mode, percent = @percent, start = @start, stereo = @stereo,
    retention_days = @retentionDays, updated_at = @now WHERE id = @id`);
  const del = db.prepare('DELETE FROM recording_policies WHERE id = ?');
  const settings = db.prepare<[], { min_free_mb: number }>('SELECT min_free_mb FROM recording_settings WHERE id = 1');
  const saveSettings = db.prepare('UPDATE recording_settings SET min_free_mb = ?, updated_at = ? WHERE id = 1');
  const values = (p: PolicyInput, now: string) => ({ ...p, stereo: p.stereo ? 1 : 0, now });
  return {
    findById: (id: number) => {
      const r = byId.get(id);
      return r ? toPolicy(r) : null;
    },
    findByName: (name: string) => {
      const r = byName.get(name);
      return r ? toPolicy(r) : null;
    },
    all: () => all.all().map(toPolicy),
    insert: (p: PolicyInput, now: string) => Number(insert.run(values(p, now)).lastInsertRowid),
    update: (id: number, p: PolicyInput, now: string) => update.run({ ...values(p, now), id }),
    delete: (id: number) => del.run(id),
    minFreeMb: () => settings.get()!.min_free_mb,
    setMinFreeMb: (mb: number, now: string) => saveSettings.run(mb, now),
  };
}
export type PolicyRepository = ReturnType<typeof createPolicyRepository>;

export function createRecordingRepository(db: Db) {
  const byId = db.prepare<[number], Row>('SELECT * FROM recordings WHERE id = ?');
  const byCall = db.prepare<[string], Row>('SELECT * FROM recordings WHERE call_id = ? ORDER BY id');
  const activeOnLeg = db.prepare<[string], Row>("SELECT * FROM recordings WHERE leg_uuid = ? AND status = 'recording' ORDER BY id DESC LIMIT 1");
  const activeOfAgent = db.prepare<[number], Row>("SELECT * FROM recordings WHERE agent_id = ? AND status = 'recording' ORDER BY id DESC LIMIT 1");
  const byPath = db.prepare<[string], Row>('SELECT * FROM recordings WHERE path = ?');
  const expired = db.prepare<[number, number], Row>("SELECT * FROM recordings WHERE status IN ('stored', 'failed') AND delete_after IS NOT NULL AND delete_after <= ? ORDER BY delete_after LIMIT ?");
  const insert = db.prepare(`INSERT INTO recordings (call_id, leg_uuid, policy_id, agent_id, path, format, stereo, status, started_at, delete_after)
    VALUES (@callId, @legUuid, @policyId, @agentId, '', 'wav', @stereo, 'recording', @startedAt, @deleteAfter)`);
  const setPath = db.prepare('UPDATE recordings SET path = ? WHERE id = ?');
  const setAgent = db.prepare('UPDATE recordings SET agent_id = ? WHERE id = ?');
  const setPaused = db.prepare('UPDATE recordings SET is_paused = ? WHERE id = ?');
  const stopped = db.prepare('UPDATE recordings SET stopped_at = coalesce(stopped_at, ?), is_paused = 0 WHERE id = ?');
  const stored = db.prepare(`UPDATE recordings SET status = 'stored', path = @path, format = @format, duration_ms = @durationMs, size_bytes = @sizeBytes,
    delete_after = @deleteAfter, error = @error, stopped_at = coalesce(stopped_at, @stoppedAt), is_paused = 0 WHERE id = @id`);
  const failed = db.prepare("UPDATE recordings SET status = 'failed', error = ?, stopped_at = coalesce(stopped_at, ?), is_paused = 0 WHERE id = ?");
  const deleted = db.prepare("UPDATE recordings SET status = 'deleted' WHERE id = ?");
  const stale = db.prepare<[number], Row>("SELECT * FROM recordings WHERE status = 'recording' AND started_at < ? ORDER BY id");
  const one = (r: Row | undefined) => (r ? toRecording(r) : null);
  return {
    findById: (id: number) => one(byId.get(id)),
    findByPath: (path: string) => one(byPath.get(path)),
    ofCall: (callId: string) => byCall.all(callId).map(toRecording),
    activeOnLeg: (uuid: string) => one(activeOnLeg.get(uuid)),
    activeOfAgent: (agentId: number) => one(activeOfAgent.get(agentId)),
    /** A new row in `recording`; its path names its id, so the caller sets it right after (same transaction). */
    insert: (r: { callId: string; legUuid: string; policyId: number; agentId: number | null; stereo: boolean; startedAt: number; deleteAfter: number | null }) =>
      Number(insert.run({ ...r, stereo: r.stereo ? 1 : 0 }).lastInsertRowid),
    setPath: (id: number, path: string) => setPath.run(path, id),
    setAgent: (id: number, agentId: number) => setAgent.run(agentId, id),
    setPaused: (id: number, paused: boolean) => setPaused.run(paused ? 1 : 0, id),
    markStopped: (id: number, at: number) => stopped.run(at, id),
    markStored: (id: number, s: { path: string; format: 'wav' | 'mp3'; durationMs: number | null; sizeBytes: number; deleteAfter: number | null; error: string | null; stoppedAt: number }) =>
      stored.run({ ...s, id }),
    markFailed: (id: number, error: string, at: number) => failed.run(error, at, id),
    markDeleted: (id: number) => deleted.run(id),
    expired: (now: number, limit: number) => expired.all(now, limit).map(toRecording),
    /** Rows still `recording` that started before `before`: a recording whose leg is long gone was lost. */
    staleSince: (before: number) => stale.all(before).map(toRecording),
  };
}
export type RecordingRepository = ReturnType<typeof createRecordingRepository>;
