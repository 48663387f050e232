import type { Db } from '../../db/database.js';
import { containsPattern } from '../../db/sql.js';
import type { AuditEntry, AuditFilter } from './audit.types.js';

interface AuditRow {
  id: number;
  at: string;
  actor_user_id: number | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  summary: string;
  details: string;
  ip: string | null;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: r.at,
  actorUserId: r.actor_user_id,
  actorName: r.actor_name,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  summary: r.summary,
  details: JSON.parse(r.details) as Record<string, unknown>,
  ip: r.ip,
});

export function createAuditRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO audit_log
    (at, actor_user_id, actor_name, action, entity_type, entity_id, summary, details, ip)
    VALUES (@at, @actorUserId, @actorName, @action, @entityType, @entityId, @summary, @details, @ip)`);
  const actions = db.prepare<[], { action: string }>('SELECT DISTINCT action FROM audit_log ORDER BY action');

  return {
    insert: (e: Omit<AuditEntry, 'id' | 'details'> & { details: string }) => Number(insert.run(e).lastInsertRowid),
    actions: () => actions.all().map((r) => r.action),
    list(f: AuditFilter, limit: number, offset: number): { items: AuditEntry[]; total: number } {
      const parts: string[] = [];
      const params: unknown[] = [];
      if (f.q) {
        parts.push("(summary LIKE ? ESCAPE '\\' OR actor_name LIKE ? ESCAPE '\\')");
        const like = containsPattern(f.q);
        params.push(like, like);
      }
      if (f.action) {
        parts.push('action = ?');
        params.push(f.action);
      }
      if (f.from) {
        parts.push('at >= ?');
        params.push(`${f.from}T00:00:00.000Z`);
      }
      if (f.to) {
        parts.push('at <= ?');
        params.push(`${f.to}T23:59:59.999Z`);
      }
      const w = parts.length ? `WHERE ${parts.join(' AND ')}` : '';
      const total = (db.prepare(`SELECT count(*) AS n FROM audit_log ${w}`).get(...params) as { n: number }).n;
      const rows = db
        .prepare(`SELECT * FROM audit_log ${w} ORDER BY id DESC LIMIT ? OFFSET ?`)
        .all(...params, limit, offset) as AuditRow[];
      return { items: rows.map(toEntry), total };
    },
  };
}
export type AuditRepository = ReturnType<typeof createAuditRepository>;
