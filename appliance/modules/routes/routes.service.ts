import { isoNow, type Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { SwitchPort } from '../../freeswitch/switch.port.js';
import type { Logger } from '../../logger.js';
import { parseInput } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import { createRouteRepository, type RouteRepository } from './routes.repository.js';
import { PolicyInputSchema, RouteInputSchema, patternToRegex, type OutboundPolicy, type OutboundRoute } from './routes.types.js';

export interface RouteLookups {
  trunkExists(id: number): boolean;
  /** The E.164 number of one of our numbers, or null. */
  numberOf(id: number): string | null;
  /** Whether that number may be shown as caller ID (a per-number switch). */
  isCallerId(id: number): boolean;
}

/** Why the switch refused an outbound call (set by the generated dialplan in callbox_blocked_reason). */
export const BLOCK_REASONS: Record<string, string> = {
  class: 'the extension may not call this kind of number',
  international: 'international calls are not allowed',
  premium: 'premium-rate numbers are blocked',
  limit: 'too many calls at once',
  rate: 'too many calls this hour',
};

/**
 * Outbound routes and the toll-fraud guardrails: call classes, international and premium numbers blocked
 * until an admin allows them, concurrent and hourly limits per extension and overall, emergency numbers
 * always through. Refused calls are reported by the switch and kept, and shown in the console.
 */
export class RouteService {
  private readonly repo: RouteRepository;

  constructor(private readonly d: { db: Db; clock: Clock; log: Logger; audit: AuditService; sw: SwitchPort; lookups: RouteLookups; publish: (reason: string) => void }) {
    this.repo = createRouteRepository(d.db);
    d.sw.on('channel.hungup', (h) => {
      const reason = h.vars.blocked_reason;
      if (!reason) return;
      this.repo.logBlocked(new Date(h.at || d.clock.now()).toISOString(), h.vars.extension ?? h.callerNumber, h.vars.dialed ?? '', reason);
      d.log.warn({ extension: h.vars.extension ?? h.callerNumber, dialed: h.vars.dialed, reason }, 'outbound call blocked');
    });
  }

  list(): OutboundRoute[] {
    return this.repo.all();
  }

  get(id: number): OutboundRoute {
    const r = this.repo.find(id);
    if (!r) throw new NotFoundError('route.not_found', { id }, { message: 'No such route.' });
    return r;
  }

  create(input: unknown, actor: Actor): OutboundRoute {
    const r = this.check(input);
    const id = this.d.db.transaction(() => {
      if (this.repo.findByName(r.name)) throw new ValidationError('route.name_taken', { name: `A route named "${r.name}" already exists.` });
      const id = this.repo.insert(r, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'route.created', entityType: 'outbound_route', entityId: id, summary: `created outbound route ${r.name} (${r.pattern})` });
      return id;
    })();
    this.d.publish(`route ${r.name} created`);
    return this.get(id);
  }

  update(id: number, input: unknown, actor: Actor): OutboundRoute {
    const r = this.check(input);
    this.d.db.transaction(() => {
      this.get(id);
      const clash = this.repo.findByName(r.name);
      if (clash && clash.id !== id) throw new ValidationError('route.name_taken', { name: `A route named "${r.name}" already exists.` });
      this.repo.update(id, r, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'route.updated', entityType: 'outbound_route', entityId: id, summary: `updated outbound route ${r.name}` });
    })();
    this.d.publish(`route ${r.name} updated`);
    return this.get(id);
  }

  delete(id: number, actor: Actor): void {
    const r = this.get(id);
    this.d.db.transaction(() => {
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'route.deleted', entityType: 'outbound_route', entityId: id, summary: `deleted outbound route ${r.name}` });
    })();
    this.d.publish(`route ${r.name} deleted`);
  }

  policy(): OutboundPolicy {
    return this.repo.policy();
  }

  setPolicy(input: unknown, actor: Actor): OutboundPolicy {
    const p = parseInput(PolicyInputSchema, input, 'policy.invalid');
    this.d.db.transaction(() => {
      const before = this.repo.policy();
      this.repo.setPolicy(p, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'policy.updated', entityType: 'outbound_policy', entityId: 1, summary: `changed the outbound policy${before.allowInternational !== p.allowInternational ? ` (international calls ${p.allowInternational ? 'allowed' : 'blocked'})` : ''}`, details: { before, after: p } });
    })();
    this.d.publish('outbound policy changed');
    return this.repo.policy();
  }

  recentBlocked(n = 20) {
    return this.repo.recentBlocked(n).map((b) => ({ ...b, why: BLOCK_REASONS[b.reason] ?? b.reason }));
  }

  usingTrunk(trunkId: number): string[] {
    return this.repo.all().filter((r) => r.trunkIds.includes(trunkId)).map((r) => `outbound route ${r.name}`);
  }

  usingNumber(numberId: number): string[] {
    return this.repo.all().filter((r) => r.callerIdNumberId === numberId).map((r) => `outbound route ${r.name}`);
  }

  /** For the configuration generator. */
  forConfig() {
    const policy = this.repo.policy();
    return {
      policy,
      routes: this.repo.all().filter((r) => r.isEnabled).map((r) => ({ ...r, regex: patternToRegex(r.pattern), callerId: this.d.lookups.numberOf(r.callerIdNumberId) ?? '' })),
    };
  }

  private check(input: unknown) {
    const r = parseInput(RouteInputSchema, input, 'route.invalid');
    const fields: Record<string, string> = {};
    if (r.trunkIds.some((id) => !this.d.lookups.trunkExists(id))) fields.trunkIds = 'Choose existing trunks.';
    const callerId = this.d.lookups.numberOf(r.callerIdNumberId);
    if (!callerId) fields.callerIdNumberId = 'Choose one of your numbers.';
    else if (!this.d.lookups.isCallerId(r.callerIdNumberId)) fields.callerIdNumberId = `Number ${callerId} is not offered as caller ID: turn that on in its settings, or choose another.`;
    if (r.strip > r.pattern.replace(/[+.]/g, '').length) fields.strip = 'Strip fewer digits than the pattern has.';
    if (Object.keys(fields).length) throw new ValidationError('route.invalid', fields);
    return r;
  }
}
