import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UserService } from '../users/users.service.js';
import { Role, type User } from '../users/users.types.js';
import { hashToken, randomToken } from './tokens.js';

const LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * First run: while no active admin exists, boot issues a one-time setup link (printed to the log) that creates
 * the first admin. There is never a default password.
 */
export class SetupService {
  constructor(private readonly d: { db: Db; clock: Clock; secret: string; users: UserService; audit: AuditService }) {}

  isNeeded(): boolean {
    return !this.d.users.hasActiveAdmin();
  }

  /** A fresh link token, or null when setup is done. Earlier unused links stop working. */
  issueToken(): string | null {
    if (!this.isNeeded()) return null;
    const token = randomToken();
    const now = this.d.clock.now();
    this.d.db.transaction(() => {
      this.d.db.prepare('DELETE FROM setup_tokens WHERE used_at IS NULL').run();
      this.d.db
        .prepare('INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES (?, ?, ?)')
        .run(hashToken(this.d.secret, token), new Date(now).toISOString(), new Date(now + LINK_LIFETIME_MS).toISOString());
    })();
    return token;
  }

  /** Throws unless the token is a live, unused link and setup is still needed. */
  check(token: string): void {
    if (!this.isNeeded()) throw new ConflictError('setup.done', {}, { message: 'Setup is already complete. Sign in instead.' });
    const row = this.d.db
      .prepare<[string], { expires_at: string; used_at: string | null }>('SELECT expires_at, used_at FROM setup_tokens WHERE token_hash = ?')
      .get(hashToken(this.d.secret, token));
    if (!row || row.used_at || Date.parse(row.expires_at) <= this.d.clock.now()) {
      throw new NotFoundError('setup.link_invalid', {}, { message: 'This setup link is not valid (used, expired or replaced). Restart Callbox for a new one, or run scripts/create-admin.' });
    }
  }

  /** Create the first admin. The token is taken first so that two submissions cannot both succeed. */
  async complete(token: string, input: Record<string, unknown>, ip: string | null): Promise<User> {
    this.check(token);
    const hash = hashToken(this.d.secret, token);
    const took = this.d.db
      .prepare('UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL')
      .run(new Date(this.d.clock.now()).toISOString(), hash);
    if (took.changes !== 1) throw new ConflictError('setup.done', {}, { message: 'Setup is already complete. Sign in instead.' });
    try {
      const name = typeof input.username === 'string' ? input.username : 'setup';
      const user = await this.d.users.create({ ...input, role: Role.Admin }, { userId: null, name, ip });
      this.d.audit.record({ userId: user.id, name: user.username, ip }, { action: 'setup.completed', entityType: 'user', entityId: user.id, summary: 'first-run setup created the first admin' });
      return user;
    } catch (e) {
      this.d.db.prepare('UPDATE setup_tokens SET used_at = NULL WHERE token_hash = ?').run(hash);
      throw e;
    }
  }
}
