import { isoNow, type Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { fieldErrors, parseInput } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import { readFields } from './engine/fields.js';
import { NODE_KINDS, nodeKind } from './engine/nodes/index.js';
import { DEFAULT_SETTINGS, readSettingsForm, settingsSchema } from './engine/settings.js';
import type { FlowDefinition, FlowNode, Lookups } from './engine/types.js';
import { promptRefs, validateFlow, type FlowProblem } from './engine/validate.js';
import { createFlowRepository, type FlowRepository } from './flows.repository.js';
import { FlowInfoSchema, type Flow, type FlowVersion } from './flows.types.js';
import { simulate, type Scenario } from './simulator.js';

/** A flow that cannot be published, with every problem where the editor shows it. */
export class FlowInvalidError extends ValidationError {
  constructor(readonly problems: FlowProblem[]) {
    super('flow.invalid', { _form: `${problems.length} problem${problems.length === 1 ? '' : 's'} must be fixed before publishing.` }, 'The flow cannot be published yet.');
  }
}

export interface FlowSummary extends Flow {
  published: number | null;
  /** The draft differs from the latest published version (or nothing is published yet). */
  isChanged: boolean;
  usedBy: string[];
}

/**
 * IVR flows: a draft the editor changes, immutable published versions calls run, and the simulator. Publishing
 * checks the whole flow; saving a node checks that node's own fields, so a draft can be unfinished but never
 * malformed.
 */
export class FlowService {
  private readonly repo: FlowRepository;
  /** Each call's path through a flow: started, appended to step by step, ended. */
  readonly runs: {
    start: FlowRepository['startRun'];
    progress: FlowRepository['progress'];
    end: FlowRepository['endRun'];
    ofCall: FlowRepository['runsOfCall'];
    recent: FlowRepository['recentRuns'];
    open: FlowRepository['openRuns'];
  };
  /** Latest published definitions, read on every call that enters a flow; dropped on publish. */
  private readonly published = new Map<number, FlowVersion | null>();

  constructor(
    private readonly d: {
      db: Db;
      clock: Clock;
      audit: AuditService;
      publish: (reason: string) => void;
      lookups: Lookups;
      /** Numbers that send calls to the flow. */
      usedBy: (id: number) => string[];
      extensionExists: (id: number) => boolean;
      /** Render what a newly published version says, so its first caller does not wait for the speech. */
      prepare?: (def: FlowDefinition) => void;
    },
  ) {
    this.repo = createFlowRepository(d.db);
    // Made once: the runner writes a step through it on every node of every call.
    this.runs = { start: this.repo.startRun, progress: this.repo.progress, end: this.repo.endRun, ofCall: this.repo.runsOfCall, recent: this.repo.recentRuns, open: this.repo.openRuns };
  }

  get lookups(): Lookups {
    return this.d.lookups;
  }

  list(): FlowSummary[] {
    return this.repo.all().map((f) => this.summarize(f));
  }

  /** For pickers (numbers, transfer nodes): names and whether calls could run them, without the list's lookups. */
  options(): { id: number; name: string; published: number | null }[] {
    return this.repo.all().map((f) => ({ id: f.id, name: f.name, published: this.latestPublished(f.id)?.version ?? null }));
  }

  /** One flow with what the list shows of it (the editor's header). */
  summary(id: number): FlowSummary {
    return this.summarize(this.get(id));
  }

  get(id: number): Flow {
    const f = this.repo.findById(id);
    if (!f) throw new NotFoundError('flow.not_found', { id }, { message: 'No such flow.' });
    return f;
  }

  exists(id: number): boolean {
    return this.repo.findById(id) !== null;
  }

  nameOf(id: number): string | null {
    return this.repo.findById(id)?.name ?? null;
  }

  versions(id: number): FlowVersion[] {
    return this.repo.versions(id);
  }

  version(id: number, v: number): FlowVersion {
    const found = this.repo.version(id, v);
    if (!found) throw new NotFoundError('flow.version_not_found', { id, v }, { message: 'No such version.' });
    return found;
  }

  /** What calls run: the latest published version, or null when the flow has none. */
  latestPublished(id: number): FlowVersion | null {
    if (!this.published.has(id)) this.published.set(id, this.repo.latest(id));
    return this.published.get(id)!;
  }

  /** Everything that points at the flow: numbers, and other flows' transfer nodes (draft or published). */
  usedBy(id: number): string[] {
    const flows = this.repo.all().filter((f) => f.id !== id && [f.draft, this.latestPublished(f.id)?.definition].some((def) => def?.nodes.some((n) => n.kind === 'transfer' && n.config.target === 'flow' && Number(n.config.flowId) === id)));
    return [...this.d.usedBy(id), ...flows.map((f) => `flow ${f.name}`)];
  }

  idByName(name: string): number | null {
    return this.repo.findByName(name)?.id ?? null;
  }

  /**
   * Flows that send calls to an extension (its fallback, transfer and voicemail nodes, in the draft or the
   * published version), or only to its voicemail box: that extension (or box) cannot go away under them.
   */
  usingExtension(extensionId: number, only?: 'voicemail'): string[] {
    const names: string[] = [];
    for (const f of this.repo.all()) {
      const fallback = f.fallbackExtensionId === extensionId && (!only || f.fallbackKind === only);
      const nodes = [f.draft, this.latestPublished(f.id)?.definition].some((def) =>
        def?.nodes.some((n) => Number(n.config.extensionId) === extensionId && (n.kind === 'voicemail' || (!only && n.kind === 'transfer' && n.config.target === 'extension'))),
      );
      if (fallback || nodes) names.push(`flow ${f.name}`);
    }
    return names;
  }

  /** Flows whose draft or published version transfers to a queue. */
  usingQueue(queueId: number): string[] {
    const sends = (def: FlowDefinition | undefined) => Boolean(def?.nodes.some((n) => n.kind === 'transfer' && n.config.target === 'queue' && Number(n.config.queueId) === queueId));
    return this.repo.all().filter((f) => sends(f.draft) || sends(this.latestPublished(f.id)?.definition)).map((f) => `flow ${f.name}`);
  }

  /** Flows whose draft or published version plays a library prompt (in a node or an escalation). */
  usingPrompt(promptId: number): string[] {
    const plays = (def: FlowDefinition | undefined) => Boolean(def) && promptRefs(def!).some((p) => 'promptId' in p && p.promptId === promptId);
    return this.repo.all().filter((f) => plays(f.draft) || plays(this.latestPublished(f.id)?.definition)).map((f) => `flow ${f.name}`);
  }

  create(input: unknown, actor: Actor): Flow {
    const info = this.info(input);
    const id = this.d.db.transaction(() => {
      if (this.repo.findByName(info.name)) throw new ValidationError('flow.taken', { name: 'A flow has this name already.' });
      const id = this.repo.insert(info, starter(), isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'flow.created', entityType: 'flow', entityId: id, summary: `added flow ${info.name}` });
      return id;
    })();
    this.d.publish(`flow ${info.name} created`);
    return this.get(id);
  }

  updateInfo(id: number, input: unknown, actor: Actor): Flow {
    const before = this.get(id);
    const info = this.info(input);
    this.d.db.transaction(() => {
      const other = this.repo.findByName(info.name);
      if (other && other.id !== id) throw new ValidationError('flow.taken', { name: 'A flow has this name already.' });
      this.repo.updateInfo(id, info, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'flow.updated', entityType: 'flow', entityId: id, summary: `changed flow ${info.name}`, details: { fallback: `${info.fallbackKind} ${info.fallbackExtensionId ?? ''}`.trim() } });
    })();
    // The fallback lives in the dialplan: it must work while the controller is down.
    if (before.fallbackKind !== info.fallbackKind || before.fallbackExtensionId !== info.fallbackExtensionId) this.d.publish(`flow ${info.name} fallback changed`);
    return this.get(id);
  }

  updateSettings(id: number, form: Record<string, unknown>, actor: Actor): Flow {
    const flow = this.get(id);
    const parsed = parseInput(settingsSchema, readSettingsForm(form));
    const start = typeof form.start === 'string' ? form.start : flow.draft.start;
    if (!flow.draft.nodes.some((n) => n.id === start)) throw new ValidationError('flow.invalid_start', { start: 'Choose one of the flow\'s nodes.' });
    const esc = [parsed.noInput.then, parsed.noMatch.then].find((t) => t.action === 'node' && !flow.draft.nodes.some((n) => n.id === t.node));
    if (esc) throw new ValidationError('flow.invalid_escalation', { noInputThen: 'Choose one of the flow\'s nodes.' });
    return this.saveDraft(flow, { ...flow.draft, start, settings: parsed }, actor, 'changed the settings');
  }

  addNode(id: number, input: { kind?: unknown; from?: unknown }, actor: Actor): { flow: Flow; node: string } {
    const flow = this.get(id);
    const kind = typeof input.kind === 'string' ? nodeKind(input.kind) : null;
    if (!kind) throw new ValidationError('flow.unknown_kind', { kind: `Choose one of: ${NODE_KINDS.map((k) => k.label).join(', ')}.` });
    const nodeId = nextNodeId(flow.draft);
    const node: FlowNode = { id: nodeId, kind: kind.kind, name: `${kind.label} ${nodeId.slice(1)}`, config: { ...kind.initial }, next: {} };
    const draft = { ...flow.draft, nodes: [...flow.draft.nodes, node] };
    // "from" names an open branch (node:branch) to connect the new node to, so it is reachable at once.
    if (typeof input.from === 'string' && input.from) {
      const [fromId, branch] = input.from.split(':');
      const from = draft.nodes.find((n) => n.id === fromId);
      if (!from || !branch) throw new ValidationError('flow.unknown_branch', { from: 'Choose an open branch.' });
      draft.nodes = draft.nodes.map((n) => (n === from ? { ...n, next: { ...n.next, [branch]: nodeId } } : n));
    }
    if (draft.nodes.length > 200) throw new ValidationError('flow.too_big', { kind: 'A flow has at most 200 nodes.' });
    return { flow: this.saveDraft(flow, draft, actor, `added ${kind.label} ${nodeId}`), node: nodeId };
  }

  /** Save one node from its form: its name, its kind's fields (checked by the kind) and where its branches lead. */
  updateNode(id: number, nodeId: string, form: Record<string, unknown>, actor: Actor): Flow {
    const flow = this.get(id);
    const node = flow.draft.nodes.find((n) => n.id === nodeId);
    if (!node) throw new NotFoundError('flow.node_not_found', { nodeId }, { message: 'No such node in this flow.' });
    const kind = nodeKind(node.kind)!;
    const name = typeof form.name === 'string' ? form.name.trim() : '';
    const fields: Record<string, string> = {};
    if (!name || name.length > 60) fields.name = 'A name of 1 to 60 characters.';
    const parsed = kind.schema.safeParse(readFields(kind.fields, form));
    if (!parsed.success) Object.assign(fields, fieldErrors(parsed.error));
    if (Object.keys(fields).length) throw new ValidationError('flow.node_invalid', fields, 'Some fields need attention.');
    const config = parsed.data as Record<string, unknown>;
    const ids = new Set(flow.draft.nodes.map((n) => n.id));
    const next: Record<string, string> = {};
    for (const b of kind.branches(config)) {
      const target = typeof form[`next_${b.name}`] === 'string' ? (form[`next_${b.name}`] as string) : '';
      if (target && !ids.has(target)) throw new ValidationError('flow.node_invalid', { [`next_${b.name}`]: 'Choose one of the flow\'s nodes.' });
      if (target) next[b.name] = target;
    }
    // What the form sent is stored, not the schema's output: prompts and numbers keep the shape the form reads back.
    const stored = { ...readFields(kind.fields, form) };
    for (const f of kind.fields) if (f.type === 'number' && stored[f.name] !== '') stored[f.name] = Number(stored[f.name]);
    const updated: FlowNode = { ...node, name, config: stored, next };
    return this.saveDraft(flow, { ...flow.draft, nodes: flow.draft.nodes.map((n) => (n.id === nodeId ? updated : n)) }, actor, `changed node ${nodeId}`);
  }

  deleteNode(id: number, nodeId: string, actor: Actor): Flow {
    const flow = this.get(id);
    if (!flow.draft.nodes.some((n) => n.id === nodeId)) throw new NotFoundError('flow.node_not_found', { nodeId }, { message: 'No such node in this flow.' });
    if (flow.draft.start === nodeId) throw new ConflictError('flow.start_node', { nodeId }, { message: 'Calls start at this node: choose another start node in the settings first.' });
    // Branches that led to it are left open, so the editor shows where the flow now has a gap.
    const nodes = flow.draft.nodes.filter((n) => n.id !== nodeId).map((n) => ({ ...n, next: Object.fromEntries(Object.entries(n.next).filter(([, t]) => t !== nodeId)) }));
    return this.saveDraft(flow, { ...flow.draft, nodes }, actor, `deleted node ${nodeId}`);
  }

  /** Throw away the draft's changes: back to the latest published version. */
  discardDraft(id: number, actor: Actor): Flow {
    const flow = this.get(id);
    const latest = this.latestPublished(id);
    if (!latest) throw new ConflictError('flow.nothing_published', { id }, { message: 'Nothing is published yet: there is nothing to go back to.' });
    return this.saveDraft(flow, latest.definition, actor, `went back to version ${latest.version}`);
  }

  problems(id: number): FlowProblem[] {
    return validateFlow(this.get(id).draft, this.d.lookups);
  }

  publish(id: number, actor: Actor): FlowVersion {
    const flow = this.get(id);
    const problems = validateFlow(flow.draft, this.d.lookups);
    if (problems.length) throw new FlowInvalidError(problems);
    const version = this.d.db.transaction(() => {
      const v = (this.repo.latest(id)?.version ?? 0) + 1;
      this.repo.publish(id, v, { ...flow.draft, settings: settingsSchema.parse(flow.draft.settings) }, isoNow(this.d.clock), actor.name);
      this.d.audit.record(actor, { action: 'flow.published', entityType: 'flow', entityId: id, summary: `published flow ${flow.name} version ${v}` });
      return v;
    })();
    this.published.delete(id);
    const published = this.version(id, version);
    this.d.prepare?.(published.definition);
    return published;
  }

  delete(id: number, actor: Actor): void {
    const flow = this.get(id);
    const users = this.usedBy(id);
    if (users.length) throw new ConflictError('flow.in_use', { users }, { message: `In use by ${users.join(', ')}.` });
    this.d.db.transaction(() => {
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'flow.deleted', entityType: 'flow', entityId: id, summary: `deleted flow ${flow.name}` });
    })();
    this.published.delete(id);
    this.d.publish(`flow ${flow.name} deleted`);
  }

  /** Run the draft (or a published version) without a call. */
  simulate(id: number, scenario: Scenario, version: number | null = null) {
    const def = version === null ? this.get(id).draft : this.version(id, version).definition;
    return simulate(def, scenario, { flowId: id, lookups: this.d.lookups, loadFlow: (other) => this.latestPublished(other)?.definition ?? null });
  }

  /** For the dialplan: every flow's fallback destination. */
  forConfig(): { id: number; fallbackKind: Flow['fallbackKind']; fallbackExtensionId: number | null }[] {
    return this.repo.all().map((f) => ({ id: f.id, fallbackKind: f.fallbackKind, fallbackExtensionId: f.fallbackExtensionId }));
  }

  private summarize(f: Flow): FlowSummary {
    const latest = this.latestPublished(f.id);
    return { ...f, published: latest?.version ?? null, isChanged: !latest || JSON.stringify(latest.definition) !== JSON.stringify(f.draft), usedBy: this.usedBy(f.id) };
  }

  private info(input: unknown) {
    const info = parseInput(FlowInfoSchema, input);
    if (info.fallbackExtensionId !== null && !this.d.extensionExists(info.fallbackExtensionId)) throw new ValidationError('validation.failed', { fallbackExtensionId: 'That extension no longer exists.' });
    if (info.fallbackKind === 'voicemail' && this.d.lookups.voicemailBox(info.fallbackExtensionId!) === null) throw new ValidationError('validation.failed', { fallbackExtensionId: 'That extension has no voicemail box.' });
    return info;
  }

  private saveDraft(flow: Flow, draft: FlowDefinition, actor: Actor, what: string): Flow {
    this.d.db.transaction(() => {
      this.repo.saveDraft(flow.id, draft, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'flow.draft_changed', entityType: 'flow', entityId: flow.id, summary: `flow ${flow.name}: ${what}` });
    })();
    return this.get(flow.id);
  }
}

/** A new flow: a greeting, then hang up; enough to see the editor's shape. */
function starter(): FlowDefinition {
  return {
    start: 'n1',
    settings: DEFAULT_SETTINGS,
    nodes: [
      { id: 'n1', kind: 'play', name: 'Welcome', config: { prompt: { say: 'Welcome. Thank you for calling.' } }, next: { next: 'n2' } },
      { id: 'n2', kind: 'hangup', name: 'Goodbye', config: { prompt: { say: 'Goodbye.' } }, next: {} },
    ],
  };
}

function nextNodeId(def: FlowDefinition): string {
  const max = Math.max(0, ...def.nodes.map((n) => Number(n.id.slice(1)) || 0));
  return `n${max + 1}`;
}
