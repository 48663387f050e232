import type { Db } from '../../db/database.js';
import { containsPattern } from '../../db/sql.js';
import type { Prompt, PromptCategory, PromptFilter, PromptSource, PromptStatus, Speech } from './prompts.types.js';

interface Row {
  id: number;
  name: string;
  category: PromptCategory;
  source: PromptSource;
  text: string | null;
  voice: string | null;
  rate: number | null;
  volume: number | null;
  hash: string;
  status: PromptStatus;
  error: string | null;
  duration_ms: number | null;
  size_bytes: number | null;
  original_name: string | null;
  created_at: string;
  updated_at: string;
}

const toPrompt = (r: Row): Prompt => ({
  id: r.id,
  name: r.name,
  category: r.category,
  source: r.source,
  speech: r.text !== null && r.voice !== null && r.rate !== null && r.volume !== null ? { text: r.text, voice: r.voice, rate: r.rate, volume: r.volume } : null,
  hash: r.hash,
  status: r.status,
  error: r.error,
  durationMs: r.duration_ms,
  sizeBytes: r.size_bytes,
  originalName: r.original_name,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface NewPrompt {
  name: string;
  category: PromptCategory;
  source: PromptSource;
  speech: Speech | null;
  hash: string;
  status: PromptStatus;
  durationMs: number | null;
  sizeBytes: number | null;
  originalName: string | null;
}

export function createPromptRepository(db: Db) {
  const byId = db.prepare<[number], Row>('SELECT * FROM prompts WHERE id = ?');
  const byName = db.prepare<[string], Row>('SELECT * FROM prompts WHERE name = ?');
  const insert = db.prepare(`INSERT INTO prompts (name, category, source, text, voice, rate, volume, hash, status, duration_ms, size_bytes,
    original_name, created_at, updated_at) VALUES (@name, @category, @source, @text, @voice, @rate, @volume, @hash, @status, @durationMs,
    @sizeBytes, @originalName, @now, @now)`);
  const rename = db.prepare('UPDATE prompts SET name = ?, updated_at = ? WHERE id = ?');
  const respeak = db.prepare(`UPDATE prompts SET text = @text, voice = @voice, rate = @rate, volume = @volume, hash = @hash, status = 'rendering',
    error = NULL, duration_ms = NULL, size_bytes = NULL, updated_at = @now WHERE id = @id`);
  // Only the render of the speech the prompt still has may settle it: an edit meanwhile started another.
  const ready = db.prepare(`UPDATE prompts SET status = 'ready', error = NULL, duration_ms = ?, size_bytes = ?, updated_at = ? WHERE id = ? AND hash = ?`);
  const failed = db.prepare(`UPDATE prompts SET status = 'failed', error = ?, updated_at = ? WHERE id = ? AND hash = ?`);
  const del = db.prepare('DELETE FROM prompts WHERE id = ?');
  const hashUsers = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM prompts WHERE hash = ?');
  const rendering = db.prepare<[], Row>("SELECT * FROM prompts WHERE status = 'rendering' ORDER BY id");
  const readyIn = db.prepare<[string], Row>("SELECT * FROM prompts WHERE status = 'ready' AND category = ? ORDER BY name");
  return {
    findById: (id: number) => {
      const r = byId.get(id);
      return r ? toPrompt(r) : null;
    },
    findByName: (name: string) => {
      const r = byName.get(name);
      return r ? toPrompt(r) : null;
    },
    insert: (p: NewPrompt, now: string) =>
      Number(insert.run({ ...p, text: p.speech?.text ?? null, voice: p.speech?.voice ?? null, rate: p.speech?.rate ?? null, volume: p.speech?.volume ?? null, now }).lastInsertRowid),
    rename: (id: number, name: string, now: string) => rename.run(name, now, id),
    respeak: (id: number, speech: Speech, hash: string, now: string) => respeak.run({ ...speech, hash, now, id }),
    markReady: (id: number, hash: string, durationMs: number, sizeBytes: number, now: string) => ready.run(durationMs, sizeBytes, now, id, hash).changes > 0,
    markFailed: (id: number, hash: string, error: string, now: string) => failed.run(error, now, id, hash).changes > 0,
    delete: (id: number) => del.run(id),
    /** How many prompts name this file. */
    hashUsers: (hash: string) => hashUsers.get(hash)!.n,
    rendering: () => rendering.all().map(toPrompt),
    ready: (category: PromptCategory) => readyIn.all(category).map(toPrompt),
    list(f: PromptFilter, limit: number, offset: number): { items: Prompt[]; total: number } {
      const where: string[] = [];
      const params: unknown[] = [];
      if (f.q) {
        where.push("(name LIKE ? ESCAPE '\\' OR coalesce(text, '') LIKE ? ESCAPE '\\')");
        params.push(containsPattern(f.q), containsPattern(f.q));
      }
      for (const key of ['category', 'source', 'status'] as const) {
        if (f[key]) {
          where.push(`${key} = ?`);
          params.push(f[key]);
        }
      }
      const sql = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = (db.prepare(`SELECT count(*) AS n FROM prompts ${sql}`).get(...params) as { n: number }).n;
      const rows = db.prepare(`SELECT * FROM prompts ${sql} ORDER BY name LIMIT ? OFFSET ?`).all(...params, limit, offset) as Row[];
      return { items: rows.map(toPrompt), total };
    },
  };
}
export type PromptRepository = ReturnType<typeof createPromptRepository>;
