import type { Db } from '../../db/database.js';
import { containsPattern } from '../../db/sql.js';
import type { Destination, StrategyName } from './engine/types.js';
import type { DestinationKind, Queue, QueueFilter, QueueInput } from './queues.types.js';

interface Row {
  id: number;
  name: string;
  description: string;
  strategy: StrategyName;
  skill_id: number | null;
  music_prompt_id: number | null;
  announce_every_s: number;
  announce_prompt_id: number | null;
  announce_position: 0 | 1;
  announce_wait: 0 | 1;
  ring_timeout_s: number;
  wrap_up_s: number | null;
  require_disposition: 0 | 1;
  dispositions: string;
  caller_ids: string;
  misses_before_break: number;
  sticky_window_s: number;
  max_wait_s: number | null;
  overflow_kind: DestinationKind;
  overflow_id: number | null;
  max_length: number | null;
  full_kind: DestinationKind;
  full_id: number | null;
  no_agents: 'wait' | 'overflow';
  exit_key: string | null;
  exit_kind: 'voicemail' | 'callback' | null;
  exit_voicemail_extension_id: number | null;
  service_level_s: number;
  recording_policy_id: number | null;
  created_at: string;
  updated_at: string;
}

/** A destination from its two columns: the kind, and the id of its target (none for hangup). */
function toDestination(kind: DestinationKind, id: number | null): Destination {
  if (kind === 'queue') return { kind, queueId: id! };
  if (kind === 'flow') return { kind, flowId: id! };
  if (kind === 'extension' || kind === 'voicemail') return { kind, extensionId: id! };
  return { kind: 'hangup' };
}
export function destinationTarget(d: Destination): number | null {
  if (d.kind === 'queue') return d.queueId;
  if (d.kind === 'flow') return d.flowId;
  if (d.kind === 'extension' || d.kind === 'voicemail') return d.extensionId;
  return null;
}

