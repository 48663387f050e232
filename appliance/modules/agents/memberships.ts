import type { Db } from '../../db/database.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import type { AgentRepository, AgentRow } from './agents.repository.js';
import type { AgentLookups } from './agents.service.js';
import type { AgentRecord, AgentSkill, Membership } from './agents.types.js';

export type Member = AgentRecord & { position: number; skills: AgentSkill[] };

/**
 * Which agents serve which queues, and in what order (the sequential strategy rings members top-down). A
 * membership is part of the agent's routing configuration: every change announces each agent it touched.
 */
export class AgentMemberships {
  constructor(
    private readonly d: {
      db: Db;
      audit: AuditService;
      lookups: AgentLookups;
      repo: AgentRepository;
      record: (r: AgentRow) => AgentRecord;
      notify: (agentId: number) => void;
    },
  ) {}

  /** A queue's members in order (position 1 first). */
  of(queueId: number): Member[] {
    return this.d.repo.membersOf(queueId).map((m) => ({ ...this.d.record(this.d.repo.findById(m.agentId)!), position: m.position, skills: this.d.repo.skillsOf(m.agentId) }));
  }

  idsOf(queueId: number): number[] {
    return this.d.repo.membersOf(queueId).map((m) => m.agentId);
  }

  queuesOf(agentId: number): Membership[] {
    return this.d.repo.queuesOf(agentId);
  }

  /** Add an agent to a queue, after its last member. */
  add(queueId: number, input: unknown, actor: Actor): Member {
    const queue = this.queueName(queueId);
    const raw = input && typeof input === 'object' ? (input as Record<string, unknown>).agentId : undefined;
    const agentId = typeof raw === 'string' && /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : typeof raw === 'number' ? raw : null;
    const agent = agentId === null ? null : this.d.repo.findById(agentId);
    if (!agent) throw new ValidationError('queue.member_invalid', { agentId: 'Choose an agent.' }, 'Some fields need attention.');
    this.d.db.transaction(() => {
      if (this.d.repo.membersOf(queueId).some((m) => m.agentId === agent.id)) throw new ValidationError('queue.member_taken', { agentId: `${this.describe(agent)} already serves this queue.` }, 'Some fields need attention.');
      this.d.repo.addMember(queueId, agent.id, this.d.repo.lastPosition(queueId) + 1);
      this.d.audit.record(actor, { action: 'queue.member_added', entityType: 'queue', entityId: queueId, summary: `added ${this.describe(agent)} to queue ${queue}` });
    })();
    this.d.notify(agent.id);
    return this.of(queueId).find((m) => m.id === agent.id)!;
  }

  remove(queueId: number, agentId: number, actor: Actor): void {
    const queue = this.queueName(queueId);
    const agent = this.d.repo.findById(agentId);
    let moved: number[] = [];
    this.d.db.transaction(() => {
      if (!agent || !this.d.repo.removeMember(queueId, agentId)) throw new NotFoundError('queue.member_not_found', { queueId, agentId }, { message: 'That agent does not serve this queue.' });
      moved = this.renumber(queueId);
      this.d.audit.record(actor, { action: 'queue.member_removed', entityType: 'queue', entityId: queueId, summary: `removed ${this.describe(agent)} from queue ${queue}` });
    })();
    for (const id of [agentId, ...moved]) this.d.notify(id);
  }

