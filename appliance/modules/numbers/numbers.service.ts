import { isoNow, type Clock } from '../../clock.js';
import { ImportRejected, readCsv, writeCsv, yesNo } from '../../csv.js';
import type { Db } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { parseInput } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import { createNumberRepository, type NumberRepository } from './numbers.repository.js';
import { NumberInputSchema, type NumberInput, type NumberRoute } from './numbers.types.js';

/** Looks other modules up through their services, never their tables. */
export interface NumberLookups {
  trunkExists(id: number): boolean;
  extensionNumber(id: number): string | null;
  trunkIdByName(name: string): number | null;
  trunkName(id: number): string | null;
  extensionIdByNumber(number: string): number | null;
}

/** Numbers (DIDs): where calls arriving on a trunk go. Every change is audited and republishes the dialplan. */
export class NumberService {
  private readonly repo: NumberRepository;

  constructor(private readonly d: { db: Db; clock: Clock; audit: AuditService; lookups: NumberLookups; publish: (reason: string) => void; usedBy: (id: number) => string[] }) {
    this.repo = createNumberRepository(d.db);
  }

  list(): NumberRoute[] {
    return this.repo.all();
  }

  get(id: number): NumberRoute {
    const n = this.repo.findById(id);
    if (!n) throw new NotFoundError('number.not_found', { id }, { message: 'No such number.' });
    return n;
  }

  create(input: unknown, actor: Actor): NumberRoute {
    const data = this.check(input, null);
    const id = this.d.db.transaction(() => {
      if (this.repo.findByNumber(data.number)) throw new ValidationError('number.taken', { number: `${data.number} is already configured.` });
      const id = this.repo.insert(data, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'number.created', entityType: 'number', entityId: id, summary: `added number ${data.number}` });
      return id;
    })();
    this.d.publish(`number ${data.number} created`);
    return this.get(id);
  }

  update(id: number, input: unknown, actor: Actor): NumberRoute {
    const data = this.check(input, id);
    this.d.db.transaction(() => {
      this.get(id);
      const clash = this.repo.findByNumber(data.number);
      if (clash && clash.id !== id) throw new ValidationError('number.taken', { number: `${data.number} is already configured.` });
      this.repo.update(id, data, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'number.updated', entityType: 'number', entityId: id, summary: `updated number ${data.number}` });
    })();
    this.d.publish(`number ${data.number} updated`);
    return this.get(id);
  }

  delete(id: number, actor: Actor): void {
    const n = this.get(id);
    this.d.db.transaction(() => {
      const users = this.d.usedBy(id);
      if (users.length) throw new ConflictError('number.in_use', { users }, { message: `Number ${n.number} cannot be deleted: ${users.join(', ')} ${users.length === 1 ? 'shows' : 'show'} it as caller ID.` });
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'number.deleted', entityType: 'number', entityId: id, summary: `deleted number ${n.number}` });
    })();
    this.d.publish(`number ${n.number} deleted`);
  }

  /** Import numbers from CSV (number, trunk, destination, inbound): all rows or none. */
  importCsv(text: string, actor: Actor): number {
    const rows = readCsv(text, { required: ['number', 'trunk', 'destination'], optional: ['inbound'] });
    const problems: { line: number; message: string }[] = [];
    const seen = new Map<string, number>();
    const valid: NumberInput[] = [];
    for (const { line, values } of rows) {
      const trunkId = this.d.lookups.trunkIdByName(values.trunk ?? '');
      if (trunkId === null) problems.push({ line, message: `trunk: no trunk is named "${values.trunk}"` });
      const dest = (values.destination ?? '').toLowerCase();
      const extensionId = dest === 'hangup' ? null : this.d.lookups.extensionIdByNumber(dest);
      if (dest !== 'hangup' && extensionId === null) problems.push({ line, message: `destination: "${values.destination}" is neither an extension number nor "hangup"` });
      const inbound = yesNo(values.inbound, true);
      if (inbound === null) problems.push({ line, message: 'inbound: use yes or no' });
      const parsed = NumberInputSchema.safeParse({ number: values.number, trunkId: trunkId ?? 1, isInbound: inbound ?? true, destinationKind: dest === 'hangup' ? 'hangup' : 'extension', destinationExtensionId: extensionId ?? 1 });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) if (issue.path[0] === 'number') problems.push({ line, message: `number: ${issue.message}` });
        continue;
      }
      const first = seen.get(parsed.data.number);
      if (first) problems.push({ line, message: `number: ${parsed.data.number} is also on line ${first}` });
      else if (this.repo.findByNumber(parsed.data.number)) problems.push({ line, message: `number: ${parsed.data.number} is already configured` });
      seen.set(parsed.data.number, first ?? line);
      valid.push(parsed.data);
    }
    if (problems.length) throw new ImportRejected(problems);
    this.d.db.transaction(() => {
      const now = isoNow(this.d.clock);
      for (const n of valid) this.repo.insert(n, now);
      this.d.audit.record(actor, { action: 'number.imported', entityType: 'number', summary: `imported ${valid.length} number(s) from CSV` });
    })();
    this.d.publish(`${valid.length} number(s) imported`);
    return valid.length;
  }

  /** Every number as CSV, in the import's format. */
  exportCsv(): string {
    return writeCsv(
      ['number', 'trunk', 'destination', 'inbound'],
      this.repo.all().map((n) => [n.number, this.d.lookups.trunkName(n.trunkId) ?? '', n.destinationExtensionId ? (this.d.lookups.extensionNumber(n.destinationExtensionId) ?? '') : 'hangup', n.isInbound ? 'yes' : 'no']),
    );
  }

  numberOf(id: number): string | null {
    return this.repo.findById(id)?.number ?? null;
  }

  /** What uses a trunk or an extension, in words, so deleting it can be refused with the reason. */
  usingTrunk(trunkId: number): string[] {
    return this.repo.onTrunk(trunkId).map((n) => `number ${n.number}`);
  }

  usingExtension(extensionId: number): string[] {
    return this.repo.toExtension(extensionId).map((n) => `number ${n.number}`);
  }

  /** For the configuration generator: numbers with their extension's dial number, sorted by id. */
  forConfig() {
    return this.repo.all().map((n) => ({ ...n, extension: n.destinationExtensionId ? this.d.lookups.extensionNumber(n.destinationExtensionId) : null }));
  }

  private check(input: unknown, _id: number | null) {
    const data = parseInput(NumberInputSchema, input, 'number.invalid');
    const fields: Record<string, string> = {};
    if (!this.d.lookups.trunkExists(data.trunkId)) fields.trunkId = 'Choose an existing trunk.';
    if (data.destinationExtensionId && !this.d.lookups.extensionNumber(data.destinationExtensionId)) fields.destinationExtensionId = 'Choose an existing extension.';
    if (Object.keys(fields).length) throw new ValidationError('number.invalid', fields);
    return data;
  }
}
