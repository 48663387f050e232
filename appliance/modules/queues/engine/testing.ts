import { createAcd } from './acd.js';
import type { Candidate, PickContext } from './strategies/index.js';
import type { AcdEvent, AgentConfig, CallEntry, Decision, QueueConfig } from './types.js';

// Small builders for the engine's and the strategies' tests.

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

export const queueCfg = (id: number, over: Partial<QueueConfig> = {}): QueueConfig => ({
  id, name: `q${id}`, strategy: 'longest_idle', skillId: null, ringTimeoutS: 20, wrapUpS: 0, requireDisposition: false,
  missesBeforeBreak: 3, stickyWindowS: 3600, maxWaitS: null, overflow: { kind: 'hangup' }, maxLength: null,
  whenFull: { kind: 'hangup' }, noAgents: 'wait', ...over,
});

/** Member of `queues`, at positions 1, 2 ... in the order given unless positions are given. */
export const agentCfg = (id: number, queues: readonly number[] | AgentConfig['queues'], skills: Record<number, number> = {}): AgentConfig => ({
  id, name: `a${id}`, skills,
  queues: queues.map((q) => (typeof q === 'number' ? { queueId: q, position: id } : q)),
});

export type Of<K extends Decision['kind']> = Extract<Decision, { kind: K }>;
export const only = <K extends Decision['kind']>(ds: readonly Decision[], kind: K): Of<K>[] => ds.filter((d): d is Of<K> => d.kind === kind);
/** [callId, agentId] of every offer, in order. */
export const offered = (ds: readonly Decision[]): [string, number][] => only(ds, 'offer').map((d) => [d.callId, d.agentId]);
export const kinds = (ds: readonly Decision[]): string[] => ds.map((d) => d.kind);

export interface WorldSetup {
  queues: QueueConfig[];
  agents: AgentConfig[];
  /** Agents logged in with their device up, in this order, 1 s apart (longest idle = first). Default: all. */
  ready?: number[];
  seed?: number;
}

/** An engine on a fake clock with queues and agents set up. */
export function world(setup: WorldSetup) {
  let now = T0;
  const acd = createAcd({ now: () => now, seed: setup.seed ?? 1 });
  const h = (e: AcdEvent) => acd.handle(e);
  for (const queue of setup.queues) h({ kind: 'queue.set', queue });
  for (const agent of setup.agents) h({ kind: 'agent.set', agent });
  for (const id of setup.ready ?? setup.agents.map((a) => a.id)) {
    h({ kind: 'agent.device', agentId: id, up: true });
    h({ kind: 'agent.login', agentId: id });
    now += 1000;
  }
  return {
    acd,
    h,
    get now() {
      return now;
    },
    /** Moves the clock without a tick. */
    pass(ms: number) {
      now += ms;
    },
    /** Moves the clock and ticks. */
    advance(ms: number): Decision[] {
      now += ms;
      return h({ kind: 'tick' });
    },
    enqueue: (id: string, queueId: number, over: Partial<CallEntry> = {}) => h({ kind: 'call.enqueue', call: call(id, queueId, { enteredAt: now, ...over }) }),
    answer: (callId: string, agentId: number) => h({ kind: 'offer.answered', callId, agentId }),
    fail: (callId: string, agentId: number, cause = 'NO_ANSWER') => h({ kind: 'offer.failed', callId, agentId, cause }),
    ended: (agentId: number) => h({ kind: 'call.ended', agentId }),
    ready: (agentId: number) => h({ kind: 'agent.ready', agentId }),
    state: (agentId: number) => acd.agent(agentId)?.state,
  };
}

export const call = (id: string, queueId: number, over: Partial<CallEntry> = {}): CallEntry => ({
  id, queueId, priority: 0, enteredAt: T0, caller: `+4930${id}`, callback: false, hops: 0, ...over,
});

export const cand = (id: number, over: Partial<Candidate> = {}): Candidate => ({ id, position: id, idleSince: 0, calls: 0, talkMs: 0, level: 0, ...over });

export const ctx = (over: Partial<PickContext> = {}): PickContext => ({
  queue: queueCfg(1), call: call('c1', 1), now: T0, random: () => 0, lastAgent: () => null, lastOffered: null, ...over,
});
