import { z } from 'zod';
import { isoNow, type Clock } from '../../clock.js';
import { ImportRejected, readCsv, writeCsv } from '../../csv.js';
import type { Db } from '../../db/database.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { paginate } from '../../paging.js';
import { fieldErrors, parseInput } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import { createVipCallerRepository, type VipCaller, type VipCallerRepository } from './vip-callers.repository.js';

/** Spaces, dashes, dots and brackets people write numbers with are dropped: +49 (30) 123-456 is +4930123456. */
const VipInput = z.object({
  number: z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/[\s().-]/g, '') : v),
    z.string({ error: 'Enter the caller\'s number.' }).regex(/^\+?[0-9]{2,20}$/, 'Enter the number as callers send it: digits, optionally after a + (e.g. +4930123456).'),
  ),
  priority: z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? NaN : Number(v.trim())) : v),
    z.number({ error: 'Choose a priority from 1 to 9.' }).int('Choose a priority from 1 to 9.').min(1, 'Choose a priority from 1 to 9.').max(9, 'Choose a priority from 1 to 9.'),
  ),
  note: z.string().trim().max(200, 'Use at most 200 characters.').regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.').default(''),
});
type VipValues = z.infer<typeof VipInput>;

export const VipFilterSchema = z.object({
  q: z.string().trim().max(40).optional().catch(undefined),
  priority: z.coerce.number().int().min(1).max(9).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
});

export const VIP_CSV_COLUMNS = ['number', 'priority', 'note'];

/**
 * VIP callers: numbers served before other callers in every queue. The ACD asks priorityOf(caller) as each call
 * enters a queue.
 */
export class VipCallerService {
  private readonly repo: VipCallerRepository;

  constructor(private readonly d: { db: Db; clock: Clock; audit: AuditService }) {
    this.repo = createVipCallerRepository(d.db);
  }

  list(query: unknown, pageSize = 50) {
    const filter = VipFilterSchema.parse(query ?? {});
    return { filter, ...paginate<VipCaller>(filter.page, pageSize, (limit, offset) => this.repo.list(filter, limit, offset)) };
  }

  get(id: number): VipCaller {
    const v = this.repo.findById(id);
    if (!v) throw new NotFoundError('vip_caller.not_found', { id }, { message: 'No such VIP caller.' });
    return v;
  }

  /**
   * The priority a caller waits with: 1-9 for a VIP, 0 for everyone else. The number matches as written, and
   * with or without a leading + (carriers send E.164 both ways).
   */
  priorityOf(number: string): number {
    const n = number.trim();
    if (!/^\+?[0-9]{2,20}$/.test(n)) return 0;
    return this.repo.priorityOf(n, n.startsWith('+') ? n.slice(1) : `+${n}`);
  }

  create(input: unknown, actor: Actor): VipCaller {
    const v = parseInput(VipInput, input, 'vip_caller.invalid');
    const id = this.d.db.transaction(() => {
      this.refuseTaken(v.number, null);
      const id = this.repo.insert(v, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'vip_caller.created', entityType: 'vip_caller', entityId: id, summary: `added VIP caller ${v.number} (priority ${v.priority})` });
      return id;
    })();
    return this.get(id);
  }

  update(id: number, input: unknown, actor: Actor): VipCaller {
    const before = this.get(id);
    const v = parseInput(VipInput, input, 'vip_caller.invalid');
    this.d.db.transaction(() => {
      this.refuseTaken(v.number, id);
      this.repo.update(id, v, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'vip_caller.updated', entityType: 'vip_caller', entityId: id, summary: `updated VIP caller ${v.number}`, details: { before: { number: before.number, priority: before.priority, note: before.note }, after: v } });
    })();
    return this.get(id);
  }

  delete(id: number, actor: Actor): void {
    const v = this.get(id);
    this.d.db.transaction(() => {
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'vip_caller.deleted', entityType: 'vip_caller', entityId: id, summary: `removed VIP caller ${v.number}` });
    })();
  }

  /** Import from CSV (number, priority[, note]): all rows or none, every problem by line. */
  importCsv(text: string, actor: Actor): number {
    const rows = readCsv(text, { required: ['number', 'priority'], optional: ['note'] });
    const problems: { line: number; message: string }[] = [];
    const seen = new Map<string, number>();
    const valid: VipValues[] = [];
    for (const { line, values } of rows) {
      const parsed = VipInput.safeParse(values);
      if (!parsed.success) {
        for (const [field, message] of Object.entries(fieldErrors(parsed.error))) problems.push({ line, message: `${field}: ${message}` });
        continue;
      }
      const key = parsed.data.number.replace(/^\+/, '');
      const first = seen.get(key);
      if (first) problems.push({ line, message: `number: ${parsed.data.number} is also on line ${first}` });
      else if (this.known(parsed.data.number)) problems.push({ line, message: `number: ${parsed.data.number} is already a VIP caller` });
      else seen.set(key, line);
      valid.push(parsed.data);
    }
    if (problems.length) throw new ImportRejected(problems);
    this.d.db.transaction(() => {
      const now = isoNow(this.d.clock);
      for (const v of valid) this.repo.insert(v, now);
      this.d.audit.record(actor, { action: 'vip_caller.imported', entityType: 'vip_caller', summary: `imported ${valid.length} VIP caller(s) from CSV` });
    })();
    return valid.length;
  }

  exportCsv(): string {
    return writeCsv(VIP_CSV_COLUMNS, this.repo.all().map((v) => [v.number, v.priority, v.note]));
  }

  private known(number: string): boolean {
    return this.priorityOf(number) > 0;
  }

  /** One entry per number, counting +4930123456 and 4930123456 as one (priorityOf matches both). */
  private refuseTaken(number: string, self: number | null): void {
    const other = [number, number.startsWith('+') ? number.slice(1) : `+${number}`].map((n) => this.repo.findByNumber(n)).find((v) => v && v.id !== self);
    if (other) throw new ValidationError('vip_caller.taken', { number: `${other.number} is already a VIP caller (priority ${other.priority}).` }, 'Some fields need attention.');
  }
}
