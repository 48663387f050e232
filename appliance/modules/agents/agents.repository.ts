import type { Db } from '../../db/database.js';
import type { AgentState } from '../queues/engine/types.js';
import type { AgentSkill, Membership, SavedAgentState } from './agents.types.js';

/** An agent's row without what other modules know (the user's name, the extension's number). */
export interface AgentRow {
  id: number;
  userId: number;
  number: string;
  hasPin: boolean;
  deviceKind: 'extension' | 'external';
  extensionId: number | null;
  externalNumber: string | null;
  recordingPolicyId: number | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: number;
  user_id: number;
  number: string;
  pin_hash: string | null;
  device_kind: 'extension' | 'external';
  extension_id: number | null;
  external_number: string | null;
  state: AgentState;
  state_reason: string | null;
  state_since: number;
  call_id: string | null;
  leg_uuid: string | null;
  recording_policy_id: number | null;
  created_at: string;
  updated_at: string;
}
const toAgent = (r: Row): AgentRow => ({
  id: r.id,
  userId: r.user_id,
  number: r.number,
  hasPin: r.pin_hash !== null,
  deviceKind: r.device_kind,
  extensionId: r.extension_id,
  externalNumber: r.external_number,
  recordingPolicyId: r.recording_policy_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface AgentValues {
  userId: number;
  number: string;
  deviceKind: 'extension' | 'external';
  extensionId: number | null;
  externalNumber: string | null;
  recordingPolicyId: number | null;
}

export function createAgentRepository(db: Db) {
  const byId = db.prepare<[number], Row>('SELECT * FROM agents WHERE id = ?');
  const byUser = db.prepare<[number], Row>('SELECT * FROM agents WHERE user_id = ?');
  const byNumber = db.prepare<[string], Row>('SELECT * FROM agents WHERE number = ?');
  const byExtension = db.prepare<[number], Row>('SELECT * FROM agents WHERE extension_id = ?');
  const all = db.prepare<[], Row>('SELECT * FROM agents ORDER BY number');
  const byPolicy = db.prepare<[number], Row>('SELECT * FROM agents WHERE recording_policy_id = ? ORDER BY number');
  const insert = db.prepare(`INSERT INTO agents (user_id, number, pin_hash, device_kind, extension_id, external_number, recording_policy_id, created_at, updated_at)
    VALUES (@userId, @number, @pinHash, @deviceKind, @extensionId, @externalNumber, @recordingPolicyId, @now, @now)`);
  const update = db.prepare(`UPDATE agents SET user_id = @userId, number = @number, device_kind = @deviceKind, extension_id = @extensionId,
    external_number = @externalNumber, recording_policy_id = @recordingPolicyId, updated_at = @now WHERE id = @id`);
  const setPin = db.prepare('UPDATE agents SET pin_hash = ?, updated_at = ? WHERE id = ?');
  const del = db.prepare('DELETE FROM agents WHERE id = ?');
  const saveState = db.prepare('UPDATE agents SET state = @state, state_reason = @reason, state_since = @since, call_id = @callId, leg_uuid = @legUuid WHERE id = @id');

  const skillsOf = db.prepare<[number], { skill_id: number; level: number }>('SELECT skill_id, level FROM agent_skills WHERE agent_id = ? ORDER BY skill_id');
  const allSkills = db.prepare<[], { agent_id: number; skill_id: number; level: number }>('SELECT * FROM agent_skills ORDER BY agent_id, skill_id');
  const withSkill = db.prepare<[number], { agent_id: number }>('SELECT agent_id FROM agent_skills WHERE skill_id = ? ORDER BY agent_id');
  const clearSkills = db.prepare('DELETE FROM agent_skills WHERE agent_id = ?');
  const addSkill = db.prepare('INSERT INTO agent_skills (agent_id, skill_id, level) VALUES (?, ?, ?)');

  const queuesOf = db.prepare<[number], { queue_id: number; position: number }>('SELECT queue_id, position FROM queue_agents WHERE agent_id = ? ORDER BY queue_id');
  const allMemberships = db.prepare<[], { queue_id: number; agent_id: number; position: number }>('SELECT * FROM queue_agents ORDER BY agent_id, queue_id');
  const membersOf = db.prepare<[number], { agent_id: number; position: number }>('SELECT agent_id, position FROM queue_agents WHERE queue_id = ? ORDER BY position, agent_id');
  const addMember = db.prepare('INSERT INTO queue_agents (queue_id, agent_id, position) VALUES (?, ?, ?)');
  const removeMember = db.prepare('DELETE FROM queue_agents WHERE queue_id = ? AND agent_id = ?');
  const setPosition = db.prepare('UPDATE queue_agents SET position = ? WHERE queue_id = ? AND agent_id = ?');
  const lastPosition = db.prepare<[number], { n: number | null }>('SELECT max(position) AS n FROM queue_agents WHERE queue_id = ?');

  const one = (r: Row | undefined) => (r ? toAgent(r) : null);
  return {
    findById: (id: number) => one(byId.get(id)),
    findByUser: (userId: number) => one(byUser.get(userId)),
    findByNumber: (number: string) => one(byNumber.get(number)),
    findByExtension: (extensionId: number) => one(byExtension.get(extensionId)),
    all: () => all.all().map(toAgent),
    recordedBy: (policyId: number) => byPolicy.all(policyId).map(toAgent),
    /** The only way out of this module for a PIN's hash: the PIN check needs it. */
    pinHashOf: (number: string): { agent: AgentRow; pinHash: string | null } | null => {
      const r = byNumber.get(number);
      return r ? { agent: toAgent(r), pinHash: r.pin_hash } : null;
    },
    insert: (a: AgentValues, pinHash: string | null, now: string) => Number(insert.run({ ...a, pinHash, now }).lastInsertRowid),
    update: (id: number, a: AgentValues, now: string) => update.run({ ...a, now, id }),
    setPin: (id: number, pinHash: string, now: string) => setPin.run(pinHash, now, id),
    delete: (id: number) => del.run(id),

    skillsOf: (agentId: number): AgentSkill[] => skillsOf.all(agentId).map((r) => ({ skillId: r.skill_id, level: r.level })),
    allSkills: () => allSkills.all(),
    agentsWithSkill: (skillId: number) => withSkill.all(skillId).map((r) => r.agent_id),
    /** Callers run this in a transaction: the agent's skills are replaced as a whole. */
    setSkills: (agentId: number, skills: AgentSkill[]) => {
      clearSkills.run(agentId);
      for (const s of skills) addSkill.run(agentId, s.skillId, s.level);
    },

    queuesOf: (agentId: number): Membership[] => queuesOf.all(agentId).map((r) => ({ queueId: r.queue_id, position: r.position })),
    allMemberships: () => allMemberships.all(),
    membersOf: (queueId: number) => membersOf.all(queueId).map((r) => ({ agentId: r.agent_id, position: r.position })),
    addMember: (queueId: number, agentId: number, position: number) => addMember.run(queueId, agentId, position),
    removeMember: (queueId: number, agentId: number) => removeMember.run(queueId, agentId).changes > 0,
    setPosition: (queueId: number, agentId: number, position: number) => setPosition.run(position, queueId, agentId),
    lastPosition: (queueId: number) => lastPosition.get(queueId)!.n ?? 0,

    saveState: (id: number, s: SavedAgentState) => saveState.run({ ...s, id }).changes > 0,
    states: () => all.all().map((r) => ({ agentId: r.id, state: r.state, reason: r.state_reason, since: r.state_since, callId: r.call_id, legUuid: r.leg_uuid })),
  };
}
export type AgentRepository = ReturnType<typeof createAgentRepository>;
