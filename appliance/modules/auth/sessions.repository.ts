import type { Db } from '../../db/database.js';

export interface SessionRow {
  id: number;
  token_hash: string;
  user_id: number | null;
  csrf_token: string;
  flash: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export function createSessionRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO sessions
    (token_hash, user_id, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at)
    VALUES (@tokenHash, @userId, @csrfToken, @ip, @userAgent, @now, @now, @expiresAt)`);
  const byHash = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE token_hash = ?');
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?');
  const del = db.prepare('DELETE FROM sessions WHERE id = ?');
  const delUser = db.prepare('DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?');
  const setFlash = db.prepare('UPDATE sessions SET flash = ? WHERE id = ?');
  const purge = db.prepare(`DELETE FROM sessions WHERE expires_at <= ?
    OR (user_id IS NOT NULL AND last_seen_at <= ?) OR (user_id IS NULL AND last_seen_at <= ?)`);
  const countActive = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM sessions WHERE user_id IS NOT NULL AND expires_at > ?',
  );

  return {
    insert: (s: { tokenHash: string; userId: number | null; csrfToken: string; ip: string | null; userAgent: string | null; now: string; expiresAt: string }) =>
      Number(insert.run(s).lastInsertRowid),
    findByHash: (hash: string) => byHash.get(hash),
    touch: (id: number, now: string) => touch.run(now, id),
    delete: (id: number) => del.run(id),
    deleteForUser: (userId: number, exceptId: number | null) => delUser.run(userId, exceptId).changes,
    setFlash: (id: number, flash: string | null) => setFlash.run(flash, id),
    purge: (now: string, idleBefore: string, anonymousBefore: string) => purge.run(now, idleBefore, anonymousBefore).changes,
    countSignedIn: (now: string) => countActive.get(now)!.n,
  };
}
export type SessionRepository = ReturnType<typeof createSessionRepository>;
