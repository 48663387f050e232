import { simulate, type Scenario } from '../simulator.js';
import { DEFAULT_SETTINGS } from './settings.js';
import type { FlowDefinition, FlowNode, FlowSettings, Lookups } from './types.js';

// Small builders for the engine's and the node kinds' tests.

export const lookups: Lookups = {
  promptReady: (id) => (id === 1 ? true : id === 2 ? false : null),
  promptName: (id) => (id === 1 ? 'welcome' : id === 2 ? 'rendering' : null),
  extensionNumber: (id) => (id === 7 ? '1007' : id === 8 ? '1008' : null),
  voicemailBox: (id) => (id === 7 ? '1007' : null),
  flowName: (id) => (id === 2 ? 'Second' : null),
  queueName: () => null,
};

export const node = (id: string, kind: string, config: Record<string, unknown>, next: Record<string, string> = {}): FlowNode => ({ id, kind, name: id, config, next });

export const flow = (nodes: FlowNode[], settings: Partial<FlowSettings> = {}): FlowDefinition => ({ start: nodes[0]?.id ?? 'n1', nodes, settings: { ...DEFAULT_SETTINGS, ...settings } });

export const scenario = (s: Partial<Scenario> = {}): Scenario => ({ answers: [], at: Date.UTC(2026, 10, 23, 10, 0), http: {}, callerNumber: '+4930111', calledNumber: '+4930999', ...s });

export function sim(def: FlowDefinition, s: Partial<Scenario> = {}, flows: Record<number, FlowDefinition> = {}) {
  return simulate(def, scenario(s), { flowId: 1, lookups, loadFlow: (id) => flows[id] ?? null });
}

export const say = (text: string) => ({ say: text });
