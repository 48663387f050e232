import type { CallEntry, QueueConfig, StrategyName } from '../types.js';

/**
 * A routing strategy: given the available, qualified members of a queue (never empty), choose who is offered the
 * call. The engine has already narrowed the candidates (available, member, skill, and those who have not missed
 * this call when there are any), so a strategy is only an ordering. One file per strategy, one entry in index.ts.
 */
export interface Strategy {
  readonly name: StrategyName;
  /** Offer a (live) call to every candidate at once. Callbacks still go to the one `pick` chooses. */
  readonly ringsAll: boolean;
  pick(candidates: readonly Candidate[], ctx: PickContext): Candidate;
}

/** An available, qualified member of the queue, as a strategy sees them. */
export interface Candidate {
  readonly id: number;
  /** The agent's position among the queue's members (sequential, round robin). */
  readonly position: number;
  /** When the agent last became free after a call (longest idle). */
  readonly idleSince: number;
  /** Calls answered and talk time since logging in. */
  readonly calls: number;
  readonly talkMs: number;
  /** The agent's level (1-10) in the queue's skill; 0 when the queue asks for none. */
  readonly level: number;
}

export interface PickContext {
  readonly queue: QueueConfig;
  readonly call: CallEntry;
  readonly now: number;
  /** [0, 1) from the engine's seeded generator. */
  random(): number;
  /** The agent who last answered this caller within the queue's sticky window, or null. */
  lastAgent(): number | null;
  /** The member offered this queue's previous call, or null. */
  readonly lastOffered: { readonly position: number; readonly id: number } | null;
}

export type Order = (a: Candidate, b: Candidate) => number;

/** The first candidate by `order`; the agent id breaks remaining ties, so the choice never depends on input order. */
export function first(candidates: readonly Candidate[], order: Order): Candidate {
  let best = candidates[0]!;
  for (let i = 1; i < candidates.length; i++) {
    const c = candidates[i]!;
    const o = order(c, best);
    if (o < 0 || (o === 0 && c.id < best.id)) best = c;
  }
  return best;
}

export const byIdle: Order = (a, b) => a.idleSince - b.idleSince;
export const byPosition: Order = (a, b) => a.position - b.position || a.id - b.id;
