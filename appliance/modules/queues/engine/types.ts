/**
 * The ACD's routing engine: pure and deterministic. Events and a clock go in, decisions come out; the engine
 * never touches the switch, the database or a timer. The runner (../acd-runner.ts) feeds it what FreeSWITCH
 * and people do, carries out its decisions over the event socket, and appends them to the ledger.
 */

export const STRATEGIES = {
  longest_idle: 'Longest idle: the agent who has waited longest since their last call',
  round_robin: 'Round robin: members in turn, continuing after the last one offered',
  fewest_calls: 'Fewest calls: the agent who has answered the fewest calls since logging in',
  least_talk: 'Least talk time: the agent with the least talk time since logging in',
  ring_all: 'Ring all: every available agent at once; the first to answer takes the call',
  sequential: 'Sequential (top-down): members in their listed order, always from the top',
  random: 'Random',
  skills: 'Skills-based: the best-skilled available agent (level 10 first), then longest idle',
  sticky: 'Sticky agent: a repeat caller goes to their last agent if available, otherwise longest idle',
} as const;
export type StrategyName = keyof typeof STRATEGIES;
export const STRATEGY_NAMES = Object.keys(STRATEGIES) as StrategyName[];

export const PRIORITY_MIN = 0;
export const PRIORITY_MAX = 9;

export type AgentState = 'logged_out' | 'ready' | 'not_ready' | 'reserved' | 'talking' | 'held' | 'wrap_up' | 'busy';
export const AGENT_STATES: readonly AgentState[] = ['logged_out', 'ready', 'not_ready', 'reserved', 'talking', 'held', 'wrap_up', 'busy'];

/** The reason a ring-no-answer puts the agent on break with (a system break reason). */
export const MISSED_CALL = 'Missed call';

/** Where a caller goes when they leave a queue other than to an agent. 'queue' is carried out by the engine itself. */
export type Destination =
  | { kind: 'queue'; queueId: number }
  | { kind: 'flow'; flowId: number }
  | { kind: 'extension'; extensionId: number }
  | { kind: 'voicemail'; extensionId: number }
  | { kind: 'hangup' };

export interface QueueConfig {
  id: number;
  name: string;
  strategy: StrategyName;
  /** Members must have this skill (level 1-10) to be offered the queue's calls; null: every member qualifies. */
  skillId: number | null;
  /** Seconds an offer rings before it counts as not answered (1-90). */
  ringTimeoutS: number;
  /** Seconds of wrap-up after a call (0: straight to ready); null: until the agent says ready. */
  wrapUpS: number | null;
  /** The agent cannot leave wrap-up (by timer or by hand) before saving a disposition. */
  requireDisposition: boolean;
  /** Ring-no-answers in a row that put an agent on break (reason MISSED_CALL). */
  missesBeforeBreak: number;
  /** For the sticky strategy: how long an answered caller stays with their agent. */
  stickyWindowS: number;
  /** null: no limit. */
  maxWaitS: number | null;
  /** Where a caller goes after maxWaitS, and when noAgents is 'overflow'. */
  overflow: Destination;
  /** null: no limit. */
  maxLength: number | null;
  /** Where a caller goes when maxLength are already waiting ('hangup' means busy). */
  whenFull: Destination;
  /** When no member is logged in: callers keep waiting, or go to `overflow` (on entry, and when the last logs out). */
  noAgents: 'wait' | 'overflow';
}

export interface AgentConfig {
  id: number;
  name: string;
  /** Skill id → level 1-10. */
  skills: Readonly<Record<number, number>>;
  /** The queues the agent serves, each with the agent's position among its members (sequential strategy). */
  queues: readonly { queueId: number; position: number }[];
}

/** A caller waiting in a queue, or a callback request keeping a caller's place. */
export interface CallEntry {
  /** The caller's leg uuid (a callback keeps the uuid of the call that asked for it). */
  id: string;
  queueId: number;
  /** PRIORITY_MIN..PRIORITY_MAX; higher is served first; ties by enteredAt, then by arrival order. */
  priority: number;
  /** ms since the epoch; kept across a restart and a callback, so the caller keeps their place. */
  enteredAt: number;
  caller: string;
  callback: boolean;
  /** Queue-to-queue overflows so far (a loop guard: after MAX_HOPS the caller goes to 'hangup'). */
  hops: number;
}
export const MAX_HOPS = 5;

