import type { Db } from '../../db/database.js';
import { containsPattern } from '../../db/sql.js';
import type { Role, User, UserFilter } from './users.types.js';

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  is_disabled: 0 | 1;
  must_change_password: 0 | 1;
  last_login_at: string | null;
  password_changed_at: string;
  created_at: string;
  updated_at: string;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  isDisabled: r.is_disabled === 1,
  mustChangePassword: r.must_change_password === 1,
  lastLoginAt: r.last_login_at,
  passwordChangedAt: r.password_changed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function createUserRepository(db: Db) {
  const byId = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?');
  const byName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
  const insert = db.prepare(`INSERT INTO users
    (username, display_name, role, password_hash, must_change_password, password_changed_at, created_at, updated_at)
    VALUES (@username, @displayName, @role, @passwordHash, @mustChange, @now, @now, @now)`);
  const update = db.prepare('UPDATE users SET display_name = ?, role = ?, updated_at = ? WHERE id = ?');
  const disabled = db.prepare('UPDATE users SET is_disabled = ?, updated_at = ? WHERE id = ?');
  const password = db.prepare(`UPDATE users SET password_hash = ?, must_change_password = ?,
    password_changed_at = ?, updated_at = ? WHERE id = ?`);
  const login = db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?');
  const activeAdmins = db.prepare<[], { n: number }>(
    "SELECT count(*) AS n FROM users WHERE role = 'admin' AND is_disabled = 0",
  );
  const countByRole = db.prepare<[], { role: Role; active: number; disabled: number }>(
    'SELECT role, sum(is_disabled = 0) AS active, sum(is_disabled = 1) AS disabled FROM users GROUP BY role',
  );

  function where(f: UserFilter): { sql: string; params: unknown[] } {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (f.q) {
      parts.push("(username LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE '\\')");
      const like = containsPattern(f.q);
      params.push(like, like);
    }
    if (f.role) {
      parts.push('role = ?');
      params.push(f.role);
    }
    if (f.status) parts.push(f.status === 'disabled' ? 'is_disabled = 1' : 'is_disabled = 0');
    return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
  }

  return {
    findById: (id: number): User | undefined => {
      const r = byId.get(id);
      return r && toUser(r);
    },
    findByUsername: (name: string): User | undefined => {
      const r = byName.get(name);
      return r && toUser(r);
    },
    /** The only way out of this module for a password hash: the login check needs it. */
    credentials: (name: string): { user: User; passwordHash: string } | undefined => {
      const r = byName.get(name);
      return r && { user: toUser(r), passwordHash: r.password_hash };
    },
    passwordHash: (id: number): string | undefined => byId.get(id)?.password_hash,
    insert: (u: { username: string; displayName: string; role: Role; passwordHash: string; mustChange: boolean }, now: string) =>
      Number(insert.run({ ...u, mustChange: u.mustChange ? 1 : 0, now }).lastInsertRowid),
    update: (id: number, displayName: string, role: Role, now: string) => update.run(displayName, role, now, id),
    setDisabled: (id: number, isDisabled: boolean, now: string) => disabled.run(isDisabled ? 1 : 0, now, id),
    setPassword: (id: number, hash: string, mustChange: boolean, now: string) =>
      password.run(hash, mustChange ? 1 : 0, now, now, id),
    recordLogin: (id: number, now: string) => login.run(now, id),
    countActiveAdmins: () => activeAdmins.get()!.n,
    countByRole: () => countByRole.all(),
    list(f: UserFilter, limit: number, offset: number): { items: User[]; total: number } {
      const w = where(f);
      const total = (db.prepare(`SELECT count(*) AS n FROM users ${w.sql}`).get(...w.params) as { n: number }).n;
      const rows = db
        .prepare(`SELECT * FROM users ${w.sql} ORDER BY username COLLATE NOCASE LIMIT ? OFFSET ?`)
        .all(...w.params, limit, offset) as UserRow[];
      return { items: rows.map(toUser), total };
    },
  };
}
export type UserRepository = ReturnType<typeof createUserRepository>;
