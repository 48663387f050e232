import { z } from 'zod';
import { isoNow, type Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { parseInput } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import { createBlocklistRepository, type BlockedCaller, type BlocklistRepository } from './blocklist.repository.js';

const Input = z
  .object({
    pattern: z
      .string({ error: 'Enter a number, a prefix ending in *, or "anonymous".' })
      .trim()
      .regex(/^(anonymous|\+?[0-9]{3,15}|\+?[0-9]{1,14}\*)$/i, 'Enter a number (+4930123456), a prefix ending in * (+4930*), or "anonymous".')
      .transform((p) => p.toLowerCase()),
    action: z.enum(['reject', 'extension'], { error: 'Choose what happens to the call.' }),
    destinationExtensionId: z.preprocess((v) => (v === '' || v === undefined ? null : v), z.coerce.number().int().positive().nullable()),
    note: z.string().trim().max(200, 'Use at most 200 characters.').regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.').default(''),
  })
  .superRefine((b, ctx) => {
    if (b.action === 'extension' && !b.destinationExtensionId) ctx.addIssue({ code: 'custom', path: ['destinationExtensionId'], message: 'Choose an extension.' });
  })
  .transform((b) => ({ ...b, destinationExtensionId: b.action === 'extension' ? b.destinationExtensionId : null }));

/** The caller-ID pattern as a regular expression for the dialplan, built from checked parts only. */
export function patternRegex(pattern: string): string {
  if (pattern === 'anonymous') return '^(anonymous|unknown|0000000000)?$';
  const digits = pattern.replace(/^\+/, '').replace(/\*$/, '');
  return pattern.endsWith('*') ? `^\\+?${digits}` : `^\\+?${digits}$`;
}

/** Callers refused, or sent to one extension, before any number routing. Changes are audited and published. */
export class BlocklistService {
  private readonly repo: BlocklistRepository;

  constructor(private readonly d: { db: Db; clock: Clock; audit: AuditService; publish: (reason: string) => void; extensionNumber: (id: number) => string | null }) {
    this.repo = createBlocklistRepository(d.db);
  }

  list(): BlockedCaller[] {
    return this.repo.list();
  }

  add(input: unknown, actor: Actor): BlockedCaller {
    const b = parseInput(Input, input, 'blocklist.invalid');
    if (b.destinationExtensionId && !this.d.extensionNumber(b.destinationExtensionId)) throw new ValidationError('blocklist.invalid', { destinationExtensionId: 'Choose an existing extension.' });
    const id = this.d.db.transaction(() => {
      if (this.repo.exists(b.pattern)) throw new ValidationError('blocklist.taken', { pattern: `${b.pattern} is already on the list.` });
      const id = this.repo.insert(b, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'blocklist.added', entityType: 'blocked_caller', entityId: id, summary: `blocked callers ${b.pattern} (${b.action === 'reject' ? 'rejected' : 'sent to an extension'})` });
      return id;
    })();
    this.d.publish(`blocklist ${b.pattern} added`);
    return this.repo.find(id)!;
  }

  remove(id: number, actor: Actor): void {
    const row = this.repo.find(id);
    if (!row) throw new NotFoundError('blocklist.not_found', { id }, { message: 'No such entry.' });
    this.d.db.transaction(() => {
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'blocklist.removed', entityType: 'blocked_caller', entityId: id, summary: `unblocked callers ${row.pattern}` });
    })();
    this.d.publish(`blocklist ${row.pattern} removed`);
  }

  usingExtension(extensionId: number): string[] {
    return this.repo.patternsToExtension(extensionId).map((p) => `blocked callers ${p}`);
  }

  forConfig() {
    return this.repo.byIdOrder().map((b) => ({ id: b.id, regex: patternRegex(b.pattern), extension: b.destinationExtensionId ? this.d.extensionNumber(b.destinationExtensionId) : null }));
  }
}
