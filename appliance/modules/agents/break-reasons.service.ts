import { z } from 'zod';
import { isoNow, type Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { parseInput } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import { createBreakReasonRepository, type BreakReason, type BreakReasonRepository } from './break-reasons.repository.js';

const ReasonInput = z.object({
  name: z
    .string({ error: 'Enter a name.' })
    .trim()
    .min(1, 'Enter a name.')
    .max(60, 'Use at most 60 characters.')
    .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.'),
});

/**
 * Break reasons agents pick when they are not ready. Agents' states keep the reason's text, so renaming or
 * deleting one never touches an agent on break. The system's own reason is fixed: the ACD puts an agent who
 * does not answer on break with it, by that name.
 */
export class BreakReasonService {
  private readonly repo: BreakReasonRepository;

  constructor(private readonly d: { db: Db; clock: Clock; audit: AuditService }) {
    this.repo = createBreakReasonRepository(d.db);
  }

  /** The system's reason first, then by name. */
  list(): BreakReason[] {
    return this.repo.all();
  }

  get(id: number): BreakReason {
    const r = this.repo.findById(id);
    if (!r) throw new NotFoundError('break_reason.not_found', { id }, { message: 'No such break reason.' });
    return r;
  }

  /** The names agents may choose from now (the system's reason among them). */
  enabled(): string[] {
    return this.repo.enabledNames();
  }

  create(input: unknown, actor: Actor): BreakReason {
    const { name } = parseInput(ReasonInput, input, 'break_reason.invalid');
    const id = this.d.db.transaction(() => {
      this.refuseTakenName(name);
      const id = this.repo.insert(name, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'break_reason.created', entityType: 'break_reason', entityId: id, summary: `added break reason ${name}` });
      return id;
    })();
    return this.get(id);
  }

  rename(id: number, input: unknown, actor: Actor): BreakReason {
    const before = this.get(id);
    this.refuseSystem(before, 'renamed');
    const { name } = parseInput(ReasonInput, input, 'break_reason.invalid');
    this.d.db.transaction(() => {
      this.refuseTakenName(name, id);
      this.repo.rename(id, name, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'break_reason.renamed', entityType: 'break_reason', entityId: id, summary: `renamed break reason ${before.name} to ${name}` });
    })();
    return this.get(id);
  }

  setEnabled(id: number, isEnabled: boolean, actor: Actor): BreakReason {
    const before = this.get(id);
    this.refuseSystem(before, isEnabled ? 'enabled' : 'disabled');
    if (before.isEnabled === isEnabled) return before;
    this.d.db.transaction(() => {
      this.repo.setEnabled(id, isEnabled, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: isEnabled ? 'break_reason.enabled' : 'break_reason.disabled', entityType: 'break_reason', entityId: id, summary: `${isEnabled ? 'enabled' : 'disabled'} break reason ${before.name}` });
    })();
    return this.get(id);
  }

  delete(id: number, actor: Actor): void {
    const r = this.get(id);
    this.refuseSystem(r, 'deleted');
    this.d.db.transaction(() => {
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'break_reason.deleted', entityType: 'break_reason', entityId: id, summary: `deleted break reason ${r.name}` });
    })();
  }

  private refuseSystem(r: BreakReason, what: string): void {
    if (r.isSystem) throw new ConflictError('break_reason.system', { id: r.id }, { message: `${r.name} is the system's own break reason (an agent who does not answer an offered call is put on it): it cannot be ${what}.` });
  }

  private refuseTakenName(name: string, self?: number): void {
    const other = this.repo.findByName(name);
    if (other && other.id !== self) throw new ValidationError('break_reason.name_taken', { name: `A break reason named ${other.name} already exists.` }, 'Some fields need attention.');
  }
}
