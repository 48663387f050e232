import { isoNow, type Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { paginate } from '../../paging.js';
import { fieldErrors } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import type { Destination, QueueConfig } from './engine/types.js';
import { createQueueRepository, type QueueRepository } from './queues.repository.js';
import { QueueFilterSchema, QueueInputSchema, TARGET_FIELD, type ConfigChange, type DestinationSlot, type Queue, type QueueInput } from './queues.types.js';

/** What queues need of other modules, through their services. */
export interface QueueLookups {
  skillName(id: number): string | null;
  /** Whether the number is ours and marked as a caller ID. */
  isCallerId(number: string): boolean;
  /** A library prompt: its category and whether it can be played; null when there is no such prompt. */
  prompt(id: number): { name: string; category: 'prompt' | 'music'; isReady: boolean } | null;
  /** null: no such flow; false: it exists but nothing is published, so no call could run it. */
  flowPublished(id: number): boolean | null;
  extensionNumber(id: number): string | null;
  hasVoicemail(extensionId: number): boolean;
  /** The agents serving the queue: its deletion changes their configuration. */
  memberIds(queueId: number): number[];
  recordingPolicyExists(id: number): boolean;
}

export interface QueueDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  lookups: QueueLookups;
  /** What sends callers to the queue from outside this module (flows' transfer nodes), in words. */
  usedBy: (queueId: number) => string[];
  /** Callers are waiting in the queue now (the ACD knows). */
  isBusy: (queueId: number) => boolean;
  /** After every change of a queue (and, when a queue is deleted, of each of its former members). */
  onChange?: (c: ConfigChange) => void;
}

/**
 * Queues: where callers wait for agents, how agents are chosen (the strategy), what callers hear meanwhile, and
 * where they go when waiting is over (overflow, full, no agents, the exit key). Every change is audited and
 * announced (onChange), so the ACD takes it without a restart.
 */
export class QueueService {
  private readonly repo: QueueRepository;

  constructor(private readonly d: QueueDeps) {
    this.repo = createQueueRepository(d.db);
  }

  list(query: unknown, pageSize = 25) {
    const filter = QueueFilterSchema.parse(query ?? {});
    return { filter, ...paginate<Queue>(filter.page, pageSize, (limit, offset) => this.repo.list(filter, limit, offset)) };
  }

  get(id: number): Queue {
    const q = this.repo.findById(id);
    if (!q) throw new NotFoundError('queue.not_found', { id }, { message: 'No such queue.' });
    return q;
  }

  find(id: number): Queue | null {
    return this.repo.findById(id);
  }

  nameOf(id: number): string | null {
    return this.repo.findById(id)?.name ?? null;
  }

  /** For pickers (flows' transfer nodes, overflow, agents' queues), by name. */
  options(): { id: number; name: string }[] {
    return this.repo.all().map(({ id, name }) => ({ id, name }));
  }

  /** Every queue as the routing engine takes it. */
  forEngine(): QueueConfig[] {
    return this.repo.all().map(toConfig);
  }

