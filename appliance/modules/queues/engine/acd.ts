import * as agentEvents from './agent-events.js';
import { answer, callback, dropQueue, enqueue, leave, rememberCaller, scheduleMaxWait, settleEmptied } from './callers.js';
import { dispatch } from './dispatch.js';
import { failOffer } from './offers.js';
import { mulberry32 } from './prng.js';
import { TimerHeap } from './timers.js';
import type { Acd, AcdEvent, AcdOptions, Decision, QueueConfig } from './types.js';
import { agentView, entryView, positionOf, waitingView } from './views.js';
import { WaitingList } from './waiting-list.js';
import type { AgentRec, World } from './world.js';

type Handlers = { [K in AcdEvent['kind']]: (w: World, e: Extract<AcdEvent, { kind: K }>) => void };

/** Runs `f` on the event's agent; an event about an agent the engine does not know changes nothing. */
const onAgent =
  <E extends { agentId: number }>(f: (w: World, a: AgentRec, e: E) => void) =>
  (w: World, e: E): void => {
    const a = w.agents.get(e.agentId);
    if (a) f(w, a, e);
  };

const HANDLERS: Handlers = {
  'queue.set': (w, e) => setQueue(w, e.queue),
  'queue.removed': (w, e) => {
    const q = w.queues.get(e.queueId);
    if (q) dropQueue(w, q);
  },
  'agent.set': (w, e) => agentEvents.setAgent(w, e.agent),
  'agent.removed': (w, e) => agentEvents.removeAgent(w, e.agentId),
  'agent.restore': (w, e) => agentEvents.restoreAgent(w, e),
  'agent.login': onAgent((w, a) => agentEvents.login(w, a)),
  'agent.logout': onAgent((w, a) => agentEvents.logout(w, a)),
  'agent.ready': onAgent((w, a) => agentEvents.ready(w, a)),
  'agent.not_ready': onAgent((w, a, e) => agentEvents.notReady(w, a, e.reason)),
  'agent.device': onAgent((w, a, e) => agentEvents.device(w, a, e.up)),
  'agent.busy': onAgent((w, a, e) => agentEvents.busy(w, a, e.busy)),
  'agent.hold': onAgent((w, a, e) => agentEvents.hold(w, a, e.held)),
  'agent.disposition': onAgent((w, a) => agentEvents.disposition(w, a)),
  'call.ended': onAgent((w, a) => agentEvents.callEnded(w, a)),
  'call.enqueue': (w, e) => enqueue(w, e.call),
  'call.leave': (w, e) => leave(w, e.callId, e.reason),
  'call.callback': (w, e) => callback(w, e.callId),
  'offer.answered': (w, e) => answer(w, e.callId, e.agentId),
  'offer.failed': onAgent((w, a, e) => {
    const entry = w.entries.get(e.callId);
    // Only the live offer can fail; a failure reported after we cancelled it is already settled.
    if (entry && a.state === 'reserved' && a.callId === e.callId && entry.offers.includes(a.cfg.id)) failOffer(w, entry, a, e.cause);
  }),
  'caller.agent': (w, e) => rememberCaller(w, e.caller, e.agentId, e.at),
  tick: (w) => {
    for (let t = w.timers.popDue(w.now); t; t = w.timers.popDue(w.now)) t.fire();
  },
};

/** Restoring what was, not deciding anything: these events make no offers or overflows (the next event does). */
const RESTORING: ReadonlySet<AcdEvent['kind']> = new Set(['agent.restore', 'caller.agent']);

/** A reload keeps every waiting caller and their place; only the rules change (a new max wait is re-armed). */
function setQueue(w: World, cfg: QueueConfig): void {
  const q = w.queues.get(cfg.id);
  if (!q) {
    w.queues.set(cfg.id, { cfg, list: new WaitingList(), lastOffered: null });
  } else {
    const maxWaitChanged = q.cfg.maxWaitS !== cfg.maxWaitS;
    q.cfg = cfg;
    if (maxWaitChanged) for (const e of q.list) scheduleMaxWait(w, e);
  }
  w.dirty.add(cfg.id);
}

export function createAcd(o: AcdOptions): Acd {
  const w: World = {
    now: o.now(),
    random: mulberry32(o.seed ?? 1),
    agents: new Map(),
    queues: new Map(),
    members: new Map(),
    entries: new Map(),
    sticky: new Map(),
    orphanOffers: new Map(),
    timers: new TimerHeap(),
    out: [],
    freed: new Set(),
    dirty: new Set(),
    emptied: new Set(),
    seq: 0,
  };
  return {
    handle(e: AcdEvent): Decision[] {
      w.now = o.now();
      const out: Decision[] = (w.out = []);
      (HANDLERS[e.kind] as (w: World, e: AcdEvent) => void)(w, e);
      if (!RESTORING.has(e.kind)) {
        settleEmptied(w);
        dispatch(w);
      }
      w.out = [];
      return out;
    },
    nextWakeAt: () => w.timers.peek()?.at ?? null,
    agent: (id) => {
      const a = w.agents.get(id);
      return a && agentView(a);
    },
    agents: () => [...w.agents.values()].sort((a, b) => a.cfg.id - b.cfg.id).map(agentView),
    waiting: (queueId) => waitingView(w, queueId),
    entry: (callId) => entryView(w, callId),
    position: (callId) => positionOf(w, callId),
    queue: (id) => {
      const q = w.queues.get(id)?.cfg;
      return q && { ...q };
    },
  };
}