export type AcdEvent =
  | { kind: 'queue.set'; queue: QueueConfig }
  | { kind: 'queue.removed'; queueId: number }
  | { kind: 'agent.set'; agent: AgentConfig }
  | { kind: 'agent.removed'; agentId: number }
  /**
   * After a restart: the agent's state as it was persisted, without decisions about the past. queueId (optional): the
   * queue of the call the agent is on or wrapping up, so its wrap-up rules still apply (a timed wrap-up runs on from
   * `since`); without it a restored call ends with no wrap-up. An agent restored ready is offered at the next event.
   */
  | { kind: 'agent.restore'; agentId: number; state: AgentState; reason: string | null; since: number; callId: string | null; queueId?: number | null }
  /** Logged out → ready. */
  | { kind: 'agent.login'; agentId: number }
  /** On a call or an offer: applied when it ends. */
  | { kind: 'agent.logout'; agentId: number }
  /** From not ready, or out of wrap-up early (refused while a required disposition is missing). */
  | { kind: 'agent.ready'; agentId: number }
  /** On a call or an offer: applied when it ends. */
  | { kind: 'agent.not_ready'; agentId: number; reason: string }
  /** The agent's phone registered (up) or went away; an agent whose device is down is not offered calls. */
  | { kind: 'agent.device'; agentId: number; up: boolean }
  /** The agent is on a call that is not a queue call (busy), or it ended. */
  | { kind: 'agent.busy'; agentId: number; busy: boolean }
  | { kind: 'agent.hold'; agentId: number; held: boolean }
  /** The agent saved the disposition of their last call. */
  | { kind: 'agent.disposition'; agentId: number }
  /** A caller enters a queue (also: restored after a restart, with their original enteredAt). */
  | { kind: 'call.enqueue'; call: CallEntry }
  /** The caller left: hung up (abandoned), or pressed the exit key to voicemail. */
  | { kind: 'call.leave'; callId: string; reason: 'abandoned' | 'exit' }
  /** The caller asked to be called back: the entry stays in its place as a callback request. */
  | { kind: 'call.callback'; callId: string }
  | { kind: 'offer.answered'; callId: string; agentId: number }
  /** The offer failed with this FreeSWITCH hangup cause (NO_ANSWER, USER_BUSY, CALL_REJECTED, USER_NOT_REGISTERED ...). */
  | { kind: 'offer.failed'; callId: string; agentId: number; cause: string }
  /** The agent's queue call ended (either side hung up). */
  | { kind: 'call.ended'; agentId: number }
  /** After a restart: who last answered a caller (for the sticky strategy). */
  | { kind: 'caller.agent'; caller: string; agentId: number; at: number }
  /** Time passed: timers that are due fire (see nextWakeAt). */
  | { kind: 'tick' };

export type CancelReason = 'answered_elsewhere' | 'abandoned' | 'overflow' | 'timeout' | 'removed' | 'exit';
export type OverflowReason = 'max_wait' | 'full' | 'no_agents' | 'removed';

export type Decision =
  /** The caller is now waiting in the queue, at this position (1 = next). */
  | { kind: 'entered'; callId: string; queueId: number; position: number }
  /** Ring this agent for this call (the runner originates the agent's leg). */
  | { kind: 'offer'; callId: string; agentId: number; queueId: number; ringTimeoutS: number; callback: boolean }
  /** Stop ringing this agent for this call. */
  | { kind: 'cancel'; callId: string; agentId: number; reason: CancelReason }
  /** The agent took the call: the runner bridges it (or, for a callback, dials the customer). */
  | { kind: 'answered'; callId: string; agentId: number; queueId: number; waitMs: number; callback: boolean }
  /** An offer that was not taken; the call keeps its place. */
  | { kind: 'missed'; callId: string; agentId: number; queueId: number; cause: string }
  | { kind: 'abandoned'; callId: string; queueId: number; waitMs: number; reason: 'abandoned' | 'exit' }
  | { kind: 'callback'; callId: string; queueId: number; waitMs: number }
  /** The caller leaves the queue for `to` (a queue: the engine has already enqueued them there). */
  | { kind: 'overflow'; callId: string; queueId: number; to: Destination; reason: OverflowReason; waitMs: number }
  | { kind: 'agent'; agentId: number; from: AgentState; to: AgentState; reason: string | null };

export interface AgentView {
  id: number;
  name: string;
  state: AgentState;
  /** The break reason (not ready), or why the state changed. */
  reason: string | null;
  /** When the state began (ms). */
  since: number;
  deviceUp: boolean;
  /** The call offered to, or taken by, the agent. */
  callId: string | null;
  queueIds: number[];
  /** Calls answered and talk time since logging in (fewest calls, least talk time). */
  calls: number;
  talkMs: number;
  /** When the agent last became free (longest idle). */
  idleSince: number;
  /** Ring-no-answers in a row. */
  missed: number;
  /** When a timed wrap-up ends (null: none, or until the agent says ready). */
  wrapUpUntil: number | null;
  needsDisposition: boolean;
  /** Asked for while on a call or an offer; applied when it ends. */
  pending: { state: 'not_ready'; reason: string } | { state: 'logged_out' } | null;
  /** Offerable now: ready, device up, and not cooling down after a busy or failed offer. */
  available: boolean;
  /** When the cooldown after a busy or failed offer ends (null: not cooling down). */
  cooldownUntil: number | null;
}

export interface WaitingView {
  callId: string;
  queueId: number;
  priority: number;
  enteredAt: number;
  caller: string;
  callback: boolean;
  /** 1 = next in line. */
  position: number;
  /** Agents being offered the call now (several only for ring all). */
  offeredTo: number[];
}

/** Made by createAcd({ now, seed }) in acd.ts: `now` is the injected clock, `seed` drives the random strategy. */
export interface AcdOptions {
  now: () => number;
  seed?: number;
}

/** The engine's face. Decisions are returned in the order they are to be carried out. */
export interface Acd {
  handle(e: AcdEvent): Decision[];
  /** When the next timer is due (offer guard, wrap-up end, max wait, cooldown end); null when none. */
  nextWakeAt(): number | null;
  agent(id: number): AgentView | undefined;
  agents(): AgentView[];
  /** Waiting callers of one queue (or all), in the order they will be served. */
  waiting(queueId?: number): WaitingView[];
  entry(callId: string): CallEntry | undefined;
  /** 1 = next in line; null when not waiting. */
  position(callId: string): number | null;
  queue(id: number): QueueConfig | undefined;
}
