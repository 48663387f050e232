import { randomBytes } from 'node:crypto';
import { isoNow, type Clock } from '../../clock.js';
import { ImportRejected, readCsv, writeCsv, yesNo } from '../../csv.js';
import type { Db } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { paginate } from '../../paging.js';
import { parseInput } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import { createExtensionRepository, type ExtensionRepository } from './extensions.repository.js';
import { ExtensionFilterSchema, ExtensionInputSchema, type Extension } from './extensions.types.js';
import type { RegistrationTracker } from './registrations.js';

/** 20 characters from 56 unambiguous letters and digits: about 116 bits, typed once into a phone. */
export function generateSipPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(40);
  let out = '';
  // Rejection sampling keeps every character equally likely.
  for (const b of bytes) if (b < 224 && out.length < 20) out += alphabet[b % alphabet.length];
  return out.length === 20 ? out : generateSipPassword();
}

/** Extensions: numbers phones register as. Every change is audited and republishes FreeSWITCH's directory. */
export class ExtensionService {
  private readonly repo: ExtensionRepository;

  constructor(private readonly d: { db: Db; clock: Clock; audit: AuditService; registrations: RegistrationTracker; publish: (reason: string) => void; usedBy: (id: number) => string[]; voicemailUsedBy: (id: number) => string[] }) {
    this.repo = createExtensionRepository(d.db);
  }

  list(query: unknown, pageSize = 25) {
    const filter = ExtensionFilterSchema.parse(query ?? {});
    const page = paginate<Extension>(filter.page, pageSize, (limit, offset) => this.repo.list(filter.q, limit, offset));
    return { filter, ...page, items: page.items.map((e) => ({ ...e, devices: this.d.registrations.devicesOf(e.number) })) };
  }

  get(id: number) {
    const e = this.repo.findById(id);
    if (!e) throw new NotFoundError('extension.not_found', { id }, { message: 'No such extension.' });
    return { ...e, devices: this.d.registrations.devicesOf(e.number) };
  }

