import { formValues } from './engine/fields.js';
import { nodeKind, NODE_KINDS } from './engine/nodes/index.js';
import { LANGUAGES, settingsFormValues } from './engine/settings.js';
import type { BranchSpec, FieldSpec, FlowDefinition, FlowNode, Lookups } from './engine/types.js';
import type { FlowProblem } from './engine/validate.js';
import { renderFlowGraph } from './graph.js';
import type { Flow, FlowRun, FlowVersion } from './flows.types.js';

// The editor's view models: what each form shows, built from the node kinds' field lists, so a new kind
// needs no template of its own.

/** What the forms offer to choose from, beyond the flow itself. */
export interface FlowChoices {
  extensions(): { id: number; number: string; displayName: string }[];
  flows(): { id: number; name: string }[];
  queues(): { id: number; name: string }[];
  /** Ready prompts of the library; an empty list until the prompt library is wired in. */
  promptChoices(): { id: number; name: string }[];
  /** Text spoken as a call would hear it: the path of the (cached) rendering. */
  speak(v: { text: string; voice: string; rate: number; volume: number }): Promise<string>;
}

type Values = Record<string, unknown>;
type Errors = Record<string, string>;
interface Option {
  value: string;
  label: string;
  selected: boolean;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const options = (list: { value: string; label: string }[], current: unknown): Option[] => list.map((o) => ({ ...o, selected: o.value === str(current) }));

export const FALLBACK_OPTIONS = [
  { value: 'hangup', label: 'Hang up' },
  { value: 'extension', label: 'An extension' },
  { value: 'voicemail', label: "An extension's voicemail" },
];

export const kindOptions = NODE_KINDS.map((k) => ({ value: k.kind, label: k.label, help: k.help }));

export function extensionOptions(c: FlowChoices, current: unknown, empty = '— choose an extension —'): Option[] {
  return options([{ value: '', label: empty }, ...c.extensions().map((e) => ({ value: String(e.id), label: `${e.number} · ${e.displayName}` }))], current);
}

/** One form field, with everything its template needs (ids unique per node card). */
export function fieldView(prefix: string, f: FieldSpec, values: Values, errors: Errors, c: FlowChoices, flowId: number) {
  const base = { id: `f-${prefix}-${f.name}`, name: f.name, label: f.label, help: f.help ?? null, error: errors[f.name] ?? null, type: f.type };
  if (f.type === 'prompt') {
    const promptOptions = options([{ value: '', label: '— none: say the text below —' }, ...c.promptChoices().map((p) => ({ value: String(p.id), label: p.name }))], values[`${f.name}_prompt`]);
    return { ...base, isPrompt: true, hasLibrary: promptOptions.length > 1, promptOptions, say: str(values[`${f.name}_say`]) };
  }
  if (f.type === 'select') {
    let list = f.options ?? [];
    if (f.optionsFrom === 'extensions') list = [{ value: '', label: '— choose an extension —' }, ...c.extensions().map((e) => ({ value: String(e.id), label: `${e.number} · ${e.displayName}` }))];
    if (f.optionsFrom === 'queues') list = [{ value: '', label: '— choose a queue —' }, ...c.queues().map((o) => ({ value: String(o.id), label: o.name }))];
    if (f.optionsFrom === 'flows') list = [{ value: '', label: '— choose a flow —' }, ...c.flows().filter((o) => o.id !== flowId).map((o) => ({ value: String(o.id), label: o.name }))];
    return { ...base, isSelect: true, options: options(list, values[f.name]) };
  }
  if (f.type === 'checkbox') return { ...base, isCheckbox: true, checked: values[f.name] === 'on' || values[f.name] === true };
  if (f.type === 'textarea') return { ...base, isTextarea: true, value: str(values[f.name]) };
  return { ...base, isNumber: f.type === 'number', value: str(values[f.name]) };
}

/** A node's config through its kind's schema: null when it is not finished (the draft may hold such nodes). */
function parsed(n: FlowNode): Record<string, unknown> | null {
  const r = nodeKind(n.kind)?.schema.safeParse(n.config);
  return r?.success ? (r.data as Record<string, unknown>) : null;
}

/** The branches a node has now; an unfinished node's are read from what it holds, as far as they can be. */
export function branchesOf(n: FlowNode): BranchSpec[] {
  const kind = nodeKind(n.kind);
  if (!kind) return [];
  const config = parsed(n);
  if (config) return kind.branches(config);
  try {
    return kind.branches(n.config);
  } catch {
    // A half-typed config may not even give branches (a menu without its keys): it has none yet.
    return [];
  }
}

function summaryOf(n: FlowNode, lookups: Lookups): string {
  const config = parsed(n);
  return config ? nodeKind(n.kind)!.describe(config, lookups) : 'Not finished yet';
}

/** The flow as a picture; problem nodes in red, the simulated path highlighted. */
export function graphSvg(def: FlowDefinition, lookups: Lookups, problems: FlowProblem[], highlight: string[] = []): string {
  const bad = new Set(problems.map((p) => p.node).filter(Boolean));
  return renderFlowGraph({
    start: def.start,
    highlight,
    nodes: def.nodes.map((n) => ({
      id: n.id,
      name: n.name,
      kindLabel: nodeKind(n.kind)?.label ?? n.kind,
      summary: summaryOf(n, lookups),
      branches: branchesOf(n).map((b) => ({ name: b.name, label: b.label, target: n.next[b.name] ?? null })),
      error: bad.has(n.id),
    })),
  });
}

const SETTINGS_LABELS: Record<string, string> = {
  start: 'Calls start at',
  language: 'Language',
  voice: 'Voice',
  rate: 'Speaking rate',
  volume: 'Volume',
  maxSteps: 'Most steps per call',
  noInput: 'When nothing is pressed',
  noMatch: 'When a wrong key is pressed',
  noInputThen: 'After the last try with nothing pressed',
  noMatchThen: 'After the last try with a wrong key',
};

/** A problem where the admin can find it: the node's card and the field's label. */
export function problemView(p: FlowProblem, def: FlowDefinition) {
  const n = p.node ? def.nodes.find((x) => x.id === p.node) : undefined;
  let field = p.field ? SETTINGS_LABELS[p.field] ?? p.field : null;
  if (n && p.field) {
    const kind = nodeKind(n.kind);
    const branch = p.field.startsWith('next_') ? branchesOf(n).find((b) => `next_${b.name}` === p.field) : undefined;
    field = branch ? `Branch ${branch.label}` : (kind?.fields.find((f) => f.name === p.field)?.label ?? p.field);
  }
  return { node: p.node, nodeName: n?.name ?? null, href: p.node ? `#node-${p.node}` : '#settings', field, message: p.message };
}

export interface EditorForms {
  /** A node form that was refused: what was posted, and what is wrong. */
  node?: { id: string; values: Values; errors: Errors };
  settings?: { values: Values; errors: Errors };
  info?: { values: Values; errors: Errors };
  add?: { values: Values; errors: Errors };
}

function nodeCard(n: FlowNode, def: FlowDefinition, flowId: number, problems: FlowProblem[], lookups: Lookups, c: FlowChoices, forms: EditorForms) {
  const kind = nodeKind(n.kind);
  const refused = forms.node?.id === n.id ? forms.node : undefined;
  const values: Values = refused?.values ?? { ...formValues(kind?.fields ?? [], n.config), name: n.name, ...Object.fromEntries(Object.entries(n.next).map(([b, t]) => [`next_${b}`, t])) };
  const errors = refused?.errors ?? {};
  const targets = [{ value: '', label: '— not connected —' }, ...def.nodes.filter((x) => x.id !== n.id).map((x) => ({ value: x.id, label: `${x.id} · ${x.name}` }))];
  const own = problems.filter((p) => p.node === n.id);
  return {
    id: n.id,
    name: str(values.name),
    nameError: errors.name ?? null,
    formError: errors._form ?? null,
    hasErrors: Object.keys(errors).length > 0,
    kindLabel: kind?.label ?? n.kind,
    kindHelp: kind?.help ?? '',
    summary: summaryOf(n, lookups),
    isStart: def.start === n.id,
    problems: own.map((p) => problemView(p, def)),
    fields: (kind?.fields ?? []).map((f) => fieldView(n.id, f, values, errors, c, flowId)),
    branches: branchesOf(n).map((b) => ({ name: b.name, label: b.label, id: `f-${n.id}-next_${b.name}`, error: errors[`next_${b.name}`] ?? null, options: options(targets, values[`next_${b.name}`]) })),
  };
}

/** The settings form: the call's voice, the loop guard and the escalations, as node-style fields. */
function settingsFields(def: FlowDefinition, values: Values, errors: Errors, c: FlowChoices, flowId: number) {
  const nodes = def.nodes.map((n) => ({ value: n.id, label: `${n.id} · ${n.name}` }));
  const thenOptions = [{ value: 'fallback', label: 'Send the call to the fallback destination' }, { value: 'hangup', label: 'Hang up' }, ...nodes.map((o) => ({ value: `node:${o.value}`, label: `Go to ${o.label}` }))];
  const voices = Object.values(LANGUAGES).flatMap((l) => Object.entries(l.voices).map(([value, label]) => ({ value, label: `${label}` })));
  const f = (spec: FieldSpec) => fieldView('settings', spec, values, errors, c, flowId);
  // Escalation problems come back under the escalation's name: show them at its action.
  const escErrors = { ...errors, noInputThen: errors.noInputThen ?? errors.noInput, noMatchThen: errors.noMatchThen ?? errors.noMatch };
  const g = (spec: FieldSpec) => fieldView('settings', spec, values, escErrors as Errors, c, flowId);
  return {
    general: [
      f({ name: 'start', label: SETTINGS_LABELS.start!, type: 'select', options: nodes }),
      f({ name: 'language', label: 'Language', type: 'select', options: Object.entries(LANGUAGES).map(([value, l]) => ({ value, label: l.label })) }),
      f({ name: 'voice', label: 'Voice', type: 'select', options: voices, help: 'Spoken text uses this voice; it must speak the language.' }),
      f({ name: 'rate', label: 'Speaking rate (words per minute)', type: 'number' }),
      f({ name: 'volume', label: 'Volume (%)', type: 'number' }),
      f({ name: 'maxSteps', label: SETTINGS_LABELS.maxSteps!, type: 'number', help: 'The loop guard: past this many steps a call goes to the fallback.' }),
    ],
    noInput: [
      f({ name: 'noInput1', label: 'After the first time', type: 'prompt' }),
      f({ name: 'noInput2', label: 'After the second time', type: 'prompt' }),
      g({ name: 'noInputThen', label: SETTINGS_LABELS.noInputThen!, type: 'select', options: thenOptions }),
    ],
    noMatch: [
      f({ name: 'noMatch1', label: 'After the first time', type: 'prompt' }),
      f({ name: 'noMatch2', label: 'After the second time', type: 'prompt' }),
      g({ name: 'noMatchThen', label: SETTINGS_LABELS.noMatchThen!, type: 'select', options: thenOptions }),
    ],
  };
}

export function infoValues(f: Flow): Values {
  return { name: f.name, description: f.description, fallbackKind: f.fallbackKind, fallbackExtensionId: f.fallbackExtensionId ? String(f.fallbackExtensionId) : '' };
}

/** Everything the editor page shows. */
export function editorView(flow: Flow, d: { problems: FlowProblem[]; versions: FlowVersion[]; runs: FlowRun[]; lookups: Lookups; published: FlowVersion | null; isChanged: boolean; usedBy: string[] }, c: FlowChoices, forms: EditorForms = {}) {
  const names = new Map(flow.draft.nodes.map((n) => [n.id, n.name]));
  const def = flow.draft;
  const info = forms.info ?? { values: infoValues(flow), errors: {} };
  const settings = forms.settings ?? { values: { ...settingsFormValues(def.settings), start: def.start }, errors: {} };
  const add = forms.add ?? { values: {}, errors: {} };
  const open = def.nodes.flatMap((n) => branchesOf(n).filter((b) => !n.next[b.name]).map((b) => ({ value: `${n.id}:${b.name}`, label: `${n.id} · ${n.name} → ${b.label}` })));
  return {
    title: flow.name,
    flow,
    published: d.published,
    isChanged: d.isChanged,
    usedBy: d.usedBy,
    graph: graphSvg(def, d.lookups, d.problems),
    problems: d.problems.map((p) => problemView(p, def)),
    info: {
      values: info.values,
      errors: info.errors,
      hasErrors: Object.keys(info.errors).length > 0,
      fallbackOptions: options(FALLBACK_OPTIONS, info.values.fallbackKind),
      extensionOptions: extensionOptions(c, info.values.fallbackExtensionId),
    },
    settings: { errors: settings.errors, hasErrors: Object.keys(settings.errors).length > 0, ...settingsFields(def, settings.values, settings.errors, c, flow.id) },
    nodes: def.nodes.map((n) => nodeCard(n, def, flow.id, d.problems, d.lookups, c, forms)),
    add: {
      errors: Object.values(add.errors),
      kinds: kindOptions.map((k) => ({ ...k, selected: k.value === str(add.values.kind) })),
      from: options([{ value: '', label: '— not connected yet —' }, ...open], add.values.from),
    },
    // Newest first: the first row is the version calls run.
    versions: d.versions,
    runs: d.runs.map((r) => ({ ...r, path: r.path.map((s) => ({ node: s.node, name: names.get(s.node) ?? s.node, digits: s.digits.join(' ') })) })),
  };
}
