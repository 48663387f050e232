import type { Db } from '../../db/database.js';

/** What a queue may require of its agents (languages, products, tiers); agents have skills at levels 1-10. */
export interface Skill {
  id: number;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: number;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}
const toSkill = (r: Row): Skill => ({ id: r.id, name: r.name, description: r.description, createdAt: r.created_at, updatedAt: r.updated_at });

export function createSkillRepository(db: Db) {
  const byId = db.prepare<[number], Row>('SELECT * FROM skills WHERE id = ?');
  // The column is COLLATE NOCASE: "Spanish" and "spanish" are one skill.
  const byName = db.prepare<[string], Row>('SELECT * FROM skills WHERE name = ?');
  const all = db.prepare<[], Row>('SELECT * FROM skills ORDER BY name COLLATE NOCASE');
  const insert = db.prepare('INSERT INTO skills (name, description, created_at, updated_at) VALUES (@name, @description, @now, @now)');
  const update = db.prepare('UPDATE skills SET name = @name, description = @description, updated_at = @now WHERE id = @id');
  const del = db.prepare('DELETE FROM skills WHERE id = ?');
  return {
    findById: (id: number) => {
      const r = byId.get(id);
      return r ? toSkill(r) : null;
    },
    findByName: (name: string) => {
      const r = byName.get(name);
      return r ? toSkill(r) : null;
    },
    all: () => all.all().map(toSkill),
    insert: (s: { name: string; description: string }, now: string) => Number(insert.run({ ...s, now }).lastInsertRowid),
    update: (id: number, s: { name: string; description: string }, now: string) => update.run({ ...s, now, id }),
    delete: (id: number) => del.run(id),
  };
}
export type SkillRepository = ReturnType<typeof createSkillRepository>;
