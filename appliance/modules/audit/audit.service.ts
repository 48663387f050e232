import { isoNow, type Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { paginate } from '../../paging.js';
import type { Actor } from '../users/users.types.js';
import { createAuditRepository, type AuditRepository } from './audit.repository.js';
import { AuditFilterSchema, type AuditEntry, type NewAuditEntry } from './audit.types.js';

/** Who changed what. Services call `record` inside the same transaction as the change it describes. */
export class AuditService {
  private readonly repo: AuditRepository;
  constructor(private readonly d: { db: Db; clock: Clock }) {
    this.repo = createAuditRepository(d.db);
  }

  record(actor: Actor, e: NewAuditEntry): void {
    this.repo.insert({
      at: isoNow(this.d.clock),
      actorUserId: actor.userId,
      actorName: actor.name,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
      summary: e.summary,
      details: JSON.stringify(e.details ?? {}),
      ip: actor.ip,
    });
  }

  list(query: unknown, pageSize = 50) {
    const filter = AuditFilterSchema.parse(query ?? {});
    return { filter, ...paginate<AuditEntry>(filter.page, pageSize, (limit, offset) => this.repo.list(filter, limit, offset)) };
  }

  actions(): string[] {
    return this.repo.actions();
  }
}
