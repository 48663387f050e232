import { fieldErrors } from '../../../validation.js';
import { nodeKind } from './nodes/index.js';
import { settingsSchema } from './settings.js';
import { placeholders } from './template.js';
import type { FlowDefinition, Lookups, PromptRef } from './types.js';

/** A reason a flow cannot be published, where the editor shows it: on a node's field, or on the settings. */
export interface FlowProblem {
  node: string | null;
  field: string | null;
  message: string;
}

/**
 * Everything that stops a flow from being published: settings and node configs that fail their schema, things
 * they name that do not exist (prompts not ready, extensions, flows), branches that lead nowhere, and nodes no
 * call can reach.
 */
export function validateFlow(def: FlowDefinition, lookups: Lookups): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const ids = new Set(def.nodes.map((n) => n.id));
  const prompt = (p: PromptRef, node: string | null, field: string | null) => {
    if (!('promptId' in p)) return;
    const ready = lookups.promptReady(p.promptId);
    if (ready === null) problems.push({ node, field, message: `Prompt #${p.promptId} no longer exists.` });
    else if (!ready) problems.push({ node, field, message: `Prompt “${lookups.promptName(p.promptId)}” is not ready (still rendering, or it failed).` });
  };
  if (!def.nodes.length) problems.push({ node: null, field: null, message: 'The flow has no nodes.' });
  else if (!ids.has(def.start)) problems.push({ node: null, field: 'start', message: 'Choose the node calls start at.' });

  const settings = settingsSchema.safeParse(def.settings);
  if (!settings.success) for (const [field, message] of Object.entries(fieldErrors(settings.error))) problems.push({ node: null, field, message });
  for (const k of ['noInput', 'noMatch'] as const) {
    const esc = def.settings[k];
    esc?.prompts.forEach((p) => prompt(p, null, k));
    if (esc?.then.action === 'node' && !ids.has(esc.then.node)) problems.push({ node: null, field: `${k}Then`, message: 'The escalation goes to a node that no longer exists.' });
  }

  for (const n of def.nodes) {
    const kind = nodeKind(n.kind);
    if (!kind) {
      problems.push({ node: n.id, field: null, message: `Unknown node kind “${n.kind}”.` });
      continue;
    }
    const parsed = kind.schema.safeParse(n.config);
    if (!parsed.success) {
      for (const [field, message] of Object.entries(fieldErrors(parsed.error))) problems.push({ node: n.id, field, message });
      continue;
    }
    const config = parsed.data;
    for (const [field, message] of Object.entries(kind.check?.(config, lookups) ?? {})) problems.push({ node: n.id, field, message });
    for (const p of kind.prompts(config)) prompt(p, n.id, null);
    for (const b of kind.branches(config)) {
      const target = n.next[b.name];
      // Questions may leave "when tries run out" open: the flow's escalation decides then.
      if (!target && b.name !== 'failure') problems.push({ node: n.id, field: `next_${b.name}`, message: `Branch “${b.label}” is not connected.` });
      else if (target && !ids.has(target)) problems.push({ node: n.id, field: `next_${b.name}`, message: `Branch “${b.label}” leads to a node that no longer exists.` });
    }
  }

  for (const id of unreachable(def)) problems.push({ node: id, field: null, message: 'No call can reach this node: connect a branch to it, or delete it.' });
  return problems;
}

/** Nodes no path from the start reaches (escalations to a node count as paths). */
export function unreachable(def: FlowDefinition): string[] {
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const queue = [def.start];
  for (const k of ['noInput', 'noMatch'] as const) {
    const t = def.settings[k]?.then;
    if (t?.action === 'node') queue.push(t.node);
  }
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id) || !byId.has(id)) continue;
    seen.add(id);
    queue.push(...Object.values(byId.get(id)!.next));
  }
  return def.nodes.filter((n) => !seen.has(n.id)).map((n) => n.id);
}

/** Everything a flow may play: its nodes' prompts (as their kinds read them) and its escalation prompts. */
export function promptRefs(def: FlowDefinition): PromptRef[] {
  const refs: PromptRef[] = [...def.settings.noInput.prompts, ...def.settings.noMatch.prompts];
  for (const n of def.nodes) {
    const kind = nodeKind(n.kind);
    const parsed = kind?.schema.safeParse(n.config);
    if (kind && parsed?.success) refs.push(...kind.prompts(parsed.data));
  }
  return refs;
}

/** Every text a flow speaks that holds no variable: it can be rendered once, before the first call needs it. */
export function fixedSpeech(def: FlowDefinition): string[] {
  return [...new Set(promptRefs(def).flatMap((p) => ('say' in p && !placeholders(p.say).length ? [p.say] : [])))];
}
