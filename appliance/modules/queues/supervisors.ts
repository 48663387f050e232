import type { Db } from '../../db/database.js';
import { ValidationError } from '../../errors.js';
import { listParam } from '../../http/params.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';

/** A user who may supervise a queue, as the queue's page lists them. */
export interface SupervisorChoice {
  id: number;
  name: string;
}

/**
 * Who supervises which queue. A supervisor sees the call records of the queues they supervise, so the link is a
 * permission: only admins set it (the routes say so), and only users with the role supervisor can hold it.
 */
export class QueueSupervisors {
  private readonly byQueue;
  private readonly byUser;
  private readonly drop;
  private readonly add;

  constructor(
    private readonly d: {
      db: Db;
      audit: AuditService;
      /** Active users with the role supervisor, by name. */
      candidates: () => SupervisorChoice[];
      queueName: (id: number) => string | null;
    },
  ) {
    this.byQueue = d.db.prepare<[number], number>('SELECT user_id FROM queue_supervisors WHERE queue_id = ? ORDER BY user_id').pluck();
    this.byUser = d.db.prepare<[number], number>('SELECT queue_id FROM queue_supervisors WHERE user_id = ? ORDER BY queue_id').pluck();
    this.drop = d.db.prepare('DELETE FROM queue_supervisors WHERE queue_id = ?');
    this.add = d.db.prepare('INSERT INTO queue_supervisors (queue_id, user_id) VALUES (?, ?)');
  }

  /** The user ids supervising a queue. */
  idsOf(queueId: number): number[] {
    return this.byQueue.all(queueId);
  }

  /** The queues a user supervises. */
  queuesOf(userId: number): number[] {
    return this.byUser.all(userId);
  }

  choices(): SupervisorChoice[] {
    return this.d.candidates();
  }

  /** Replace a queue's supervisors with those chosen (`supervisorIds`, one or many). */
  set(queueId: number, input: unknown, actor: Actor): number[] {
    const queue = this.d.queueName(queueId) ?? '?';
    const raw = listParam(input && typeof input === 'object' ? (input as Record<string, unknown>).supervisorIds : undefined);
    const candidates = new Map(this.d.candidates().map((c) => [c.id, c.name]));
    const ids = [...new Set(raw.map((v) => (typeof v === 'string' && /^[1-9][0-9]{0,15}$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN)))];
    if (ids.some((id) => !candidates.has(id))) throw new ValidationError('queue.supervisor_invalid', { supervisorIds: 'Choose supervisors from the list (active users with the role supervisor).' }, 'Some fields need attention.');
    ids.sort((a, b) => a - b);
    this.d.db.transaction(() => {
      this.drop.run(queueId);
      for (const id of ids) this.add.run(queueId, id);
      const names = ids.map((id) => candidates.get(id)!);
      this.d.audit.record(actor, { action: 'queue.supervisors_set', entityType: 'queue', entityId: queueId, summary: `set the supervisors of queue ${queue}: ${names.join(', ') || 'none'}`, details: { userIds: ids } });
    })();
    return ids;
  }
}
