import type { TimerHeap, Timer } from './timers.js';
import type { AgentConfig, AgentState, CallEntry, Decision, QueueConfig } from './types.js';
import type { WaitingList } from './waiting-list.js';

/** The engine's mutable state, shared by its parts (agent state machine, offers, callers, dispatch, views). */

export type Pending = { state: 'not_ready'; reason: string } | { state: 'logged_out' };

export interface AgentRec {
  cfg: AgentConfig;
  state: AgentState;
  reason: string | null;
  since: number;
  deviceUp: boolean;
  /** The call offered to the agent, or taken (kept through its wrap-up, which is about that call). */
  callId: string | null;
  /** The queue of that call: its ring, wrap-up and break rules apply. */
  callQueueId: number | null;
  calls: number;
  talkMs: number;
  talkStart: number | null;
  idleSince: number;
  missed: number;
  wrapUpUntil: number | null;
  /** The timed part of the wrap-up is over (or there was none): only a missing disposition keeps the agent in it. */
  wrapUpElapsed: boolean;
  needsDisposition: boolean;
  pending: Pending | null;
  /** Where a busy agent returns to when their other call ends. */
  busyReturn: { state: 'ready' | 'not_ready' | 'wrap_up'; reason: string | null } | null;
  guard: Timer | null;
  wrapTimer: Timer | null;
  /** Running while the agent cools down after a busy or failed offer (not available). */
  cooldown: Timer | null;
}

export interface EntryRec {
  /** The engine's own copy; only `callback` changes while the entry waits. */
  call: CallEntry;
  /** Arrival order, the last tie-breaker of the serving order. */
  seq: number;
  /** Agents ringing for it now (several only for ring all). */
  offers: number[];
  /** Agents who missed it: others are tried first. */
  tried: Set<number> | null;
  maxWait: Timer | null;
}

export interface QueueRec {
  cfg: QueueConfig;
  list: WaitingList;
  /** The member offered this queue's last call (round robin continues after them). */
  lastOffered: { position: number; id: number } | null;
}

export interface World {
  /** The clock, read once per handled event so every decision of one event shares one time. */
  now: number;
  random: () => number;
  agents: Map<number, AgentRec>;
  queues: Map<number, QueueRec>;
  /** queue id → agent id → position. Kept apart from the queues so agents and queues may be set in any order. */
  members: Map<number, Map<number, number>>;
  entries: Map<string, EntryRec>;
  /** caller → the agent who last answered them (sticky), in insertion order so old ones are dropped from the front. */
  sticky: Map<string, { agentId: number; at: number }>;
  /** Restored reserved agents whose call is not (yet) waiting: call id → agent ids. */
  orphanOffers: Map<string, number[]>;
  timers: TimerHeap;
  out: Decision[];
  /** Agents that may have become available: they look for a caller before queues are served. */
  freed: Set<number>;
  /** Queues that may have an offerable caller. */
  dirty: Set<number>;
  /** Queues that may have lost their last logged-in member (noAgents: 'overflow'). */
  emptied: Set<number>;
  seq: number;
}

export const emit = (w: World, d: Decision): void => {
  w.out.push(d);
};

export const queueConfig = (w: World, id: number | null): QueueConfig | undefined => (id === null ? undefined : w.queues.get(id)?.cfg);
