import type { Db } from '../../db/database.js';

/** Why an agent is not ready. The system's own reason ("Missed call") is set by a ring-no-answer. */
export interface BreakReason {
  id: number;
  name: string;
  isSystem: boolean;
  isEnabled: boolean;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: number;
  name: string;
  is_system: 0 | 1;
  is_enabled: 0 | 1;
  created_at: string;
  updated_at: string;
}
const toReason = (r: Row): BreakReason => ({ id: r.id, name: r.name, isSystem: r.is_system === 1, isEnabled: r.is_enabled === 1, createdAt: r.created_at, updatedAt: r.updated_at });

export function createBreakReasonRepository(db: Db) {
  const byId = db.prepare<[number], Row>('SELECT * FROM break_reasons WHERE id = ?');
  const byName = db.prepare<[string], Row>('SELECT * FROM break_reasons WHERE name = ?');
  const all = db.prepare<[], Row>('SELECT * FROM break_reasons ORDER BY is_system DESC, name COLLATE NOCASE');
  const enabled = db.prepare<[], { name: string }>('SELECT name FROM break_reasons WHERE is_enabled = 1 ORDER BY is_system DESC, name COLLATE NOCASE');
  const insert = db.prepare('INSERT INTO break_reasons (name, created_at, updated_at) VALUES (?, ?, ?)');
  const rename = db.prepare('UPDATE break_reasons SET name = ?, updated_at = ? WHERE id = ?');
  const setEnabled = db.prepare('UPDATE break_reasons SET is_enabled = ?, updated_at = ? WHERE id = ?');
  const del = db.prepare('DELETE FROM break_reasons WHERE id = ?');
  return {
    findById: (id: number) => {
      const r = byId.get(id);
      return r ? toReason(r) : null;
    },
    findByName: (name: string) => {
      const r = byName.get(name);
      return r ? toReason(r) : null;
    },
    all: () => all.all().map(toReason),
    enabledNames: () => enabled.all().map((r) => r.name),
    insert: (name: string, now: string) => Number(insert.run(name, now, now).lastInsertRowid),
    rename: (id: number, name: string, now: string) => rename.run(name, now, id),
    setEnabled: (id: number, isEnabled: boolean, now: string) => setEnabled.run(isEnabled ? 1 : 0, now, id),
    delete: (id: number) => del.run(id),
  };
}
export type BreakReasonRepository = ReturnType<typeof createBreakReasonRepository>;
