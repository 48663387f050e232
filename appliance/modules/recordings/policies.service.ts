import { isoNow, type Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { parseInput } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import { createPolicyRepository, type PolicyRepository } from './recordings.repository.js';
import { PolicyInputSchema, SettingsInputSchema, type PolicyInput, type RecordingPolicy } from './recordings.types.js';

/** A policy in words, for lists and pickers: "Always, from the agent's answer, stereo, kept 90 days". */
export function describePolicy(p: RecordingPolicy): string {
  const which = p.mode === 'always' ? 'Always' : p.mode === 'never' ? 'Never' : `${p.percent}% of calls`;
  if (p.mode === 'never') return which;
  const from = p.start === 'call' ? 'whole call' : "from the agent's answer";
  return `${which}, ${from}, ${p.stereo ? 'stereo' : 'mono'}, ${p.retentionDays ? `kept ${p.retentionDays} days` : 'kept until deleted'}`;
}

/**
 * Recording policies and the recordings' settings (the disk guard's threshold). A policy in use by a number,
 * queue or agent cannot be deleted; changes apply to calls that start recording afterwards.
 */
export class PolicyService {
  private readonly repo: PolicyRepository;

  constructor(private readonly d: { db: Db; clock: Clock; audit: AuditService; usedBy: (policyId: number) => string[] }) {
    this.repo = createPolicyRepository(d.db);
  }

  list(): (RecordingPolicy & { summary: string; usedBy: string[] })[] {
    return this.repo.all().map((p) => ({ ...p, summary: describePolicy(p), usedBy: this.d.usedBy(p.id) }));
  }

  find(id: number): RecordingPolicy | null {
    return this.repo.findById(id);
  }

  get(id: number): RecordingPolicy {
    const p = this.repo.findById(id);
    if (!p) throw new NotFoundError('recording_policy.not_found', { id }, { message: 'No such recording policy.' });
    return p;
  }

  exists(id: number): boolean {
    return this.repo.findById(id) !== null;
  }

  nameOf(id: number): string | null {
    return this.repo.findById(id)?.name ?? null;
  }

  idByName(name: string): number | null {
    return this.repo.findByName(name)?.id ?? null;
  }

  /** For the number, queue and agent forms. */
  options(): { id: number; name: string; summary: string }[] {
    return this.repo.all().map((p) => ({ id: p.id, name: p.name, summary: describePolicy(p) }));
  }

  create(input: unknown, actor: Actor): RecordingPolicy {
    const data = parseInput(PolicyInputSchema, input, 'recording_policy.invalid');
    const id = this.d.db.transaction(() => {
      this.refuseTakenName(data.name);
      const id = this.repo.insert(data, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'recording_policy.created', entityType: 'recording_policy', entityId: id, summary: `added recording policy ${data.name}`, details: { policy: this.summaryOf(data) } });
      return id;
    })();
    return this.get(id);
  }

  update(id: number, input: unknown, actor: Actor): RecordingPolicy {
    const data = parseInput(PolicyInputSchema, input, 'recording_policy.invalid');
    this.d.db.transaction(() => {
      const before = this.get(id);
      this.refuseTakenName(data.name, id);
      this.repo.update(id, data, isoNow(this.d.clock));
      this.d.audit.record(actor, {
        action: 'recording_policy.updated',
        entityType: 'recording_policy',
        entityId: id,
        summary: `updated recording policy ${data.name}${before.name !== data.name ? ` (was ${before.name})` : ''}`,
        details: { before: describePolicy(before), after: this.summaryOf(data) },
      });
    })();
    return this.get(id);
  }

  delete(id: number, actor: Actor): void {
    const p = this.get(id);
    const users = this.d.usedBy(id);
    if (users.length) throw new ConflictError('recording_policy.in_use', { users }, { message: `Recording policy ${p.name} cannot be deleted: ${users.join(', ')} ${users.length === 1 ? 'uses' : 'use'} it. Choose another policy there first.` });
    this.d.db.transaction(() => {
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'recording_policy.deleted', entityType: 'recording_policy', entityId: id, summary: `deleted recording policy ${p.name}` });
    })();
  }

  /** Below this much free space (MB) in the recordings folder, no new recording starts; 0 turns the guard off. */
  minFreeMb(): number {
    return this.repo.minFreeMb();
  }

  saveSettings(input: unknown, actor: Actor): void {
    const { minFreeMb } = parseInput(SettingsInputSchema, input, 'recording_settings.invalid');
    this.d.db.transaction(() => {
      const before = this.repo.minFreeMb();
      this.repo.setMinFreeMb(minFreeMb, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'recording_settings.updated', entityType: 'recording_settings', entityId: 1, summary: `set the recordings' minimum free space to ${minFreeMb} MB (was ${before} MB)` });
    })();
  }

  private summaryOf(p: PolicyInput): string {
    return describePolicy({ ...p, id: 0, createdAt: '', updatedAt: '' });
  }

  private refuseTakenName(name: string, self?: number): void {
    const other = this.repo.findByName(name);
    if (other && other.id !== self) throw new ValidationError('recording_policy.name_taken', { name: `A policy named ${other.name} already exists.` }, 'Some fields need attention.');
  }
}
