import type { z } from 'zod';

/**
 * A flow as stored: nodes joined by named branches. Each node's `config` belongs to its kind (nodes/<kind>.ts);
 * `next` maps the kind's branch names to node ids (a branch left out is not connected).
 */
export interface FlowDefinition {
  start: string;
  nodes: FlowNode[];
  settings: FlowSettings;
}

export interface FlowNode {
  /** Short and stable (n1, n2 …): the path on a call names nodes by it. */
  id: string;
  kind: string;
  name: string;
  config: Record<string, unknown>;
  next: Record<string, string>;
}

/** Audio a node plays: a prompt from the library, or text spoken with the flow's voice (`${variables}` filled in). */
export type PromptRef = { promptId: number } | { say: string };

/** After the tries of a question: hang up, send the call to the flow's fallback destination, or go to a node. */
export type EscalationAction = { action: 'hangup' } | { action: 'fallback' } | { action: 'node'; node: string };

/** What the flow does when a caller presses nothing (no input) or a key it does not expect (no match). */
export interface Escalation {
  /** Played after the first and the second failure of a question, when the node has no prompt of its own. */
  prompts: PromptRef[];
  then: EscalationAction;
}

export interface FlowSettings {
  language: string;
  /** An espeak-ng voice of that language. */
  voice: string;
  rate: number;
  volume: number;
  /** The loop guard: nodes one call may pass through, counting every node, before it goes to the fallback. */
  maxSteps: number;
  noInput: Escalation;
  noMatch: Escalation;
}

/** Audio resolved for playing: a library prompt, or the text to speak (variables already filled in). */
export type Audio = { promptId: number } | { text: string; voice: string; rate: number; volume: number };

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body: string | null;
  timeoutMs: number;
  maxBytes: number;
}
/** status 0 with an error: no answer (timeout, refused, too big, not http). */
export interface HttpResponse {
  status: number;
  body: string;
  error: string | null;
}

/** Where a Transfer node or a destination sends a call out of the flow. */
export type TransferTarget =
  | { kind: 'extension'; extension: string }
  | { kind: 'external'; number: string }
  | { kind: 'queue'; queueId: number; priority: number };

/**
 * The call as a flow sees it. Real calls implement it over the switch (flow-call.ts), the simulator over
 * canned answers (simulator.ts): the engine and the node kinds are the same code for both.
 */
export interface CallIO {
  play(audio: Audio): Promise<void>;
  /** Play (may be null) while listening; resolves with the digits, '' when the caller pressed nothing in time. */
  collect(audio: Audio | null, o: { min: number; max: number; timeoutMs: number; terminator: string }): Promise<string>;
  fetch(nodeId: string, req: HttpRequest): Promise<HttpResponse>;
  transfer(to: TransferTarget): Promise<void>;
  voicemail(extension: string): Promise<void>;
  hangup(): Promise<void>;
  /** The flow's fallback destination: when the flow fails, or its escalation says so. */
  fallback(reason: string): Promise<void>;
  now(): number;
}

/** A step of the path a call took, for call records, the screen pop and the simulator. */
export interface Step {
  node: string;
  kind: string;
  /** ms since the call entered the flow. */
  at: number;
  branch: string | null;
  digits: string[];
  /** What played: prompt ids as `prompt:<id>`, spoken text as the text. */
  played: string[];
  note: string | null;
}

/** How a flow ended for a call. */
export type Outcome = 'transfer' | 'voicemail' | 'hangup' | 'fallback' | 'caller_hangup';

/** What a node's run gives back: the branch to follow, or that the call has left the flow. */
export type NodeResult = { branch: string } | { end: Outcome; detail: string } | { escalate: 'noInput' | 'noMatch' } | { flow: number };

/** What a node's run may use: the call, the variables, and helpers shared by the questions. */
export interface NodeContext {
  readonly io: CallIO;
  readonly vars: Record<string, string>;
  readonly settings: FlowSettings;
  readonly lookups: Lookups;
  /** The node being run (the simulator answers HTTP requests by node). */
  readonly nodeId: string;
  /** `${name}` filled in from the variables. */
  fill(template: string): string;
  audio(ref: PromptRef | null): Audio | null;
  play(ref: PromptRef | null): Promise<void>;
  /** Note digits the caller pressed and other facts on the current step. */
  noteDigits(digits: string): void;
  note(text: string): void;
  /** A survey answer, kept on the call. */
  survey(score: string): void;
}

export interface BranchSpec {
  name: string;
  label: string;
}

/** One form field of a node kind; forms are flat, and the kind's schema reads them back. */
export interface FieldSpec {
  name: string;
  label: string;
  type: 'text' | 'textarea' | 'number' | 'select' | 'prompt' | 'checkbox';
  help?: string;
  options?: { value: string; label: string }[];
  /** Only for `select`: options that come from the appliance (extensions, flows, queues). */
  optionsFrom?: 'extensions' | 'flows' | 'queues' | 'variables';
}

/** What the editor can look up while checking a node (does the prompt exist, the extension, the flow). */
export interface Lookups {
  /** null: no such prompt; false: not ready (rendering or failed). */
  promptReady(id: number): boolean | null;
  promptName(id: number): string | null;
  extensionNumber(id: number): string | null;
  /** The extension's number when it has a voicemail box. */
  voicemailBox(id: number): string | null;
  flowName(id: number): string | null;
  queueName(id: number): string | null;
}

/**
 * A node kind: one file each under nodes/, registered in nodes/index.ts. The schema validates what the form
 * sends (and what is stored), `run` executes it against a call.
 */
export interface NodeKind<C extends Record<string, unknown> = Record<string, unknown>> {
  kind: string;
  label: string;
  help: string;
  fields: FieldSpec[];
  schema: z.ZodType<C, unknown>;
  /** Defaults for a new node of this kind (must pass the schema except where the admin must choose). */
  initial: Record<string, unknown>;
  branches(config: C): BranchSpec[];
  prompts(config: C): PromptRef[];
  /** Problems only the appliance can see (a missing extension or flow), as field → message. */
  check?(config: C, lookups: Lookups): Record<string, string>;
  /** One line for the node list and the graph. */
  describe(config: C, lookups: Lookups): string;
  run(config: C, ctx: NodeContext): Promise<NodeResult>;
}
