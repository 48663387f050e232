import { isoNow, type Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { fieldErrors, formBoolean, parseInput } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import { checkFrame, type FrameCheck } from './frame-check.js';
import { normalizeOrigin, originOf } from './origins.js';
import { buildPops, type BuiltPop } from './pop.js';
import { createScreenPopRepository, type PopValues, type ScreenPopRepository } from './screenpop.repository.js';
import { CALL_FIELDS, LimitsInputSchema, PARAM_NAME, PopInputSchema, VAR_NAME, type PopCall, type PopLimits, type PopParam, type ScreenPop } from './screenpop.types.js';

/** A parameter row of the form as typed, for showing it again with its error. */
export interface ParamRowInput {
  name: string;
  source: string;
  key: string;
}

/** A repeated form field arrives as a string for one row and a list for several. */
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** The parameter rows of a posted form: paramName/paramSource/paramKey repeated, one per row; blank rows dropped. */
export function paramRows(input: Record<string, unknown>): ParamRowInput[] {
  const names = asList(input.paramName);
  const sources = asList(input.paramSource);
  const keys = asList(input.paramKey);
  const rows: ParamRowInput[] = [];
  for (let i = 0; i < Math.max(names.length, keys.length); i++) {
    const row = { name: String(names[i] ?? '').trim(), source: String(sources[i] ?? 'call'), key: String(keys[i] ?? '').trim() };
    if (row.name || row.key) rows.push(row);
  }
  return rows;
}

/**
 * Screen pops: CRM pages the agent workbench opens for each call, in list order, the way Huawei CEC does
 * (GET or POST parameters, or the AICCSupport.js SDK). A pop's page must come from an allowed origin, and the
 * admin's limits bound how many pops are enabled and how many parameters each sends.
 */
export class ScreenPopService {
  private readonly repo: ScreenPopRepository;

  constructor(private readonly d: { db: Db; clock: Clock; audit: AuditService; checkFrame?: typeof checkFrame }) {
    this.repo = createScreenPopRepository(d.db);
  }

  list(): ScreenPop[] {
    return this.repo.all();
  }

  get(id: number): ScreenPop {
    const p = this.repo.findById(id);
    if (!p) throw new NotFoundError('screen_pop.not_found', { id }, { message: 'No such screen pop.' });
    return p;
  }

  origins(): string[] {
    return this.repo.origins();
  }

  limits(): PopLimits {
    return this.repo.limits();
  }

  create(input: unknown, actor: Actor): ScreenPop {
    const v = this.parse(input, null);
    const id = this.d.db.transaction(() => {
      const id = this.repo.insert(v, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'screen_pop.created', entityType: 'screen_pop', entityId: id, summary: `added screen pop ${v.name}`, details: { url: v.url, integration: v.integration } });
      return id;
    })();
    return this.get(id);
  }

  update(id: number, input: unknown, actor: Actor): ScreenPop {
    const before = this.get(id);
    const v = this.parse(input, before);
    this.d.db.transaction(() => {
      this.repo.update(id, v, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'screen_pop.updated', entityType: 'screen_pop', entityId: id, summary: `updated screen pop ${v.name}`, details: { before: { url: before.url, integration: before.integration, params: before.params.length }, after: { url: v.url, integration: v.integration, params: v.params.length } } });
    })();
    return this.get(id);
  }

  setEnabled(id: number, isEnabled: boolean, actor: Actor): void {
    const p = this.get(id);
    if (p.isEnabled === isEnabled) return;
    const { maxEnabledPops } = this.repo.limits();
    if (isEnabled && this.repo.enabledCount() >= maxEnabledPops) {
      throw new ConflictError('screen_pop.too_many', { max: maxEnabledPops }, { message: `At most ${maxEnabledPops} pops can be enabled: disable another first, or raise the limit.` });
    }
    this.d.db.transaction(() => {
      this.repo.setEnabled(id, isEnabled, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: isEnabled ? 'screen_pop.enabled' : 'screen_pop.disabled', entityType: 'screen_pop', entityId: id, summary: `${isEnabled ? 'enabled' : 'disabled'} screen pop ${p.name}` });
    })();
  }

  /** Swap with the neighbour above or below; at the top or bottom nothing moves. */
  move(id: number, direction: 'up' | 'down', actor: Actor): void {
    const all = this.repo.all();
    const at = all.findIndex((p) => p.id === id);
    if (at < 0) throw new NotFoundError('screen_pop.not_found', { id }, { message: 'No such screen pop.' });
    const other = all[direction === 'up' ? at - 1 : at + 1];
    if (!other) return;
    const self = all[at]!;
    this.d.db.transaction(() => {
      // Renumber from the list so that equal sort orders (never written by us, but possible) cannot stick.
      all.forEach((p, i) => this.repo.setOrder(p.id, i + 1));
      this.repo.setOrder(self.id, direction === 'up' ? at : at + 2);
      this.repo.setOrder(other.id, at + 1);
      this.d.audit.record(actor, { action: 'screen_pop.moved', entityType: 'screen_pop', entityId: id, summary: `moved screen pop ${self.name} ${direction}` });
    })();
  }

  delete(id: number, actor: Actor): void {
    const p = this.get(id);
    this.d.db.transaction(() => {
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'screen_pop.deleted', entityType: 'screen_pop', entityId: id, summary: `deleted screen pop ${p.name}` });
    })();
  }

  /** Replace the allowed origins with those of a text, one per line. An origin a pop still uses stays. */
  setOrigins(input: unknown, actor: Actor): string[] {
    const text = String((input as { origins?: unknown } | null)?.origins ?? '');
    const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    const bad = lines.filter((l) => normalizeOrigin(l) === null);
    if (lines.length > 100) throw new ValidationError('screen_pop.origins_invalid', { origins: 'At most 100 origins.' }, 'Some fields need attention.');
    if (bad.length) {
      throw new ValidationError('screen_pop.origins_invalid', { origins: `Not an origin: ${bad.slice(0, 3).join(', ')}. Give each as scheme://host[:port], without a path (e.g. https://crm.example.com:8443).` }, 'Some fields need attention.');
    }
    const list = [...new Set(lines.map((l) => normalizeOrigin(l)!))].sort();
    const stillUsed = this.repo.all().filter((p) => !list.includes(originOf(p.url) ?? ''));
    if (stillUsed.length) {
      throw new ValidationError('screen_pop.origin_in_use', { origins: `Still used by ${stillUsed.map((p) => `${p.name} (${originOf(p.url)})`).join(', ')}: change or delete those pops first.` }, 'Some fields need attention.');
    }
    const before = this.repo.origins();
    this.d.db.transaction(() => {
      this.repo.replaceOrigins(list, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'screen_pop.origins_changed', entityType: 'screen_pop', summary: `changed the screen pops' allowed origins (${list.length})`, details: { before, after: list } });
    })();
    return list;
  }

  /** The limits may not go below what is configured now. */
  setLimits(input: unknown, actor: Actor): PopLimits {
    const l = parseInput(LimitsInputSchema, input, 'screen_pop.limits_invalid');
    const pops = this.repo.all();
    const errors: Record<string, string> = {};
    const enabled = pops.filter((p) => p.isEnabled).length;
    if (enabled > l.maxEnabledPops) errors.maxEnabledPops = `${enabled} pops are enabled now: disable some first.`;
    const longest = pops.reduce<ScreenPop | null>((m, p) => (p.params.length > (m?.params.length ?? 0) ? p : m), null);
    if (longest && longest.params.length > l.maxParams) errors.maxParams = `${longest.name} sends ${longest.params.length} parameters: remove some first.`;
    if (Object.keys(errors).length) throw new ValidationError('screen_pop.limits_invalid', errors, 'Some fields need attention.');
    this.d.db.transaction(() => {
      this.repo.setLimits(l, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'screen_pop.limits_changed', entityType: 'screen_pop', summary: `set screen pop limits to ${l.maxEnabledPops} pops, ${l.maxParams} parameters` });
    })();
    return l;
  }

  /** The enabled pops as the workbench mounts them, before any call (webapi frames load once). */
  forWorkbench(origin: string): BuiltPop[] {
    return buildPops(this.repo.all(), null, { origin });
  }

  /** The enabled pops for one call. */
  forCall(call: PopCall, origin: string): BuiltPop[] {
    return buildPops(this.repo.all(), call, { origin });
  }

  /** "Test pop": the pop built for a sample call, and what the page's headers say about framing. */
  async test(id: number, origin: string, workNo = '1001'): Promise<{ pop: ScreenPop; built: BuiltPop; check: FrameCheck }> {
    const pop = this.get(id);
    const call = sampleCall(pop, workNo);
    const built = buildPops([{ ...pop, isEnabled: true }], call, { origin })[0]!;
    const check = await (this.d.checkFrame ?? checkFrame)(pop.integration === 'post' ? { url: built.url, fields: built.fields } : { url: built.url }, origin);
    return { pop, built, check };
  }

  private parse(input: unknown, self: ScreenPop | null): PopValues {
    const body = (input ?? {}) as Record<string, unknown>;
    const parsed = PopInputSchema.safeParse(body);
    const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
    const isEnabled = formBoolean(body.isEnabled);
    const limits = this.repo.limits();

    if (parsed.success) {
      const { url, name, openMode, integration } = parsed.data;
      const origin = originOf(url);
      if (!origin) errors.url = 'Enter the page\'s full address, starting with https:// or http://.';
      else if (new URL(url).username || new URL(url).password) errors.url = 'Do not put a user name or password in the address: pop addresses are visible to every agent.';
      else if (!this.repo.origins().includes(origin)) errors.url = `${origin} is not an allowed origin: add it under Allowed origins first.`;
      const other = this.repo.findByName(name);
      if (other && other.id !== self?.id) errors.name = `There is already a pop named ${other.name}.`;
      if (integration === 'webapi' && openMode !== 'embed') errors.openMode = 'Web API pages work only embedded: the SDK talks to the workbench that frames them.';
    }
    const wasEnabled = self?.isEnabled ?? false;
    if (isEnabled && !wasEnabled && this.repo.enabledCount() >= limits.maxEnabledPops) {
      errors.isEnabled = `At most ${limits.maxEnabledPops} pops can be enabled: disable another first, or raise the limit.`;
    }
    const params = this.parseParams(paramRows(body), limits.maxParams, errors);
    if (Object.keys(errors).length || !parsed.success) throw new ValidationError('screen_pop.invalid', errors, 'Some fields need attention.');
    return { ...parsed.data, isEnabled, params };
  }

  /** Each row's problem goes under `param<N>` (1-based), and a summary under `params`. */
  private parseParams(rows: ParamRowInput[], max: number, errors: Record<string, string>): PopParam[] {
    const seen = new Set<string>();
    const params: PopParam[] = [];
    rows.forEach((r, i) => {
      const at = `param${i + 1}`;
      let problem: string | null = null;
      if (!PARAM_NAME.test(r.name)) problem = 'A name is a letter or _, then letters, digits or _ (at most 40), e.g. customerId.';
      else if (r.name === 'origin') problem = 'origin is the workbench\'s own parameter (for click-to-dial); choose another name.';
      else if (seen.has(r.name)) problem = `${r.name} is sent twice.`;
      else if (r.source !== 'call' && r.source !== 'var') problem = 'Choose call data or a flow variable.';
      else if (r.source === 'call' && !(CALL_FIELDS as readonly string[]).includes(r.key)) problem = `Call data is one of ${CALL_FIELDS.join(', ')}.`;
      else if (r.source === 'var' && !VAR_NAME.test(r.key)) problem = 'Enter the name of a variable the flow collects (letters, digits, _ . -).';
      seen.add(r.name);
      if (problem) errors[at] = problem;
      else params.push({ name: r.name, source: r.source as 'call' | 'var', key: r.key });
    });
    if (rows.length > max) errors.params = `A pop sends at most ${max} parameters; this one has ${rows.length}.`;
    else if (rows.some((_, i) => errors[`param${i + 1}`])) errors.params = 'Some parameters need attention.';
    return params;
  }
}

/** Values like Huawei's samples, so the admin sees what a real call sends. */
export function sampleCall(pop: ScreenPop, workNo: string): PopCall {
  const vars = Object.fromEntries(pop.params.filter((p) => p.source === 'var').map((p) => [p.key, `sample-${p.key}`]));
  return { callerNum: '88880085', calledNum: '2222813', callid: '1653963570-252', callType: 0, workNo, callskill: 'Sales', callskillid: '1', agentName: 'agent', vars };
}
