import { isoNow, type Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { paginate } from '../../paging.js';
import { parseInput } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import { generateTemporaryPassword, hashPassword, verifyPassword } from './password.js';
import { createUserRepository, type UserRepository } from './users.repository.js';
import {
  ChangePasswordSchema,
  NewUserSchema,
  Role,
  UpdateUserSchema,
  UserFilterSchema,
  type Actor,
  type User,
} from './users.types.js';

export interface UserEvents {
  /** Sessions of this user must end (disabled, password changed or reset), except the one named. */
  onSignOut(userId: number, exceptSessionId?: number): void;
}

/** Accounts: creation, roles, disabling, passwords. Every change is audited in the same transaction. */
export class UserService {
  private readonly repo: UserRepository;
  constructor(private readonly d: { db: Db; clock: Clock; log: Logger; audit: AuditService; events: UserEvents }) {
    this.repo = createUserRepository(d.db);
  }

  get(id: number): User {
    const u = this.repo.findById(id);
    if (!u) throw new NotFoundError('user.not_found', { id });
    return u;
  }

  find(id: number): User | undefined {
    return this.repo.findById(id);
  }

  list(query: unknown, pageSize = 25) {
    const filter = UserFilterSchema.parse(query ?? {});
    return { filter, ...paginate<User>(filter.page, pageSize, (limit, offset) => this.repo.list(filter, limit, offset)) };
  }

  countByRole() {
    return this.repo.countByRole();
  }

  hasActiveAdmin(): boolean {
    return this.repo.countActiveAdmins() > 0;
  }

  async create(input: unknown, actor: Actor, opts: { mustChangePassword?: boolean } = {}): Promise<User> {
    const data = parseInput(NewUserSchema, input, 'user.invalid');
    if (this.repo.findByUsername(data.username)) throw taken(data.username);
    const passwordHash = await hashPassword(data.password);
    const id = this.d.db.transaction(() => {
      // Checked again inside the transaction: the hash above yields to other requests.
      if (this.repo.findByUsername(data.username)) throw taken(data.username);
      const id = this.repo.insert(
        { username: data.username, displayName: data.displayName, role: data.role, passwordHash, mustChange: opts.mustChangePassword ?? false },
        isoNow(this.d.clock),
      );
      this.d.audit.record(actor, {
        action: 'user.created',
        entityType: 'user',
        entityId: id,
        summary: `created ${data.role} ${data.username}`,
        details: { username: data.username, role: data.role },
      });
      return id;
    })();
    this.d.log.info({ userId: id, role: data.role }, 'user created');
    return this.get(id);
  }

  update(id: number, input: unknown, actor: Actor): User {
    const data = parseInput(UpdateUserSchema, input, 'user.invalid');
    this.d.db.transaction(() => {
      const before = this.get(id);
      if (before.role === Role.Admin && data.role !== Role.Admin && !before.isDisabled && this.repo.countActiveAdmins() <= 1) {
        throw new ValidationError('user.last_admin', { role: 'This is the only active admin; make another admin first.' });
      }
      this.repo.update(id, data.displayName, data.role, isoNow(this.d.clock));
      const changes: Record<string, unknown> = {};
      if (before.displayName !== data.displayName) changes.displayName = { from: before.displayName, to: data.displayName };
      if (before.role !== data.role) changes.role = { from: before.role, to: data.role };
      if (Object.keys(changes).length === 0) return;
      this.d.audit.record(actor, {
        action: before.role !== data.role ? 'user.role_changed' : 'user.updated',
        entityType: 'user',
        entityId: id,
        summary:
          before.role !== data.role
            ? `changed ${before.username} from ${before.role} to ${data.role}`
            : `renamed ${before.username} to "${data.displayName}"`,
        details: changes,
      });
    })();
    return this.get(id);
  }

  setDisabled(id: number, isDisabled: boolean, actor: Actor): User {
    this.d.db.transaction(() => {
      const u = this.get(id);
      if (u.isDisabled === isDisabled) return;
      if (isDisabled && actor.userId === id) throw new ConflictError('user.disable_self', {}, { message: 'You cannot disable your own account.' });
      if (isDisabled && u.role === Role.Admin && this.repo.countActiveAdmins() <= 1) {
        throw new ConflictError('user.last_admin', {}, { message: 'This is the only active admin; it cannot be disabled.' });
      }
      this.repo.setDisabled(id, isDisabled, isoNow(this.d.clock));
      this.d.audit.record(actor, {
        action: isDisabled ? 'user.disabled' : 'user.enabled',
        entityType: 'user',
        entityId: id,
        summary: `${isDisabled ? 'disabled' : 'enabled'} ${u.username}`,
      });
    })();
    if (isDisabled) this.d.events.onSignOut(id);
    return this.get(id);
  }

  /** An admin resets a password: a one-time password is returned once and must be changed at next sign-in. */
  async resetPassword(id: number, actor: Actor): Promise<{ user: User; temporaryPassword: string }> {
    const u = this.get(id);
    const temporaryPassword = generateTemporaryPassword();
    const hash = await hashPassword(temporaryPassword);
    this.d.db.transaction(() => {
      this.repo.setPassword(id, hash, true, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'user.password_reset', entityType: 'user', entityId: id, summary: `reset the password of ${u.username}` });
    })();
    this.d.events.onSignOut(id);
    return { user: this.get(id), temporaryPassword };
  }

  /** Everyone changes their own password by proving the current one. Other sessions of the user end. */
  async changeOwnPassword(id: number, input: unknown, actor: Actor, currentSessionId?: number): Promise<void> {
    const data = parseInput(ChangePasswordSchema, input, 'password.invalid');
    const u = this.get(id);
    if (data.password.toLowerCase() === u.username.toLowerCase()) {
      throw new ValidationError('password.invalid', { password: 'The password must not be the username.' });
    }
    const current = this.repo.passwordHash(id)!;
    if (!(await verifyPassword(data.currentPassword, current))) {
      throw new ValidationError('password.wrong_current', { currentPassword: 'That is not your current password.' });
    }
    const hash = await hashPassword(data.password);
    this.d.db.transaction(() => {
      this.repo.setPassword(id, hash, false, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'user.password_changed', entityType: 'user', entityId: id, summary: `${u.username} changed their password` });
    })();
    this.d.events.onSignOut(id, currentSessionId);
  }

  /** For the login check only. */
  credentials(username: string) {
    return this.repo.credentials(username);
  }

  recordLogin(id: number): void {
    this.repo.recordLogin(id, isoNow(this.d.clock));
  }
}

const taken = (username: string) =>
  new ValidationError('user.username_taken', { username: `The username "${username}" is already taken.` });