  /** Create one; the SIP password is returned this once and never shown again. */
  create(input: unknown, actor: Actor): { extension: Extension; sipPassword: string } {
    const data = parseInput(ExtensionInputSchema, input, 'extension.invalid');
    if (data.voicemailEnabled && !data.voicemailPin) throw pinNeeded();
    const sipPassword = generateSipPassword();
    const id = this.d.db.transaction(() => {
      if (this.repo.findByNumber(data.number)) throw taken(data.number);
      const id = this.repo.insert({ ...data, sipPassword }, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'extension.created', entityType: 'extension', entityId: id, summary: `created extension ${data.number} (${data.displayName})` });
      return id;
    })();
    this.d.publish(`extension ${data.number} created`);
    return { extension: this.repo.findById(id)!, sipPassword };
  }

  update(id: number, input: unknown, actor: Actor): Extension {
    const data = parseInput(ExtensionInputSchema, input, 'extension.invalid');
    this.d.db.transaction(() => {
      const before = this.get(id);
      const clash = this.repo.findByNumber(data.number);
      if (clash && clash.id !== id) throw taken(data.number);
      if (before.isEnabled && !data.isEnabled) this.refuseIfUsed(before.number, id, 'disabled');
      if (data.voicemailEnabled && !data.voicemailPin && !before.hasVoicemailPin) throw pinNeeded();
      if (before.voicemailEnabled && !data.voicemailEnabled) {
        const users = this.d.voicemailUsedBy(id);
        if (users.length) throw new ConflictError('extension.voicemail_in_use', { users }, { message: `The voicemail box of extension ${before.number} cannot be turned off: ${users.join(', ')} ${users.length === 1 ? 'sends' : 'send'} calls to it.` });
      }
      this.repo.update(id, data, isoNow(this.d.clock));
      // The PIN never goes into the audit log: only that it changed.
      const after = { ...data, voicemailPin: data.voicemailPin ? 'changed' : 'unchanged' };
      this.d.audit.record(actor, { action: 'extension.updated', entityType: 'extension', entityId: id, summary: `updated extension ${before.number}${before.number !== data.number ? ` (now ${data.number})` : ''}`, details: { before: { ...before, devices: undefined }, after } });
    })();
    this.d.publish(`extension ${data.number} updated`);
    return this.repo.findById(id)!;
  }

  resetPassword(id: number, actor: Actor): { extension: Extension; sipPassword: string } {
    const e = this.get(id);
    const sipPassword = generateSipPassword();
    this.d.db.transaction(() => {
      this.repo.setPassword(id, sipPassword, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'extension.password_reset', entityType: 'extension', entityId: id, summary: `reset the SIP password of extension ${e.number}` });
    })();
    this.d.publish(`extension ${e.number} password reset`);
    return { extension: this.repo.findById(id)!, sipPassword };
  }

  delete(id: number, actor: Actor): void {
    const e = this.get(id);
    this.d.db.transaction(() => {
      this.refuseIfUsed(e.number, id, 'deleted');
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'extension.deleted', entityType: 'extension', entityId: id, summary: `deleted extension ${e.number} (${e.displayName})` });
    })();
    this.d.publish(`extension ${e.number} deleted`);
  }

  /** Import extensions from CSV (number, name, dnd, enabled, class): all rows or none; new passwords returned once. */
  importCsv(text: string, actor: Actor): { extension: Extension; sipPassword: string }[] {
    const rows = readCsv(text, { required: ['number', 'name'], optional: ['dnd', 'enabled', 'class'] });
    const problems: { line: number; message: string }[] = [];
    const seen = new Map<string, number>();
    const valid: { number: string; displayName: string; dnd: boolean; isEnabled: boolean; callClass: 'internal' | 'local' | 'national' | 'international' }[] = [];
    for (const { line, values } of rows) {
      const dnd = yesNo(values.dnd, false);
      const enabled = yesNo(values.enabled, true);
      if (dnd === null) problems.push({ line, message: 'dnd: use yes or no' });
      if (enabled === null) problems.push({ line, message: 'enabled: use yes or no' });
      const parsed = ExtensionInputSchema.safeParse({ number: values.number, displayName: values.name, dnd, isEnabled: enabled, callClass: values.class || undefined });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) problems.push({ line, message: `${issue.path[0] === 'displayName' ? 'name' : issue.path[0] === 'callClass' ? 'class' : String(issue.path[0])}: ${issue.message}` });
        continue;
      }
      const first = seen.get(parsed.data.number);
      if (first) problems.push({ line, message: `number: ${parsed.data.number} is also on line ${first}` });
      else if (this.repo.findByNumber(parsed.data.number)) problems.push({ line, message: `number: extension ${parsed.data.number} already exists` });
      seen.set(parsed.data.number, first ?? line);
      valid.push(parsed.data);
    }
    if (problems.length) throw new ImportRejected(problems);
    const created = this.d.db.transaction(() => {
      const now = isoNow(this.d.clock);
      const out = valid.map((v) => {
        const sipPassword = generateSipPassword();
        return { extension: this.repo.findById(this.repo.insert({ ...v, sipPassword }, now))!, sipPassword };
      });
      this.d.audit.record(actor, { action: 'extension.imported', entityType: 'extension', summary: `imported ${out.length} extension(s) from CSV` });
      return out;
    })();
    this.d.publish(`${created.length} extension(s) imported`);
    return created;
  }

  /** Every extension as CSV, in the import's format; passwords are never exported. */
  exportCsv(): string {
    return writeCsv(['number', 'name', 'dnd', 'enabled', 'class'], this.repo.forConfig().map((e) => [e.number, e.displayName, e.dnd ? 'yes' : 'no', e.isEnabled ? 'yes' : 'no', e.callClass]));
  }

  private refuseIfUsed(number: string, id: number, what: string): void {
    const users = this.d.usedBy(id);
    if (users.length) throw new ConflictError('extension.in_use', { users }, { message: `Extension ${number} cannot be ${what}: ${users.join(', ')} ${users.length === 1 ? 'sends' : 'send'} calls to it.` });
  }

  hasVoicemail(id: number): boolean {
    return this.repo.findById(id)?.voicemailEnabled ?? false;
  }

  numberOf(id: number): string | null {
    return this.repo.findById(id)?.number ?? null;
  }

  idOf(number: string): number | null {
    return this.repo.findByNumber(number)?.id ?? null;
  }

  /** For choosing a destination: every extension, by number. */
  options(): { id: number; number: string; displayName: string }[] {
    return this.repo.all().map(({ id, number, displayName }) => ({ id, number, displayName })).sort((a, b) => Number(a.number) - Number(b.number));
  }

  /**
   * The SIP account a browser phone registers with, for its agent's own page only (never shown in the console):
   * null with the reason when the extension is missing, disabled or does not allow a browser phone.
   */
  browserPhoneAccount(id: number): { account: { number: string; displayName: string; sipPassword: string } } | { refused: string } {
    const e = this.repo.findById(id);
    if (!e) return { refused: 'Your phone extension no longer exists.' };
    if (!e.isEnabled) return { refused: `Extension ${e.number} is disabled.` };
    if (!e.browserPhone) return { refused: `Extension ${e.number} does not allow a browser phone: an administrator can allow it on the extension's page.` };
    return { account: { number: e.number, displayName: e.displayName, sipPassword: this.repo.passwordOf(id)! } };
  }

  /** For the configuration generator: enabled and disabled extensions with their passwords, by id. */
  forConfig() {
    return this.repo.forConfig();
  }
}

const pinNeeded = () => new ValidationError('extension.invalid', { voicemailPin: 'Set a PIN: callers reach the box, and its owner needs the PIN to hear the messages by phone.' });
const taken = (n: string) => new ValidationError('extension.number_taken', { number: `Extension ${n} already exists.` });
