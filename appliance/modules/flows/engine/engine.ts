import { fill } from './template.js';
import { nodeKind } from './nodes/index.js';
import type { Audio, CallIO, FlowDefinition, FlowNode, Lookups, NodeContext, NodeKind, NodeResult, Outcome, PromptRef, Step } from './types.js';

/** Thrown by a CallIO when the caller has hung up: the flow stops there, and nothing falls back. */
export class CallEnded extends Error {}

export interface RunOptions {
  flowId: number;
  vars: Record<string, string>;
  lookups: Lookups;
  /** Another flow's latest published version, for Transfer to a flow; null when it has none. */
  loadFlow(flowId: number): FlowDefinition | null;
  /** Each step as it finishes, so a call's path is kept even if the controller stops mid-call. */
  onStep?(step: Step, vars: Record<string, string>): void;
}

export interface RunResult {
  outcome: Outcome;
  detail: string;
  steps: Step[];
  vars: Record<string, string>;
  survey: string | null;
}

/**
 * Run a flow on a call, node by node, until the call leaves it. The same code runs real calls (over the
 * switch) and the simulator (over canned answers). A node that fails, a branch that leads nowhere and the
 * loop guard all send the call to the flow's fallback: a caller is never left in silence.
 */
export async function runFlow(first: FlowDefinition, io: CallIO, o: RunOptions): Promise<RunResult> {
  const started = io.now();
  const vars = o.vars;
  const steps: Step[] = [];
  let survey: string | null = null;
  let def = first;
  let node: FlowNode | undefined = def.nodes.find((n) => n.id === def.start);
  let step: Step | null = null;
  const finish = (outcome: Outcome, detail: string): RunResult => ({ outcome, detail, steps, vars, survey });
  const fallback = async (reason: string): Promise<RunResult> => {
    if (step) step.note = step.note ? `${step.note}; ${reason}` : reason;
    try {
      await io.fallback(reason);
    } catch (e) {
      if (e instanceof CallEnded) return finish('caller_hangup', reason);
      throw e;
    }
    return finish('fallback', reason);
  };
  try {
    while (true) {
      if (!node) return await fallback('a branch leads to no node');
      if (steps.length >= def.settings.maxSteps) return await fallback(`more than ${def.settings.maxSteps} steps (loop guard)`);
      const kind = nodeKind(node.kind);
      if (!kind) return await fallback(`unknown node kind ${node.kind}`);
      step = { node: node.id, kind: node.kind, at: io.now() - started, branch: null, digits: [], played: [], note: null };
      steps.push(step);
      const ctx = context(def, node.id, io, vars, o.lookups, step, (s) => (survey = s));
      let result: NodeResult;
      try {
        result = await kind.run(configOf(kind, node), ctx);
      } catch (e) {
        if (e instanceof CallEnded) throw e;
        return await fallback(`${node.kind} ${node.id} failed: ${(e as Error).message}`);
      }
      // Reported once complete (its branch known): a run's path is appended step by step as it happens.
      const done = (st: Step) => o.onStep?.(st, vars);
      if ('end' in result) {
        done(step);
        return finish(result.end, result.detail);
      }
      if ('flow' in result) {
        const next = o.loadFlow(result.flow);
        if (!next) return await fallback(`flow #${result.flow} has no published version`);
        step.note = `to flow #${result.flow}`;
        done(step);
        def = next;
        node = def.nodes.find((n) => n.id === def.start);
        continue;
      }
      if ('escalate' in result) {
        if (node.next.failure) {
          step.branch = 'failure';
          done(step);
          node = def.nodes.find((n) => n.id === node!.next.failure);
          continue;
        }
        const then = def.settings[result.escalate].then;
        step.branch = `${result.escalate === 'noInput' ? 'no input' : 'no match'}: ${then.action}`;
        done(step);
        if (then.action === 'hangup') {
          await io.hangup();
          return finish('hangup', step.branch);
        }
        if (then.action === 'fallback') return await fallback(step.branch);
        node = def.nodes.find((n) => n.id === then.node);
        continue;
      }
      step.branch = result.branch;
      done(step);
      const target = node.next[result.branch];
      node = target ? def.nodes.find((n) => n.id === target) : undefined;
      if (!node) return await fallback(`branch ${result.branch} of ${step.node} is not connected`);
    }
  } catch (e) {
    if (e instanceof CallEnded) return finish('caller_hangup', step ? `during ${step.node}` : 'before the flow started');
    throw e;
  }
}

/**
 * A node's config as its kind reads it, parsed once per node: published definitions are cached and shared by every
 * call, so the schema runs once, not on every step of every call.
 */
const parsed = new WeakMap<FlowNode, Record<string, unknown>>();
function configOf(kind: NodeKind, node: FlowNode): Record<string, unknown> {
  let c = parsed.get(node);
  if (!c) parsed.set(node, (c = kind.schema.parse(node.config) as Record<string, unknown>));
  return c;
}

function context(def: FlowDefinition, nodeId: string, io: CallIO, vars: Record<string, string>, lookups: Lookups, step: Step, survey: (s: string) => void): NodeContext {
  const s = def.settings;
  const audio = (ref: PromptRef | null): Audio | null => {
    if (!ref) return null;
    if ('promptId' in ref) {
      step.played.push(`prompt:${ref.promptId}`);
      return { promptId: ref.promptId };
    }
    const text = fill(ref.say, vars);
    step.played.push(text);
    return { text, voice: s.voice, rate: s.rate, volume: s.volume };
  };
  return {
    io,
    vars,
    settings: s,
    lookups,
    nodeId,
    fill: (t) => fill(t, vars),
    audio,
    async play(ref) {
      const a = audio(ref);
      if (a) await io.play(a);
    },
    noteDigits: (d) => void step.digits.push(d),
    note: (t) => void (step.note = step.note ? `${step.note}; ${t}` : t),
    survey,
  };
}