const toQueue = (r: Row): Queue => ({
  id: r.id,
  name: r.name,
  description: r.description,
  strategy: r.strategy,
  skillId: r.skill_id,
  musicPromptId: r.music_prompt_id,
  announceEveryS: r.announce_every_s,
  announcePromptId: r.announce_prompt_id,
  announcePosition: r.announce_position === 1,
  announceWait: r.announce_wait === 1,
  ringTimeoutS: r.ring_timeout_s,
  wrapUpS: r.wrap_up_s,
  requireDisposition: r.require_disposition === 1,
  dispositions: r.dispositions ? r.dispositions.split('\n') : [],
  callerIds: r.caller_ids ? r.caller_ids.split('\n') : [],
  missesBeforeBreak: r.misses_before_break,
  stickyWindowS: r.sticky_window_s,
  maxWaitS: r.max_wait_s,
  overflow: toDestination(r.overflow_kind, r.overflow_id),
  maxLength: r.max_length,
  whenFull: toDestination(r.full_kind, r.full_id),
  noAgents: r.no_agents,
  exitKey: r.exit_key,
  exitKind: r.exit_kind,
  exitVoicemailExtensionId: r.exit_voicemail_extension_id,
  serviceLevelS: r.service_level_s,
  recordingPolicyId: r.recording_policy_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const values = (q: QueueInput, now: string) => ({
  name: q.name,
  description: q.description,
  strategy: q.strategy,
  skillId: q.skillId,
  musicPromptId: q.musicPromptId,
  announceEveryS: q.announceEveryS,
  announcePromptId: q.announcePromptId,
  announcePosition: q.announcePosition ? 1 : 0,
  announceWait: q.announceWait ? 1 : 0,
  ringTimeoutS: q.ringTimeoutS,
  wrapUpS: q.wrapUpS,
  requireDisposition: q.requireDisposition ? 1 : 0,
  dispositions: q.dispositions.join('\n'),
  callerIds: q.callerIds.join('\n'),
  missesBeforeBreak: q.missesBeforeBreak,
  stickyWindowS: q.stickyWindowS,
  maxWaitS: q.maxWaitS,
  overflowKind: q.overflow.kind,
  overflowId: destinationTarget(q.overflow),
  maxLength: q.maxLength,
  fullKind: q.whenFull.kind,
  fullId: destinationTarget(q.whenFull),
  noAgents: q.noAgents,
  exitKey: q.exitKey,
  exitKind: q.exitKind,
  exitVoicemailExtensionId: q.exitVoicemailExtensionId,
  serviceLevelS: q.serviceLevelS,
  recordingPolicyId: q.recordingPolicyId,
  now,
});

const COLUMNS = `name, description, strategy, skill_id, music_prompt_id, announce_every_s, announce_prompt_id, announce_position, announce_wait,
  ring_timeout_s, wrap_up_s, require_disposition, dispositions, caller_ids, misses_before_break, sticky_window_s, max_wait_s, overflow_kind, overflow_id,
  max_length, full_kind, full_id, no_agents, exit_key, exit_kind, exit_voicemail_extension_id, service_level_s, recording_policy_id`;
const PARAMS = `@name, @description, @strategy, @skillId, @musicPromptId, @announceEveryS, @announcePromptId, @announcePosition, @announceWait,
  @ringTimeoutS, @wrapUpS, @requireDisposition, @dispositions, @callerIds, @missesBeforeBreak, @stickyWindowS, @maxWaitS, @overflowKind, @overflowId,
  @maxLength, @fullKind, @fullId, @noAgents, @exitKey, @exitKind, @exitVoicemailExtensionId, @serviceLevelS, @recordingPolicyId`;

export function createQueueRepository(db: Db) {
  const byId = db.prepare<[number], Row>('SELECT * FROM queues WHERE id = ?');
  // The column is COLLATE NOCASE: "Sales" and "sales" are one name.
  const byName = db.prepare<[string], Row>('SELECT * FROM queues WHERE name = ?');
  const all = db.prepare<[], Row>('SELECT * FROM queues ORDER BY name COLLATE NOCASE');
  const insert = db.prepare(`INSERT INTO queues (${COLUMNS}, created_at, updated_at) VALUES (${PARAMS}, @now, @now)`);
  const set = COLUMNS.split(',').map((c, i) => `${c.trim()} = ${PARAMS.split(',')[i]!.trim()}`).join(', ');
  const update = db.prepare(`UPDATE queues SET ${set}, updated_at = @now WHERE id = @id`);
  const del = db.prepare('DELETE FROM queues WHERE id = ?');
  const toTarget = db.prepare<[string, number, string, number], Row>('SELECT * FROM queues WHERE (overflow_kind = ? AND overflow_id = ?) OR (full_kind = ? AND full_id = ?) ORDER BY name COLLATE NOCASE');
  const byPrompt = db.prepare<[number, number], Row>('SELECT * FROM queues WHERE music_prompt_id = ? OR announce_prompt_id = ? ORDER BY name COLLATE NOCASE');
  const byPolicy = db.prepare<[number], Row>('SELECT * FROM queues WHERE recording_policy_id = ? ORDER BY name COLLATE NOCASE');
  const bySkill = db.prepare<[number], Row>('SELECT * FROM queues WHERE skill_id = ? ORDER BY name COLLATE NOCASE');
  const byBox = db.prepare<[number], Row>('SELECT * FROM queues WHERE exit_voicemail_extension_id = ? ORDER BY name COLLATE NOCASE');
  return {
    findById: (id: number) => {
      const r = byId.get(id);
      return r ? toQueue(r) : null;
    },
    findByName: (name: string) => {
      const r = byName.get(name);
      return r ? toQueue(r) : null;
    },
    all: () => all.all().map(toQueue),
    insert: (q: QueueInput, now: string) => Number(insert.run(values(q, now)).lastInsertRowid),
    update: (id: number, q: QueueInput, now: string) => update.run({ ...values(q, now), id }),
    delete: (id: number) => del.run(id),
    /** Queues that send callers to this target (overflow or when full). */
    sendingTo: (kind: Exclude<DestinationKind, 'hangup'>, id: number) => toTarget.all(kind, id, kind, id).map(toQueue),
    playing: (promptId: number) => byPrompt.all(promptId, promptId).map(toQueue),
    requiring: (skillId: number) => bySkill.all(skillId).map(toQueue),
    recordedBy: (policyId: number) => byPolicy.all(policyId).map(toQueue),
    exitingTo: (extensionId: number) => byBox.all(extensionId).map(toQueue),
    list(f: QueueFilter, limit: number, offset: number): { items: Queue[]; total: number } {
      const where: string[] = [];
      const params: unknown[] = [];
      if (f.q) {
        where.push("(name LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')");
        params.push(containsPattern(f.q), containsPattern(f.q));
      }
      if (f.strategy) {
        where.push('strategy = ?');
        params.push(f.strategy);
      }
      const sql = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = (db.prepare(`SELECT count(*) AS n FROM queues ${sql}`).get(...params) as { n: number }).n;
      const rows = db.prepare(`SELECT * FROM queues ${sql} ORDER BY name COLLATE NOCASE LIMIT ? OFFSET ?`).all(...params, limit, offset) as Row[];
      return { items: rows.map(toQueue), total };
    },
  };
}
export type QueueRepository = ReturnType<typeof createQueueRepository>;