  /**
   * Put the members in the order of the numbers typed beside them (position_<agentId>); ties keep their
   * current order. Positions are then numbered 1, 2, 3 … again.
   */
  order(queueId: number, input: unknown, actor: Actor): Member[] {
    const queue = this.queueName(queueId);
    const form = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
    const members = this.d.repo.membersOf(queueId);
    const fields: Record<string, string> = {};
    const wanted = new Map<number, number>();
    for (const m of members) {
      const raw = form[`position_${m.agentId}`];
      const v = typeof raw === 'string' && /^[0-9]{1,4}$/.test(raw.trim()) ? Number(raw) : raw === undefined ? m.position : NaN;
      if (!(v >= 1 && v <= 9999)) fields[`position_${m.agentId}`] = 'A position from 1 to 9999.';
      else wanted.set(m.agentId, v);
    }
    if (Object.keys(fields).length) throw new ValidationError('queue.order_invalid', fields, 'Some fields need attention.');
    const sorted = members.map((m, i) => ({ ...m, i })).sort((a, b) => wanted.get(a.agentId)! - wanted.get(b.agentId)! || a.i - b.i);
    const moved = sorted.filter((m, k) => m.position !== k + 1).map((m) => m.agentId);
    if (!moved.length) return this.of(queueId);
    this.d.db.transaction(() => {
      sorted.forEach((m, k) => this.d.repo.setPosition(queueId, m.agentId, k + 1));
      this.d.audit.record(actor, { action: 'queue.members_ordered', entityType: 'queue', entityId: queueId, summary: `ordered the members of queue ${queue}`, details: { order: sorted.map((m) => this.describe(this.d.repo.findById(m.agentId)!)) } });
    })();
    for (const id of moved) this.d.notify(id);
    return this.of(queueId);
  }

  /** The agent page: serve exactly these queues (queueIds, a checkbox each). New ones put the agent last. */
  setQueues(agentId: number, input: unknown, actor: Actor): Membership[] {
    const agent = this.d.repo.findById(agentId);
    if (!agent) throw new NotFoundError('agent.not_found', { id: agentId }, { message: 'No such agent.' });
    const posted = input && typeof input === 'object' ? (input as Record<string, unknown>).queueIds : undefined;
    // A form sends one ticked box as a string and several as a list.
    const raw: unknown[] = Array.isArray(posted) ? posted : posted === undefined || posted === '' ? [] : [posted];
    const ids = [...new Set(raw.map((v) => (typeof v === 'string' && /^[1-9][0-9]{0,15}$/.test(v) ? Number(v) : NaN)))];
    if (ids.some((id) => Number.isNaN(id) || this.d.lookups.queueName(id) === null)) throw new ValidationError('agent.queues_invalid', { queueIds: 'Choose existing queues: one of them no longer exists.' }, 'Some fields need attention.');
    const before = this.d.repo.queuesOf(agentId).map((m) => m.queueId);
    const added = ids.filter((id) => !before.includes(id));
    const removed = before.filter((id) => !ids.includes(id));
    if (!added.length && !removed.length) return this.queuesOf(agentId);
    const moved = new Set<number>();
    this.d.db.transaction(() => {
      for (const q of added) this.d.repo.addMember(q, agentId, this.d.repo.lastPosition(q) + 1);
      for (const q of removed) {
        this.d.repo.removeMember(q, agentId);
        for (const id of this.renumber(q)) moved.add(id);
      }
      const names = (list: number[]) => list.map((q) => this.d.lookups.queueName(q) ?? '?');
      this.d.audit.record(actor, { action: 'agent.queues_changed', entityType: 'agent', entityId: agentId, summary: `changed the queues of ${this.describe(agent)}`, details: { added: names(added), removed: names(removed) } });
    })();
    // Leaving a queue moves the members after the agent up one place: their configuration changed too.
    for (const id of [agentId, ...moved]) this.d.notify(id);
    return this.queuesOf(agentId);
  }

  /** Close the gap a member left: 1, 2, 3 … in the same order. The agents whose position changed. */
  private renumber(queueId: number): number[] {
    const moved: number[] = [];
    this.d.repo.membersOf(queueId).forEach((m, k) => {
      if (m.position === k + 1) return;
      this.d.repo.setPosition(queueId, m.agentId, k + 1);
      moved.push(m.agentId);
    });
    return moved;
  }

  private queueName(queueId: number): string {
    const name = this.d.lookups.queueName(queueId);
    if (name === null) throw new NotFoundError('queue.not_found', { id: queueId }, { message: 'No such queue.' });
    return name;
  }

  private describe(a: AgentRow): string {
    const r = this.d.record(a);
    return `agent ${r.number} (${r.name})`;
  }
}
