import { isoNow, type Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { paginate } from '../../paging.js';
import { fieldErrors } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { AgentConfig } from '../queues/engine/types.js';
import type { ConfigChange } from '../queues/queues.types.js';
import { decoyHash, hashPassword, verifyPassword } from '../users/password.js';
import type { Actor, Role } from '../users/users.types.js';
import { createAgentRepository, type AgentRepository, type AgentRow } from './agents.repository.js';
import { AgentFilterSchema, AgentInputSchema, pinProblem, type AgentInput, type AgentRecord, type AgentSkill, type Membership, type SavedAgentState } from './agents.types.js';
import { AgentMemberships } from './memberships.js';

/** What agents need of other modules, through their services. */
export interface AgentLookups {
  user(id: number): { displayName: string; username: string; role: Role; isDisabled: boolean } | null;
  /** Users who may work as agents: agents and supervisors whose accounts are enabled. */
  eligibleUsers(): { id: number; displayName: string; username: string; role: Role }[];
  extensionNumber(id: number): string | null;
  extensionId(number: string): number | null;
  queueName(id: number): string | null;
  skillName(id: number): string | null;
  recordingPolicyExists(id: number): boolean;
}

export interface AgentDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  lookups: AgentLookups;
  /** The agent's routing state now (the ACD knows it): an agent who is not logged out cannot be deleted. */
  stateOf: (agentId: number) => string;
  /** After every change of an agent's configuration (skills and queue memberships included). */
  onChange?: (c: ConfigChange) => void;
}

export type AgentSummary = AgentRecord & { skills: AgentSkill[]; queues: Membership[] };

/**
 * Agents: users who take queue calls, with an agent number and PIN for logging in from a phone, the device
 * their calls ring, skills at levels, and the queues they serve (memberships.ts). Every change is audited,
 * and every change of what routing reads is announced (onChange), so the ACD takes it without a restart.
 */
export class AgentService {
  private readonly repo: AgentRepository;
  /** Queue membership: the queue page orders members, the agent page picks queues. */
  readonly memberships: AgentMemberships;

  constructor(private readonly d: AgentDeps) {
    this.repo = createAgentRepository(d.db);
    this.memberships = new AgentMemberships({ ...d, repo: this.repo, record: (r) => this.record(r), notify: (id) => this.notify(id, false) });
  }

  list(query: unknown, pageSize = 25) {
    const filter = AgentFilterSchema.parse(query ?? {});
    const q = filter.q?.toLowerCase();
    const all = this.summaries().filter((a) => !q || [a.number, a.name, a.username, a.device.kind === 'extension' ? a.device.extension : a.device.number].some((s) => s.toLowerCase().includes(q)));
    return { filter, ...paginate<AgentSummary>(filter.page, pageSize, (limit, offset) => ({ items: all.slice(offset, offset + limit), total: all.length })) };
  }

  /** The agent, or a 404 for the console. */
  get(id: number): AgentRecord {
    const a = this.find(id);
    if (!a) throw new NotFoundError('agent.not_found', { id }, { message: 'No such agent.' });
    return a;
  }

  find(id: number): AgentRecord | null {
    const r = this.repo.findById(id);
    return r && this.record(r);
  }

  /** With skills and queues, for the agent's page. */
  summary(id: number): AgentSummary {
    return { ...this.get(id), skills: this.repo.skillsOf(id), queues: this.repo.queuesOf(id) };
  }

  byUser(userId: number): AgentRecord | null {
    const r = this.repo.findByUser(userId);
    return r && this.record(r);
  }

  /** The agent whose device is this extension (by its number), for calls and registrations the switch reports. */
  byExtension(extensionNumber: string): AgentRecord | null {
    const extensionId = this.d.lookups.extensionId(extensionNumber);
    const r = extensionId === null ? null : this.repo.findByExtension(extensionId);
    return r && this.record(r);
  }

