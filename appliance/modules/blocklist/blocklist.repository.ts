import type { Db } from '../../db/database.js';

export interface BlockedCaller {
  id: number;
  pattern: string;
  action: 'reject' | 'extension';
  destinationExtensionId: number | null;
  note: string;
  createdAt: string;
}

interface Row {
  id: number;
  pattern: string;
  action: BlockedCaller['action'];
  destination_extension_id: number | null;
  note: string;
  created_at: string;
}
const toBlocked = (r: Row): BlockedCaller => ({ id: r.id, pattern: r.pattern, action: r.action, destinationExtensionId: r.destination_extension_id, note: r.note, createdAt: r.created_at });

export function createBlocklistRepository(db: Db) {
  const byPattern = db.prepare<[], Row>('SELECT * FROM blocked_callers ORDER BY pattern');
  const byId = db.prepare<[number], Row>('SELECT * FROM blocked_callers WHERE id = ?');
  const exists = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM blocked_callers WHERE pattern = ?');
  const insert = db.prepare('INSERT INTO blocked_callers (pattern, action, destination_extension_id, note, created_at) VALUES (?, ?, ?, ?, ?)');
  const del = db.prepare('DELETE FROM blocked_callers WHERE id = ?');
  const toExtension = db.prepare<[number], { pattern: string }>('SELECT pattern FROM blocked_callers WHERE destination_extension_id = ? ORDER BY pattern');
  const byIdOrder = db.prepare<[], Row>('SELECT * FROM blocked_callers ORDER BY id');
  return {
    list: () => byPattern.all().map(toBlocked),
    byIdOrder: () => byIdOrder.all().map(toBlocked),
    find: (id: number) => {
      const r = byId.get(id);
      return r && toBlocked(r);
    },
    exists: (pattern: string) => exists.get(pattern)!.n > 0,
    insert: (b: { pattern: string; action: string; destinationExtensionId: number | null; note: string }, now: string) =>
      Number(insert.run(b.pattern, b.action, b.destinationExtensionId, b.note, now).lastInsertRowid),
    delete: (id: number) => del.run(id),
    patternsToExtension: (id: number) => toExtension.all(id).map((r) => r.pattern),
  };
}
export type BlocklistRepository = ReturnType<typeof createBlocklistRepository>;
