import { isoNow, type Clock } from '../../clock.js';
import { ImportRejected, readCsv, writeCsv } from '../../csv.js';
import type { Db } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { switchZoneRule } from '../../timezones.js';
import { fieldErrors } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import { DESTINATION_SLOTS } from './destinations.js';
import { CSV_COLUMNS, CSV_REQUIRED, FIELD_COLUMNS, numberToRow, rowToInput, type CsvLookups } from './numbers.csv.js';
import { createNumberRepository, type NumberRepository } from './numbers.repository.js';
import { NumberInputSchema, type NumberInput, type NumberRoute } from './numbers.types.js';
import { scheduleStatus, type ScheduleStatus } from './open-now.js';
import { readSchedule } from './schedule-input.js';

/** Looks other modules up through their services, never their tables. */
export interface NumberLookups extends CsvLookups {
  trunkExists(id: number): boolean;
  hasVoicemail(extensionId: number): boolean;
  /** null: no such flow; false: it exists but nothing is published, so no call could run it. */
  flowPublished(flowId: number): boolean | null;
  recordingPolicyExists(id: number): boolean;
}

/**
 * Numbers (DIDs): where calls arriving on a trunk go, in open hours and after hours, and whether outbound routes
 * may show them as caller ID. Every change is audited and republishes the dialplan.
 */
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

  /** Whether the number takes calls now, by the app's clock, as the dialplan decides it. */
  openNow(n: NumberRoute): ScheduleStatus {
    return scheduleStatus(n.schedule, this.d.clock.now());
  }

  create(input: unknown, actor: Actor): NumberRoute {
    const data = this.check(input);
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
    const data = this.check(input);
    this.d.db.transaction(() => {
      const before = this.get(id);
      const clash = this.repo.findByNumber(data.number);
      if (clash && clash.id !== id) throw new ValidationError('number.taken', { number: `${data.number} is already configured.` });
      if (before.isCallerId && !data.isCallerId) this.refuseIfUsed(before.number, id, 'stop being offered as caller ID');
      this.repo.update(id, data, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'number.updated', entityType: 'number', entityId: id, summary: `updated number ${data.number}` });
    })();
    this.d.publish(`number ${data.number} updated`);
    return this.get(id);
  }

  delete(id: number, actor: Actor): void {
    const n = this.get(id);
    this.d.db.transaction(() => {
      this.refuseIfUsed(n.number, id, 'be deleted');
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'number.deleted', entityType: 'number', entityId: id, summary: `deleted number ${n.number}` });
    })();
    this.d.publish(`number ${n.number} deleted`);
  }

  /** Import numbers from CSV (numbers.csv.ts has the columns): all rows or none, every problem by line. */
  importCsv(text: string, actor: Actor): number {
    const rows = readCsv(text, { required: CSV_REQUIRED, optional: CSV_COLUMNS.filter((c) => !CSV_REQUIRED.includes(c)) });
    const problems: { line: number; message: string }[] = [];
    const seen = new Map<string, number>();
    const valid: NumberInput[] = [];
    for (const { line, values } of rows) {
      const { input, problems: cells } = rowToInput(values, this.d.lookups);
      const { data, fields } = this.validate(input);
      const byColumn = new Map(cells);
      // A cell that named nothing already says why; the field it would have filled adds nothing.
      for (const [field, message] of Object.entries(fields)) if (!cells.has(FIELD_COLUMNS[field] ?? field)) byColumn.set(FIELD_COLUMNS[field] ?? field, message);
      const number = (values.number ?? '').trim();
      if (!byColumn.has('number')) {
        const first = seen.get(number);
        if (first) byColumn.set('number', `${number} is also on line ${first}`);
        else if (this.repo.findByNumber(number)) byColumn.set('number', `${number} is already configured`);
        else seen.set(number, line);
      }
      for (const [column, message] of byColumn) problems.push({ line, message: `${column}: ${message}` });
      if (data && !byColumn.size) valid.push(data);
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
    return writeCsv(CSV_COLUMNS, this.repo.all().map((n) => numberToRow(n, this.d.lookups)));
  }

  numberOf(id: number): string | null {
    return this.repo.findById(id)?.number ?? null;
  }

  /** Whether outbound routes may show the number as caller ID. */
  isCallerId(id: number): boolean {
    return this.repo.findById(id)?.isCallerId ?? false;
  }

  /** The numbers an admin may choose as caller ID. */
  callerIds(): NumberRoute[] {
    return this.repo.all().filter((n) => n.isCallerId);
  }

  /** What uses a trunk or an extension, in words, so deleting it can be refused with the reason. */
  usingTrunk(trunkId: number): string[] {
    return this.repo.onTrunk(trunkId).map((n) => `number ${n.number}`);
  }

  /** Numbers that send calls to this extension (any kind), or only to its voicemail box, in words. */
  usingExtension(extensionId: number, only?: 'voicemail'): string[] {
    return this.repo.toExtension(extensionId).flatMap((n) => [
      ...(n.destinationExtensionId === extensionId && (!only || n.destinationKind === only) ? [`number ${n.number}`] : []),
      ...(n.afterHoursExtensionId === extensionId && (!only || n.afterHoursKind === only) ? [`number ${n.number} (after hours)`] : []),
    ]);
  }

  /** Numbers that send calls to this flow, in words. */
  usingFlow(flowId: number): string[] {
    return this.repo.toFlow(flowId).flatMap((n) => [
      ...(n.destinationFlowId === flowId ? [`number ${n.number}`] : []),
      ...(n.afterHoursFlowId === flowId ? [`number ${n.number} (after hours)`] : []),
    ]);
  }

  /** Numbers whose calls this recording policy records, in words. */
  usingRecordingPolicy(policyId: number): string[] {
    return this.repo.recordedBy(policyId).map((n) => `number ${n.number}`);
  }

  /** The recording policy a number names, for the recorder. */
  recordingPolicyOf(id: number): number | null {
    return this.repo.findById(id)?.recordingPolicyId ?? null;
  }

  /** For the configuration generator: numbers with their extensions' dial numbers and their zone's rule, by id. */
  forConfig() {
    const ext = (id: number | null) => (id ? this.d.lookups.extensionNumber(id) : null);
    return this.repo.all().map((n) => ({
      id: n.id,
      number: n.number,
      trunkId: n.trunkId,
      isInbound: n.isInbound,
      destinationKind: n.destinationKind,
      extension: ext(n.destinationExtensionId),
      flowId: n.destinationFlowId,
      afterHoursKind: n.afterHoursKind,
      afterHoursExtension: ext(n.afterHoursExtensionId),
      afterHoursFlowId: n.afterHoursFlowId,
      schedule: n.schedule && { ...n.schedule, zoneRule: switchZoneRule(n.schedule.timezone) },
    }));
  }

  private refuseIfUsed(number: string, id: number, what: string): void {
    const users = this.d.usedBy(id);
    if (users.length) throw new ConflictError('number.in_use', { users }, { message: `Number ${number} cannot ${what}: ${users.join(', ')} ${users.length === 1 ? 'shows' : 'show'} it as caller ID.` });
  }

  private check(input: unknown): NumberInput {
    const { data, fields } = this.validate(input);
    if (!data) throw new ValidationError('number.invalid', fields, 'Some fields need attention.');
    return data;
  }

  /** Every problem with the input at once, by field; data only when there is none. */
  private validate(input: unknown): { data: NumberInput | null; fields: Record<string, string> } {
    const body = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
    const parsed = NumberInputSchema.safeParse(body);
    const { schedule, fields } = readSchedule(body);
    if (!parsed.success) return { data: null, fields: { ...fieldErrors(parsed.error), ...fields } };
    if (!this.d.lookups.trunkExists(parsed.data.trunkId)) fields.trunkId = 'Choose an existing trunk.';
    if (parsed.data.recordingPolicyId !== null && !this.d.lookups.recordingPolicyExists(parsed.data.recordingPolicyId)) fields.recordingPolicyId = 'Choose an existing recording policy.';
    for (const slot of Object.values(DESTINATION_SLOTS)) {
      const extensionId = parsed.data[slot.extensionId];
      if (extensionId && !this.d.lookups.extensionNumber(extensionId)) fields[slot.extensionId] = 'Choose an existing extension.';
      else if (extensionId && parsed.data[slot.kind] === 'voicemail' && !this.d.lookups.hasVoicemail(extensionId)) fields[slot.extensionId] = 'This extension has no voicemail box: turn it on in the extension first.';
      const flowId = parsed.data[slot.flowId];
      const published = flowId ? this.d.lookups.flowPublished(flowId) : true;
      if (published === null) fields[slot.flowId] = 'Choose an existing flow.';
      else if (!published) fields[slot.flowId] = 'This flow has no published version yet: publish it first.';
    }
    if (Object.keys(fields).length) return { data: null, fields };
    return { data: { ...parsed.data, schedule }, fields };
  }
}
