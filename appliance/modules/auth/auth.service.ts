import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { TooManyRequestsError, UnauthorizedError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { AuditService } from '../audit/audit.service.js';
import { decoyHash, verifyPassword } from '../users/password.js';
import type { UserService } from '../users/users.service.js';
import type { User } from '../users/users.types.js';
import { createLoginThrottle, type LoginThrottle, type ThrottleRule } from './throttle.js';

export interface LoginLimits {
  maxFailuresPerUser: number;
  maxFailuresPerIp: number;
  windowMinutes: number;
  lockoutMinutes: number;
}

/** Sign-in: password check, per-user and per-address lockout, audit. Sessions are the caller's business. */
export class AuthService {
  private readonly throttle: LoginThrottle;
  private readonly userRule: ThrottleRule;
  private readonly ipRule: ThrottleRule;

  constructor(private readonly d: { db: Db; clock: Clock; log: Logger; users: UserService; audit: AuditService; limits: LoginLimits }) {
    this.throttle = createLoginThrottle(d.db, d.clock);
    const windowMs = d.limits.windowMinutes * 60_000;
    const lockMs = d.limits.lockoutMinutes * 60_000;
    this.userRule = { maxFailures: d.limits.maxFailuresPerUser, windowMs, lockMs };
    this.ipRule = { maxFailures: d.limits.maxFailuresPerIp, windowMs, lockMs };
  }

  async login(usernameInput: unknown, passwordInput: unknown, ip: string | null): Promise<User> {
    const username = typeof usernameInput === 'string' ? usernameInput.trim().slice(0, 64) : '';
    const password = typeof passwordInput === 'string' ? passwordInput.slice(0, 1024) : '';
    const userKey = `user:${username.toLowerCase()}`;
    const ipKey = `ip:${ip ?? 'unknown'}`;

    const wait = this.throttle.lockedFor([userKey, ipKey]);
    if (wait > 0) {
      throw new TooManyRequestsError('auth.locked', wait, `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute(s).`);
    }

    const creds = username ? this.d.users.credentials(username) : undefined;
    // Always run scrypt, so the response time does not tell whether the username exists.
    const ok = await verifyPassword(password, creds?.passwordHash ?? (await decoyHash()));
    const actor = { userId: creds?.user.id ?? null, name: username || '(blank)', ip };

    if (ok && creds && !creds.user.isDisabled) {
      this.throttle.clear(userKey);
      this.d.db.transaction(() => {
        this.d.users.recordLogin(creds.user.id);
        this.d.audit.record(actor, { action: 'auth.login', entityType: 'user', entityId: creds.user.id, summary: `${creds.user.username} signed in` });
      })();
      return this.d.users.get(creds.user.id);
    }
    if (ok && creds) {
      this.d.audit.record(actor, { action: 'auth.login_refused', entityType: 'user', entityId: creds.user.id, summary: `${creds.user.username} tried to sign in to a disabled account` });
      throw new UnauthorizedError('auth.disabled', {}, { message: 'This account is disabled. Ask an administrator to enable it.' });
    }

    const lockedUser = this.throttle.fail(userKey, this.userRule);
    const lockedIp = this.throttle.fail(ipKey, this.ipRule);
    this.d.audit.record(actor, { action: 'auth.login_failed', entityType: 'user', entityId: creds?.user.id ?? null, summary: `failed sign-in as ${actor.name}` });
    if (lockedUser || lockedIp) {
      const what = lockedUser ? `username ${actor.name}` : `address ${ip}`;
      this.d.audit.record(actor, { action: 'auth.locked', entityType: 'user', entityId: creds?.user.id ?? null, summary: `sign-in locked for ${what}` });
      this.d.log.warn({ username: actor.name, ip, by: lockedUser ? 'user' : 'ip' }, 'sign-in locked after repeated failures');
      throw new TooManyRequestsError('auth.locked', this.userRule.lockMs / 1000, `Too many failed sign-ins. Try again in ${this.d.limits.lockoutMinutes} minute(s).`);
    }
    throw new UnauthorizedError('auth.invalid', {}, { message: 'Wrong username or password.' });
  }

  purgeThrottle(): number {
    return this.throttle.purge(24 * 60 * 60 * 1000);
  }
}
