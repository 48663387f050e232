import { z } from 'zod';
import { isoNow, type Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { parseInput } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import { createSkillRepository, type Skill, type SkillRepository } from './skills.repository.js';

const SkillInput = z.object({
  name: z
    .string({ error: 'Enter a name.' })
    .trim()
    .min(1, 'Enter a name.')
    .max(60, 'Use at most 60 characters.')
    .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.'),
  description: z.string().trim().max(300, 'Use at most 300 characters.').regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.').default(''),
});

/**
 * Skills: what a queue may require of the agents it offers calls to. A skill in use (required by a queue, held
 * by an agent) cannot be deleted; renaming is always fine, since queues and agents refer to it by id.
 */
export class SkillService {
  private readonly repo: SkillRepository;

  constructor(private readonly d: { db: Db; clock: Clock; audit: AuditService; usedBy: (skillId: number) => string[] }) {
    this.repo = createSkillRepository(d.db);
  }

  list(): (Skill & { usedBy: string[] })[] {
    return this.repo.all().map((s) => ({ ...s, usedBy: this.d.usedBy(s.id) }));
  }

  get(id: number): Skill {
    const s = this.repo.findById(id);
    if (!s) throw new NotFoundError('skill.not_found', { id }, { message: 'No such skill.' });
    return s;
  }

  usersOf(id: number): string[] {
    return this.d.usedBy(id);
  }

  nameOf(id: number): string | null {
    return this.repo.findById(id)?.name ?? null;
  }

  /** For pickers, by name. */
  options(): { id: number; name: string }[] {
    return this.repo.all().map(({ id, name }) => ({ id, name }));
  }

  create(input: unknown, actor: Actor): Skill {
    const data = parseInput(SkillInput, input, 'skill.invalid');
    const id = this.d.db.transaction(() => {
      this.refuseTakenName(data.name);
      const id = this.repo.insert(data, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'skill.created', entityType: 'skill', entityId: id, summary: `added skill ${data.name}` });
      return id;
    })();
    return this.get(id);
  }

  update(id: number, input: unknown, actor: Actor): Skill {
    const data = parseInput(SkillInput, input, 'skill.invalid');
    this.d.db.transaction(() => {
      const before = this.get(id);
      this.refuseTakenName(data.name, id);
      this.repo.update(id, data, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'skill.updated', entityType: 'skill', entityId: id, summary: `updated skill ${data.name}${before.name !== data.name ? ` (was ${before.name})` : ''}` });
    })();
    return this.get(id);
  }

  delete(id: number, actor: Actor): void {
    const s = this.get(id);
    const users = this.d.usedBy(id);
    if (users.length) throw new ConflictError('skill.in_use', { users }, { message: `Skill ${s.name} cannot be deleted: ${users.join(', ')} ${users.length === 1 ? 'uses' : 'use'} it.` });
    this.d.db.transaction(() => {
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'skill.deleted', entityType: 'skill', entityId: id, summary: `deleted skill ${s.name}` });
    })();
  }

  private refuseTakenName(name: string, self?: number): void {
    const other = this.repo.findByName(name);
    if (other && other.id !== self) throw new ValidationError('skill.name_taken', { name: `A skill named ${other.name} already exists.` }, 'Some fields need attention.');
  }
}