  /**
   * The agent with this number when the PIN is theirs, else null. An unknown number or an agent without a PIN
   * costs one hash check like a wrong PIN, so timing does not tell which agent numbers exist.
   */
  async checkPin(agentNumber: string, pin: string): Promise<AgentRecord | null> {
    const found = /^[0-9]{3,8}$/.test(agentNumber) ? this.repo.pinHashOf(agentNumber) : null;
    // Bounded: a PIN is at most 8 digits, and a huge string must not cost more than a wrong PIN.
    const ok = await verifyPassword(String(pin).slice(0, 64), found?.pinHash ?? (await decoyHash()));
    return ok && found?.pinHash ? this.find(found.agent.id) : null;
  }

  async create(input: unknown, actor: Actor): Promise<AgentRecord> {
    const data = this.check(input, null);
    const pinHash = data.pin ? await hashPassword(data.pin) : null;
    const id = this.d.db.transaction(() => {
      // Checked again: the hash above yields to other requests.
      this.refuseClashes(data, null);
      const id = this.repo.insert(values(data), pinHash, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'agent.created', entityType: 'agent', entityId: id, summary: `added agent ${data.number} (${this.d.lookups.user(data.userId)?.displayName ?? '?'})`, details: { device: this.deviceText(data.device), pin: pinHash ? 'set' : 'none' } });
      return id;
    })();
    this.notify(id, false);
    return this.get(id);
  }

  /** The agent's user, number and device; the PIN is changed by setPin. */
  update(id: number, input: unknown, actor: Actor): AgentRecord {
    const before = this.get(id);
    const data = this.check(input, id);
    this.d.db.transaction(() => {
      this.refuseClashes(data, id);
      this.repo.update(id, values(data), isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'agent.updated', entityType: 'agent', entityId: id, summary: `updated agent ${before.number}${before.number !== data.number ? ` (now ${data.number})` : ''}`, details: { before: { userId: before.userId, device: this.deviceText(before.device) }, after: { userId: data.userId, device: this.deviceText(data.device) } } });
    })();
    this.notify(id, false);
    return this.get(id);
  }

  /** A new PIN; it is stored hashed and never shown again, and the audit log says only that it changed. */
  async setPin(id: number, input: unknown, actor: Actor): Promise<void> {
    const a = this.get(id);
    const raw = input && typeof input === 'object' ? (input as Record<string, unknown>).pin : undefined;
    const pin = typeof raw === 'string' ? raw.trim() : '';
    const problem = pinProblem(pin, a.number);
    if (problem) throw new ValidationError('agent.pin_invalid', { pin: problem }, 'Some fields need attention.');
    const hash = await hashPassword(pin);
    this.d.db.transaction(() => {
      this.repo.setPin(id, hash, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'agent.pin_set', entityType: 'agent', entityId: id, summary: `set a new PIN for agent ${a.number}` });
    })();
  }

  /** Replace the agent's skills from the form: level_<skillId> is 1-10, or empty for none. */
  setSkills(id: number, input: unknown, actor: Actor): AgentSkill[] {
    const a = this.get(id);
    const form = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
    const fields: Record<string, string> = {};
    const skills: AgentSkill[] = [];
    for (const [key, raw] of Object.entries(form)) {
      const m = /^level_([1-9][0-9]{0,15})$/.exec(key);
      if (!m || raw === '' || raw === undefined) continue;
      const skillId = Number(m[1]);
      const level = typeof raw === 'string' && /^[0-9]{1,2}$/.test(raw.trim()) ? Number(raw) : NaN;
      if (this.d.lookups.skillName(skillId) === null) fields[key] = 'This skill no longer exists.';
      else if (!(level >= 1 && level <= 10)) fields[key] = 'Choose a level from 1 to 10, or none.';
      else skills.push({ skillId, level });
    }
    if (Object.keys(fields).length) throw new ValidationError('agent.skills_invalid', fields, 'Some fields need attention.');
    skills.sort((x, y) => x.skillId - y.skillId);
    this.d.db.transaction(() => {
      this.repo.setSkills(id, skills);
      this.d.audit.record(actor, { action: 'agent.skills_changed', entityType: 'agent', entityId: id, summary: `changed the skills of agent ${a.number}`, details: { skills: skills.map((s) => `${this.d.lookups.skillName(s.skillId)} ${s.level}`) } });
    })();
    this.notify(id, false);
    return this.repo.skillsOf(id);
  }

  delete(id: number, actor: Actor): void {
    const a = this.get(id);
    const state = this.d.stateOf(id);
    if (state !== 'logged_out') throw new ConflictError('agent.logged_in', { state }, { message: `Agent ${a.number} (${a.name}) cannot be deleted while logged in (now ${state.replaceAll('_', ' ')}): log the agent out first.` });
    this.d.db.transaction(() => {
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'agent.deleted', entityType: 'agent', entityId: id, summary: `deleted agent ${a.number} (${a.name})` });
    })();
    this.notify(id, true);
  }

  /** For pickers (a queue's members), by number. */
  options(): { id: number; number: string; name: string }[] {
    return this.repo.all().map((r) => ({ id: r.id, number: r.number, name: this.nameOf(r.userId) }));
  }

  /** Users the form may offer: eligible, and not another agent already (the agent's own user stays offered). */
  userOptions(self: number | null = null): { id: number; displayName: string; username: string; role: Role }[] {
    const taken = new Set(this.repo.all().filter((a) => a.id !== self).map((a) => a.userId));
    return this.d.lookups.eligibleUsers().filter((u) => !taken.has(u.id));
  }

  /** Agents that have a skill, in words, so deleting the skill can be refused naming them. */
  withSkill(skillId: number): string[] {
    return this.repo.agentsWithSkill(skillId).map((id) => this.describe(this.repo.findById(id)!));
  }

  /** The agent whose device is this extension, in words. */
  usingExtension(extensionId: number): string[] {
    const a = this.repo.findByExtension(extensionId);
    return a ? [this.describe(a)] : [];
  }

  /** Every agent as the routing engine takes it. */
  forEngine(): AgentConfig[] {
    const skills = new Map<number, Record<number, number>>();
    for (const s of this.repo.allSkills()) (skills.get(s.agent_id) ?? skills.set(s.agent_id, {}).get(s.agent_id)!)[s.skill_id] = s.level;
    const queues = new Map<number, { queueId: number; position: number }[]>();
    for (const m of this.repo.allMemberships()) (queues.get(m.agent_id) ?? queues.set(m.agent_id, []).get(m.agent_id)!).push({ queueId: m.queue_id, position: m.position });
    return this.repo.all().map((a) => ({ id: a.id, name: this.nameOf(a.userId), skills: skills.get(a.id) ?? {}, queues: queues.get(a.id) ?? [] }));
  }

  /** The runner keeps each agent's routing state here, to find it again after a restart. */
  saveState(id: number, s: SavedAgentState): void {
    this.repo.saveState(id, s);
  }

  states(): (SavedAgentState & { agentId: number })[] {
    return this.repo.states();
  }

  private summaries(): AgentSummary[] {
    const skills = new Map<number, AgentSkill[]>();
    for (const s of this.repo.allSkills()) (skills.get(s.agent_id) ?? skills.set(s.agent_id, []).get(s.agent_id)!).push({ skillId: s.skill_id, level: s.level });
    const queues = new Map<number, Membership[]>();
    for (const m of this.repo.allMemberships()) (queues.get(m.agent_id) ?? queues.set(m.agent_id, []).get(m.agent_id)!).push({ queueId: m.queue_id, position: m.position });
    return this.repo.all().map((r) => ({ ...this.record(r), skills: skills.get(r.id) ?? [], queues: queues.get(r.id) ?? [] }));
  }

  /** Agents whose calls this recording policy records, in words. */
  usingRecordingPolicy(policyId: number): string[] {
    return this.repo.recordedBy(policyId).map((a) => this.describe(a));
  }

  /** The agent's own recording policy, for the recorder. */
  recordingPolicyOf(id: number): number | null {
    return this.repo.findById(id)?.recordingPolicyId ?? null;
  }

  private record(r: AgentRow): AgentRecord {
    const user = this.d.lookups.user(r.userId);
    const device: AgentRecord['device'] =
      r.deviceKind === 'extension' ? { kind: 'extension', extensionId: r.extensionId!, extension: this.d.lookups.extensionNumber(r.extensionId!) ?? '?' } : { kind: 'external', number: r.externalNumber! };
    return { id: r.id, userId: r.userId, name: user?.displayName ?? '?', username: user?.username ?? '?', number: r.number, device, hasPin: r.hasPin, recordingPolicyId: r.recordingPolicyId, createdAt: r.createdAt, updatedAt: r.updatedAt };
  }

  private nameOf(userId: number): string {
    return this.d.lookups.user(userId)?.displayName ?? '?';
  }

  private describe(a: AgentRow): string {
    return `agent ${a.number} (${this.nameOf(a.userId)})`;
  }

  private deviceText(device: AgentInput['device'] | AgentRecord['device']): string {
    return device.kind === 'extension' ? `extension ${this.d.lookups.extensionNumber(device.extensionId) ?? '?'}` : `external ${device.number}`;
  }

  private notify(id: number, removed: boolean): void {
    this.d.onChange?.({ kind: 'agent', id, removed });
  }

  /** Every problem with the input at once, by field. */
  private check(input: unknown, self: number | null): AgentInput {
    const parsed = AgentInputSchema.safeParse(input && typeof input === 'object' ? input : {});
    if (!parsed.success) throw new ValidationError('agent.invalid', fieldErrors(parsed.error), 'Some fields need attention.');
    const data = parsed.data;
    const fields: Record<string, string> = {};
    const user = this.d.lookups.user(data.userId);
    const before = self === null ? null : this.repo.findById(self);
    if (!user) fields.userId = 'Choose an existing user.';
    else if (user.role !== 'agent' && user.role !== 'supervisor') fields.userId = `${user.displayName} is an ${user.role}: only agents and supervisors take queue calls.`;
    else if (user.isDisabled && before?.userId !== data.userId) fields.userId = `${user.displayName}'s account is disabled.`;
    if (data.device.kind === 'extension' && this.d.lookups.extensionNumber(data.device.extensionId) === null) fields.extensionId = 'Choose an existing extension.';
    if (data.recordingPolicyId !== null && !this.d.lookups.recordingPolicyExists(data.recordingPolicyId)) fields.recordingPolicyId = 'Choose an existing recording policy.';
    Object.assign(fields, this.clashes(data, self));
    if (Object.keys(fields).length) throw new ValidationError('agent.invalid', fields, 'Some fields need attention.');
    return data;
  }

  private refuseClashes(data: AgentInput, self: number | null): void {
    const fields = this.clashes(data, self);
    if (Object.keys(fields).length) throw new ValidationError('agent.taken', fields, 'Some fields need attention.');
  }

  /** One agent per user, per agent number and per extension. */
  private clashes(data: AgentInput, self: number | null): Record<string, string> {
    const fields: Record<string, string> = {};
    const byUser = this.repo.findByUser(data.userId);
    if (byUser && byUser.id !== self) fields.userId = `This user is already ${this.describe(byUser)}.`;
    const byNumber = this.repo.findByNumber(data.number);
    if (byNumber && byNumber.id !== self) fields.number = `Agent number ${data.number} is taken by ${this.describe(byNumber)}.`;
    if (data.device.kind === 'extension') {
      const byExtension = this.repo.findByExtension(data.device.extensionId);
      if (byExtension && byExtension.id !== self) fields.extensionId = `This extension is the device of ${this.describe(byExtension)}.`;
    }
    return fields;
  }
}

const values = (a: AgentInput) => ({
  userId: a.userId,
  number: a.number,
  deviceKind: a.device.kind,
  extensionId: a.device.kind === 'extension' ? a.device.extensionId : null,
  externalNumber: a.device.kind === 'external' ? a.device.number : null,
  recordingPolicyId: a.recordingPolicyId,
});