  create(input: unknown, actor: Actor): Queue {
    const data = this.check(input, null);
    const id = this.d.db.transaction(() => {
      this.refuseTakenName(data.name, null);
      const id = this.repo.insert(data, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'queue.created', entityType: 'queue', entityId: id, summary: `added queue ${data.name}`, details: { strategy: data.strategy } });
      return id;
    })();
    this.d.onChange?.({ kind: 'queue', id, removed: false });
    return this.get(id);
  }

  update(id: number, input: unknown, actor: Actor): Queue {
    const before = this.get(id);
    const data = this.check(input, id);
    this.d.db.transaction(() => {
      this.refuseTakenName(data.name, id);
      this.repo.update(id, data, isoNow(this.d.clock));
      const changed = Object.fromEntries(Object.entries(data).filter(([k, v]) => JSON.stringify(before[k as keyof Queue]) !== JSON.stringify(v)));
      this.d.audit.record(actor, { action: 'queue.updated', entityType: 'queue', entityId: id, summary: `updated queue ${data.name}${before.name !== data.name ? ` (was ${before.name})` : ''}`, details: { changed } });
    })();
    this.d.onChange?.({ kind: 'queue', id, removed: false });
    return this.get(id);
  }

  /** Refused while callers wait in it, or anything sends callers to it; its members stop serving it. */
  delete(id: number, actor: Actor): void {
    const q = this.get(id);
    const users = this.usedBy(id);
    if (users.length) throw new ConflictError('queue.in_use', { users }, { message: `Queue ${q.name} cannot be deleted: ${users.join(', ')} ${users.length === 1 ? 'sends' : 'send'} callers to it.` });
    if (this.d.isBusy(id)) throw new ConflictError('queue.busy', { id }, { message: `Queue ${q.name} cannot be deleted while callers are waiting in it.` });
    const members = this.d.lookups.memberIds(id);
    this.d.db.transaction(() => {
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'queue.deleted', entityType: 'queue', entityId: id, summary: `deleted queue ${q.name}`, details: { members: members.length } });
    })();
    this.d.onChange?.({ kind: 'queue', id, removed: true });
    for (const agentId of members) this.d.onChange?.({ kind: 'agent', id: agentId, removed: false });
  }

  /** Everything that sends callers to the queue: other queues' overflow, and flows. */
  usedBy(id: number): string[] {
    return [...this.repo.sendingTo('queue', id).filter((q) => q.id !== id).map((q) => `queue ${q.name}`), ...this.d.usedBy(id)];
  }

  /** Queues that send callers to this extension or its box (overflow, when full, the exit key), in words. */
  usingExtension(extensionId: number, only?: 'voicemail'): string[] {
    const sending = [...this.repo.sendingTo('voicemail', extensionId), ...(only ? [] : this.repo.sendingTo('extension', extensionId)), ...this.repo.exitingTo(extensionId)];
    return [...new Set(sending.map((q) => `queue ${q.name}`))];
  }

  usingFlow(flowId: number): string[] {
    return this.repo.sendingTo('flow', flowId).map((q) => `queue ${q.name}`);
  }

  /** Queues that play a prompt (their music on hold, or their announcement). */
  usingPrompt(promptId: number): string[] {
    return this.repo.playing(promptId).map((q) => `queue ${q.name}`);
  }

  /** Queues whose calls this recording policy records, in words. */
  usingRecordingPolicy(policyId: number): string[] {
    return this.repo.recordedBy(policyId).map((q) => `queue ${q.name}`);
  }

  /** Queues that require a skill of their agents. */
  requiringSkill(skillId: number): string[] {
    return this.repo.requiring(skillId).map((q) => `queue ${q.name}`);
  }

  private refuseTakenName(name: string, self: number | null): void {
    const other = this.repo.findByName(name);
    if (other && other.id !== self) throw new ValidationError('queue.name_taken', { name: `A queue named ${other.name} already exists.` }, 'Some fields need attention.');
  }

  /** Every problem with the input at once, by form field; what it names must exist and suit its use. */
  private check(input: unknown, self: number | null): QueueInput {
    const parsed = QueueInputSchema.safeParse(input && typeof input === 'object' ? input : {});
    if (!parsed.success) throw new ValidationError('queue.invalid', fieldErrors(parsed.error), 'Some fields need attention.');
    const q = parsed.data;
    const fields: Record<string, string> = {};
    if (q.skillId !== null && this.d.lookups.skillName(q.skillId) === null) fields.skillId = 'Choose an existing skill.';
    if (q.recordingPolicyId !== null && !this.d.lookups.recordingPolicyExists(q.recordingPolicyId)) fields.recordingPolicyId = 'Choose an existing recording policy.';
    const music = q.musicPromptId === null ? null : this.d.lookups.prompt(q.musicPromptId);
    if (q.musicPromptId !== null && music?.category !== 'music') fields.musicPromptId = 'Choose music on hold from the prompt library.';
    const announce = q.announcePromptId === null ? null : this.d.lookups.prompt(q.announcePromptId);
    if (q.announcePromptId !== null && (announce?.category !== 'prompt' || !announce.isReady)) fields.announcePromptId = 'Choose a ready prompt from the prompt library.';
    for (const [slot, d] of [['overflow', q.overflow], ['full', q.whenFull]] as [DestinationSlot, Destination][]) {
      if (d.kind === 'hangup') continue;
      const field = `${slot}${TARGET_FIELD[d.kind]}`;
      const problem = this.destinationProblem(d, self);
      if (problem) fields[field] = problem;
    }
    if (q.exitVoicemailExtensionId !== null) {
      if (this.d.lookups.extensionNumber(q.exitVoicemailExtensionId) === null) fields.exitExtensionId = 'Choose an existing extension.';
      else if (!this.d.lookups.hasVoicemail(q.exitVoicemailExtensionId)) fields.exitExtensionId = 'This extension has no voicemail box: turn it on in the extension first.';
    }
    const notOurs = q.callerIds.find((n) => !this.d.lookups.isCallerId(n));
    if (notOurs) fields.callerIds = `${notOurs} is not one of our numbers marked as a caller ID (Numbers).`;
    if (Object.keys(fields).length) throw new ValidationError('queue.invalid', fields, 'Some fields need attention.');
    return q;
  }

  private destinationProblem(d: Destination, self: number | null): string | null {
    if (d.kind === 'queue') {
      if (d.queueId === self) return 'A queue cannot send its callers to itself.';
      return this.repo.findById(d.queueId) ? null : 'Choose an existing queue.';
    }
    if (d.kind === 'flow') {
      const published = this.d.lookups.flowPublished(d.flowId);
      if (published === null) return 'Choose an existing flow.';
      return published ? null : 'This flow has no published version yet: publish it first.';
    }
    if (d.kind === 'extension' || d.kind === 'voicemail') {
      if (this.d.lookups.extensionNumber(d.extensionId) === null) return 'Choose an existing extension.';
      if (d.kind === 'voicemail' && !this.d.lookups.hasVoicemail(d.extensionId)) return 'This extension has no voicemail box: turn it on in the extension first.';
    }
    return null;
  }
}

/** Only what the engine reads. */
function toConfig(q: Queue): QueueConfig {
  const { id, name, strategy, skillId, ringTimeoutS, wrapUpS, requireDisposition, missesBeforeBreak, stickyWindowS, maxWaitS, overflow, maxLength, whenFull, noAgents } = q;
  return { id, name, strategy, skillId, ringTimeoutS, wrapUpS, requireDisposition, missesBeforeBreak, stickyWindowS, maxWaitS, overflow, maxLength, whenFull, noAgents };
}
