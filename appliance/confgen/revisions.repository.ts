import type { Db } from '../db/database.js';

export interface Revision {
  id: number;
  createdAt: string;
  reason: string;
  actorName: string;
  status: 'applied' | 'unchanged' | 'failed';
  sha256: string | null;
  filesChanged: string[];
  actions: string[];
  diff: string;
  error: string | null;
}

interface Row {
  id: number;
  created_at: string;
  reason: string;
  actor_name: string;
  status: Revision['status'];
  sha256: string | null;
  files_changed: string;
  actions: string;
  diff: string;
  error: string | null;
}

const toRevision = (r: Row): Revision => ({
  id: r.id,
  createdAt: r.created_at,
  reason: r.reason,
  actorName: r.actor_name,
  status: r.status,
  sha256: r.sha256,
  filesChanged: JSON.parse(r.files_changed) as string[],
  actions: JSON.parse(r.actions) as string[],
  diff: r.diff,
  error: r.error,
});

export function createRevisionRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO config_revisions
    (created_at, reason, actor_name, status, sha256, files_changed, actions, diff, error)
    VALUES (@createdAt, @reason, @actorName, @status, @sha256, @filesChanged, @actions, @diff, @error)`);
  const byId = db.prepare<[number], Row>('SELECT * FROM config_revisions WHERE id = ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM config_revisions');
  const page = db.prepare<[number, number], Row>('SELECT * FROM config_revisions ORDER BY id DESC LIMIT ? OFFSET ?');
  return {
    insert: (r: Omit<Revision, 'id'>) =>
      Number(insert.run({ ...r, filesChanged: JSON.stringify(r.filesChanged), actions: JSON.stringify(r.actions) }).lastInsertRowid),
    get: (id: number) => {
      const r = byId.get(id);
      return r && toRevision(r);
    },
    list: (limit: number, offset: number) => ({ items: page.all(limit, offset).map(toRevision), total: count.get()!.n }),
  };
}
export type RevisionRepository = ReturnType<typeof createRevisionRepository>;
