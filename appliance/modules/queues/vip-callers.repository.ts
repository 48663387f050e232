import type { Db } from '../../db/database.js';
import { containsPattern } from '../../db/sql.js';

/** A caller served first: in every queue they wait with this priority (1-9, higher first; others wait with 0). */
export interface VipCaller {
  id: number;
  number: string;
  priority: number;
  note: string;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: number;
  number: string;
  priority: number;
  note: string;
  created_at: string;
  updated_at: string;
}
const toVip = (r: Row): VipCaller => ({ id: r.id, number: r.number, priority: r.priority, note: r.note, createdAt: r.created_at, updatedAt: r.updated_at });

export function createVipCallerRepository(db: Db) {
  const byId = db.prepare<[number], Row>('SELECT * FROM vip_callers WHERE id = ?');
  const byNumber = db.prepare<[string], Row>('SELECT * FROM vip_callers WHERE number = ?');
  const all = db.prepare<[], Row>('SELECT * FROM vip_callers ORDER BY number');
  // On every call that enters a queue: one indexed lookup of the number as sent and in its other form (with or without +).
  const priority = db.prepare<[string, string], { p: number | null }>('SELECT max(priority) AS p FROM vip_callers WHERE number IN (?, ?)');
  const insert = db.prepare('INSERT INTO vip_callers (number, priority, note, created_at, updated_at) VALUES (@number, @priority, @note, @now, @now)');
  const update = db.prepare('UPDATE vip_callers SET number = @number, priority = @priority, note = @note, updated_at = @now WHERE id = @id');
  const del = db.prepare('DELETE FROM vip_callers WHERE id = ?');
  return {
    findById: (id: number) => {
      const r = byId.get(id);
      return r ? toVip(r) : null;
    },
    findByNumber: (number: string) => {
      const r = byNumber.get(number);
      return r ? toVip(r) : null;
    },
    all: () => all.all().map(toVip),
    priorityOf: (a: string, b: string) => priority.get(a, b)!.p ?? 0,
    insert: (v: { number: string; priority: number; note: string }, now: string) => Number(insert.run({ ...v, now }).lastInsertRowid),
    update: (id: number, v: { number: string; priority: number; note: string }, now: string) => update.run({ ...v, now, id }),
    delete: (id: number) => del.run(id),
    list(f: { q?: string | undefined; priority?: number | undefined }, limit: number, offset: number): { items: VipCaller[]; total: number } {
      const where: string[] = [];
      const params: unknown[] = [];
      if (f.q) {
        where.push("(number LIKE ? ESCAPE '\\' OR note LIKE ? ESCAPE '\\')");
        params.push(containsPattern(f.q), containsPattern(f.q));
      }
      if (f.priority) {
        where.push('priority = ?');
        params.push(f.priority);
      }
      const sql = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = (db.prepare(`SELECT count(*) AS n FROM vip_callers ${sql}`).get(...params) as { n: number }).n;
      const rows = db.prepare(`SELECT * FROM vip_callers ${sql} ORDER BY priority DESC, number LIMIT ? OFFSET ?`).all(...params, limit, offset) as Row[];
      return { items: rows.map(toVip), total };
    },
  };
}
export type VipCallerRepository = ReturnType<typeof createVipCallerRepository>;
