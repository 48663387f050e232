import { runFlow, type RunOptions, type RunResult } from './engine/engine.js';
import type { Audio, CallIO, FlowDefinition, HttpRequest, HttpResponse, TransferTarget } from './engine/types.js';

/** What the simulated caller does and the world answers. */
export interface Scenario {
  /** The caller's answer to each question in turn; '' presses nothing. Past the end, the caller presses nothing. */
  answers: string[];
  /** The wall-clock time of the call (ms since the epoch). */
  at: number;
  /** Canned answers of HTTP request nodes, by node id; a node without one gets no answer (a timeout). */
  http: Record<string, { status: number; body: string }>;
  callerNumber: string;
  calledNumber: string;
}

/** One thing that happened on the simulated call, in order. */
export type SimEvent =
  | { kind: 'play'; audio: Audio }
  | { kind: 'ask'; audio: Audio | null; answer: string }
  | { kind: 'http'; node: string; request: HttpRequest; response: HttpResponse }
  | { kind: 'transfer'; to: TransferTarget }
  | { kind: 'voicemail'; extension: string }
  | { kind: 'hangup' }
  | { kind: 'fallback'; reason: string };

/** A call that exists only in memory: it plays nothing, answers from the scenario, and writes down everything. */
export class SimulatedCall implements CallIO {
  readonly events: SimEvent[] = [];
  private next = 0;
  constructor(private readonly s: Scenario) {}

  async play(audio: Audio): Promise<void> {
    this.events.push({ kind: 'play', audio });
  }
  async collect(audio: Audio | null, o: { max: number; terminator: string }): Promise<string> {
    const raw = this.s.answers[this.next++] ?? '';
    // As the switch does: stop at the terminator, keep at most `max` keys.
    const cut = o.terminator && raw.includes(o.terminator) ? raw.slice(0, raw.indexOf(o.terminator)) : raw;
    const answer = cut.slice(0, o.max);
    this.events.push({ kind: 'ask', audio, answer });
    return answer;
  }
  async fetch(node: string, request: HttpRequest): Promise<HttpResponse> {
    const canned = this.s.http[node];
    const response: HttpResponse = canned ? { status: canned.status, body: canned.body, error: null } : { status: 0, body: '', error: `no answer within ${request.timeoutMs / 1000} s` };
    this.events.push({ kind: 'http', node, request, response });
    return response;
  }
  async transfer(to: TransferTarget): Promise<void> {
    this.events.push({ kind: 'transfer', to });
  }
  async voicemail(extension: string): Promise<void> {
    this.events.push({ kind: 'voicemail', extension });
  }
  async hangup(): Promise<void> {
    this.events.push({ kind: 'hangup' });
  }
  async fallback(reason: string): Promise<void> {
    this.events.push({ kind: 'fallback', reason });
  }
  now(): number {
    return this.s.at;
  }
}

/** The variables every call starts with (the same names real calls get: flow-call.ts). */
export const startVars = (callerNumber: string, calledNumber: string): Record<string, string> => ({ caller_number: callerNumber, called_number: calledNumber });

export async function simulate(def: FlowDefinition, s: Scenario, o: Omit<RunOptions, 'vars'>): Promise<RunResult & { events: SimEvent[] }> {
  const call = new SimulatedCall(s);
  const result = await runFlow(def, call, { ...o, vars: startVars(s.callerNumber, s.calledNumber) });
  return { ...result, events: call.events };
}
