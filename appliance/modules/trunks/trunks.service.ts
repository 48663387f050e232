import { randomBytes } from 'node:crypto';
import { isoNow, type Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { SwitchPort } from '../../freeswitch/switch.port.js';
import type { SwitchEvents } from '../../freeswitch/switch.types.js';
import { parseInput } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import { createTrunkRepository, type TrunkRepository } from './trunks.repository.js';
import { TrunkInputSchema, type Trunk } from './trunks.types.js';

export interface TrunkLive {
  state: string;
  pingStatus: string | null;
  lastFailure: string | null;
  /** OPTIONS ping results, newest last: up/down with when. */
  history: { at: string; status: string }[];
}

const HISTORY = 20;

/** Carrier trunks. Every change is audited and republishes the gateways and the carrier ACL. */
export class TrunkService {
  private readonly repo: TrunkRepository;
  private readonly live = new Map<string, TrunkLive>();

  constructor(private readonly d: { db: Db; clock: Clock; audit: AuditService; sw: SwitchPort; publish: (reason: string) => void; usedBy: (trunkId: number) => string[] }) {
    this.repo = createTrunkRepository(d.db);
    d.sw.on('gateway.state', (g) => this.onGateway(g));
  }

  list(): (Trunk & { live: TrunkLive | null })[] {
    return this.repo.all().map((t) => ({ ...t, live: this.live.get(gatewayName(t.id)) ?? null }));
  }

  get(id: number): Trunk & { live: TrunkLive | null } {
    const t = this.repo.findById(id);
    if (!t) throw new NotFoundError('trunk.not_found', { id }, { message: 'No such trunk.' });
    return { ...t, live: this.live.get(gatewayName(id)) ?? null };
  }

  create(input: unknown, actor: Actor): Trunk {
    const data = parseInput(TrunkInputSchema, input, 'trunk.invalid');
    if (data.authMode === 'registration' && !data.password) throw new ValidationError('trunk.invalid', { password: 'A registration trunk needs a password.' });
    const id = this.d.db.transaction(() => {
      if (this.repo.findByName(data.name)) throw new ValidationError('trunk.name_taken', { name: `A trunk named "${data.name}" already exists.` });
      // Every trunk gets one, so a trunk later switched to registration has it already (freeswitch-conf/README.md).
      const id = this.repo.insert({ ...data, password: data.password ?? null }, randomBytes(16).toString('hex'), isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'trunk.created', entityType: 'trunk', entityId: id, summary: `created trunk ${data.name} (${data.authMode}, ${data.host})` });
      return id;
    })();
    this.d.publish(`trunk ${data.name} created`);
    return this.repo.findById(id)!;
  }

  /** A blank password keeps the one stored. */
  update(id: number, input: unknown, actor: Actor): Trunk {
    const data = parseInput(TrunkInputSchema, input, 'trunk.invalid');
    this.d.db.transaction(() => {
      const before = this.get(id);
      const clash = this.repo.findByName(data.name);
      if (clash && clash.id !== id) throw new ValidationError('trunk.name_taken', { name: `A trunk named "${data.name}" already exists.` });
      const password = data.password ?? this.repo.password(id);
      if (data.authMode === 'registration' && !password) throw new ValidationError('trunk.invalid', { password: 'A registration trunk needs a password.' });
      if (before.isEnabled && !data.isEnabled) this.refuseIfUsed(id, 'disabled');
      this.repo.update(id, { ...data, password }, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'trunk.updated', entityType: 'trunk', entityId: id, summary: `updated trunk ${data.name}` });
    })();
    this.d.publish(`trunk ${data.name} updated`);
    return this.repo.findById(id)!;
  }

  delete(id: number, actor: Actor): void {
    const t = this.get(id);
    this.d.db.transaction(() => {
      this.refuseIfUsed(id, 'deleted');
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'trunk.deleted', entityType: 'trunk', entityId: id, summary: `deleted trunk ${t.name}` });
    })();
    this.d.publish(`trunk ${t.name} deleted`);
  }

  forConfig() {
    return this.repo.forConfig();
  }

  exists(id: number): boolean {
    return this.repo.findById(id) !== undefined;
  }

  idByName(name: string): number | null {
    return this.repo.findByName(name)?.id ?? null;
  }

  nameOf(id: number): string | null {
    return this.repo.findById(id)?.name ?? null;
  }

  private refuseIfUsed(id: number, what: string): void {
    const users = this.d.usedBy(id);
    if (users.length) throw new ConflictError('trunk.in_use', { users }, { message: `This trunk cannot be ${what}: ${users.join(', ')} ${users.length === 1 ? 'uses' : 'use'} it.` });
  }

  private onGateway(g: SwitchEvents['gateway.state']): void {
    const entry = this.live.get(g.gateway) ?? { state: '', pingStatus: null, lastFailure: null, history: [] };
    entry.state = g.state;
    if (g.pingStatus && g.pingStatus !== entry.pingStatus) {
      entry.history.push({ at: new Date(g.at || this.d.clock.now()).toISOString(), status: g.pingStatus });
      if (entry.history.length > HISTORY) entry.history.shift();
    }
    entry.pingStatus = g.pingStatus ?? entry.pingStatus;
    if (g.state === 'FAILED' || g.state === 'FAIL_WAIT' || (g.status !== null && g.status >= 400)) entry.lastFailure = [g.status, g.phrase].filter(Boolean).join(' ') || g.state;
    this.live.set(g.gateway, entry);
  }
}

/** FreeSWITCH knows a trunk by our id, never by the name a person typed. */
export const gatewayName = (id: number) => `trunk_${id}`;
