import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { CallControl } from '../../freeswitch/call-control.js';
import { commands, type Endpoint } from '../../freeswitch/commands.js';
import type { SwitchPort } from '../../freeswitch/switch.port.js';
import type { HangupInfo } from '../../freeswitch/switch.types.js';
import type { Logger } from '../../logger.js';
import type { Ledger, NewLedgerEntry } from '../ledger/ledger.js';
import type { AcdSource } from './acd.source.js';
import { announcement, type Speaker } from './acd-announce.js';
import { causeOf, displayName, dialable, type Offer, type Talk } from './acd-calls.js';
import { Exits } from './acd-exits.js';
import { Presence, type Phones } from './acd-presence.js';
import { Reconciler } from './acd-reconciler.js';
import type { WaitingStore } from './acd.store.js';
import { musicStream, Waiter } from './acd-waiter.js';
import { createAcd } from './engine/acd.js';
import type { Acd, AcdEvent, AgentView, Decision } from './engine/types.js';

/**
 * The ACD's hands: feeds the routing engine what FreeSWITCH and people do, carries out its decisions over the
 * event socket, appends each to the ledger and persists what a restart needs. Every decision is made by the event
 * that makes it possible (a caller entering, an agent freed, a timer the engine asked for): nothing polls. The
 * reconciler alone looks periodically, for drift.
 */
export class AcdRunner {
  readonly acd: Acd;
  readonly cc: CallControl;
  readonly log: Logger;
  private readonly offers = new Map<string, Offer>();
  /** The agent's current leg (offer or talk), by agent. */
  private readonly legs = new Map<number, string>();
  private readonly talks = new Map<string, Talk>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly names = new Map<string, string>();
  /** The last call of an agent, for the disposition saved in wrap-up. */
  private readonly lastCall = new Map<number, { callId: string; queueId: number }>();
  /** Offer legs of a controller that was restarted mid-ring: killed once the switch is back. */
  private staleLegs: string[] = [];
  /** Average talk time per queue (exponentially weighted), for the estimated wait. */
  private readonly handleMs = new Map<number, number>();
  private readonly listeners = new Set<() => void>();
  private readonly endListeners = new Set<(t: Talk) => void>();
  private readonly off: (() => void)[] = [];
  private readonly presence: Presence;
  private readonly reconciler: Reconciler;
  private readonly exits: Exits;
  private timer: NodeJS.Timeout | null = null;
  private wakeAt: number | null = null;

  constructor(
    private readonly d: {
      sw: SwitchPort;
      source: AcdSource;
      store: WaitingStore;
      ledger: Ledger;
      phones: Phones & { seeded(): Promise<void> };
      speaker: Speaker;
      clock: Clock;
      log: Logger;
      reconcileEveryMs?: number;
    },
  ) {
    this.acd = createAcd({ now: () => d.clock.now() });
    this.cc = new CallControl(d.sw);
    this.log = d.log.child({ module: 'acd' });
    this.presence = new Presence({ sw: d.sw, phones: d.phones, source: d.source, feed: (e) => this.feed(e), agentIds: () => this.acd.agents().map((a) => a.id) });
    this.exits = new Exits({ acd: this.acd, cc: this.cc, log: this.log, source: d.source, speaker: d.speaker, feed: (e) => this.feed(e) });
    this.reconciler = new Reconciler({ runner: this, sw: d.sw, presence: this.presence, everyMs: d.reconcileEveryMs ?? 5000 });
  }

  /** Load the configuration and the persisted agent states; callers are found again once the switch is there. */
  start(): void {
    for (const q of this.d.source.queues()) this.feed({ kind: 'queue.set', queue: q });
    for (const a of this.d.source.agents()) this.feed({ kind: 'agent.set', agent: a });
    for (const s of this.d.source.states()) {
      if (s.state === 'logged_out') continue;
      if (s.state === 'reserved') {
        // The offer's outcome went to the old process: its leg is dropped and the agent is free again.
        if (s.legUuid) this.staleLegs.push(s.legUuid);
        this.feed({ kind: 'agent.restore', agentId: s.id, state: 'ready', reason: 'restart', since: this.d.clock.now(), callId: null });
        this.repair('an offer cut short by a restart was dropped', { agentId: s.id, leg: s.legUuid });
        continue;
      }
      this.feed({ kind: 'agent.restore', agentId: s.id, state: s.state, reason: s.reason, since: s.since, callId: s.callId });
      if ((s.state === 'talking' || s.state === 'held') && s.callId && s.legUuid) this.track({ callId: s.callId, agentId: s.id, queueId: 0, leg: s.legUuid, callerLeg: s.callId, number: '', answeredAt: s.since, ended: false });
      if (s.callId) this.lastCall.set(s.id, { callId: s.callId, queueId: 0 });
    }
    const sw = this.d.sw;
    this.off.push(
      sw.on('channel.hungup', (e) => this.hungup(e)),
      sw.on('dtmf.received', (e) => this.exits.key(e.uuid, e.digit)),
      sw.on('channel.held', (e) => this.hold(e.uuid, true)),
      sw.on('channel.unheld', (e) => this.hold(e.uuid, false)),
      sw.onConnection((up) => void (up && this.recover())),
    );
    this.presence.start();
    this.reconciler.start();
    this.log.info({ agents: this.acd.agents().length, waiting: this.acd.waiting().length }, 'acd started');
    if (sw.isConnected) void this.recover();
  }

  stop(): void {
    for (const f of this.off.splice(0)) f();
    this.presence.stop();
    this.reconciler.stop();
    for (const w of this.waiters.values()) w.stop();
    if (this.timer) clearTimeout(this.timer);
  }

  /** Hear of every change (the live view). */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Hear of each talk's end (the agent's call controls forget the call). */
  onTalkEnd(fn: (t: Talk) => void): () => void {
    this.endListeners.add(fn);
    return () => this.endListeners.delete(fn);
  }

  /** A caller enters a queue (from a flow's transfer node). */
  async enter(c: { uuid: string; queueId: number; priority: number; caller: string; callerName: string }): Promise<void> {
    if (!this.acd.queue(c.queueId)) throw new NotFoundError('queue.not_found', { queueId: c.queueId });
    const priority = Math.max(c.priority, this.d.source.vipPriority(c.caller));
    const enteredAt = this.d.clock.now();
    this.names.set(c.uuid, c.callerName);
    // On the channel too: after a restart, what the switch says is what counts (the table says whom to ask).
    // park_after_bridge: hold and consult take the agent out of the bridge; the caller must stay, parked, not hang up.
    const vars = this.cc.setVars(c.uuid, { callbox_queue_id: String(c.queueId), callbox_queue_at: String(enteredAt), callbox_queue_priority: String(priority), playback_terminators: 'none', park_after_bridge: 'true' });
    this.feed({ kind: 'call.enqueue', call: { id: c.uuid, queueId: c.queueId, priority, enteredAt, caller: c.caller, callback: false, hops: 0 } });
    await vars;
  }

  /** Queue configuration changed (the queues and agents services say so): the engine takes it live. */
  configChanged(c: { kind: 'queue' | 'agent'; id: number; removed: boolean }): void {
    if (c.kind === 'queue') {
      const q = c.removed ? undefined : this.d.source.queues().find((x) => x.id === c.id);
      this.feed(q ? { kind: 'queue.set', queue: q } : { kind: 'queue.removed', queueId: c.id });
      return;
    }
    const a = c.removed ? undefined : this.d.source.agents().find((x) => x.id === c.id);
    this.feed(a ? { kind: 'agent.set', agent: a } : { kind: 'agent.removed', agentId: c.id });
    if (a) this.presence.device(a.id);
  }

  // What agents (and supervisors for them) do from the console. Each answers with the agent's state after it.

  login(agentId: number, by: string): AgentView {
    return this.act(agentId, by, { kind: 'agent.login', agentId }, (a) => a.state !== 'logged_out');
  }
  logout(agentId: number, by: string): AgentView {
    return this.act(agentId, by, { kind: 'agent.logout', agentId }, (a) => a.state === 'logged_out' || a.pending?.state === 'logged_out');
  }
  ready(agentId: number, by: string): AgentView {
    // Ready, or already ringing (a waiting caller is offered the moment the agent is free), or out of wrap-up into
    // the break they asked for during the call.
    const before = this.acd.agent(agentId)?.state;
    return this.act(agentId, by, { kind: 'agent.ready', agentId }, (a) => a.state === 'ready' || a.state === 'reserved' || (before === 'wrap_up' && a.state !== 'wrap_up'), (a) => (a.needsDisposition ? 'Save the disposition of the last call first.' : a.state === 'logged_out' ? 'Log in first.' : null));
  }
  notReady(agentId: number, reason: string, by: string): AgentView {
    return this.act(agentId, by, { kind: 'agent.not_ready', agentId, reason }, (a) => (a.state === 'not_ready' && a.reason === reason) || a.pending?.state === 'not_ready', (a) => (a.state === 'logged_out' ? 'Log in first.' : null));
  }
  /** The disposition of the agent's last call, saved on the call (ledger) and letting wrap-up end. */
  disposition(agentId: number, code: string, note: string, by: string): AgentView {
    const last = this.lastCall.get(agentId);
    if (!last) throw new ConflictError('agent.no_call', {}, { message: 'There is no call to save a disposition for.' });
    this.d.ledger.append({ at: this.d.clock.now(), kind: 'queue.disposition', callId: last.callId, queueId: last.queueId || null, agentId, data: { code, note, by } });
    return this.act(agentId, by, { kind: 'agent.disposition', agentId }, () => true);
  }

  /** The engine's time has come (also what tests call after moving their clock). */
  tick(): void {
    this.feed({ kind: 'tick' });
  }

  /** The agent's last queue call (for its disposition). */
  lastCallOf(agentId: number): { callId: string; queueId: number } | null {
    return this.lastCall.get(agentId) ?? null;
  }

  talkOf(uuid: string): Talk | undefined {
    return this.talks.get(uuid);
  }
  talkList(): Talk[] {
    return [...new Set(this.talks.values())];
  }
  /** The call ringing the agent now, with the caller's number and name. */
  offerOf(agentId: number): { callId: string; queueId: number; number: string; callerName: string } | undefined {
    for (const o of this.offers.values()) if (o.agentId === agentId && !o.cancelled) return { callId: o.callId, queueId: o.queueId, number: o.number, callerName: this.names.get(o.callId) ?? '' };
    return undefined;
  }
  offerLegs(): { leg: string; agentId: number; callId: string }[] {
    return [...this.offers.values()];
  }
  now(): number {
    return this.d.clock.now();
  }

  averageHandleS(queueId: number): number | null {
    const ms = this.handleMs.get(queueId);
    return ms === undefined ? null : ms / 1000;
  }
  get repairs(): number {
    return this.reconciler.repairs;
  }

  /** Feed one event to the engine and carry out what it decides. Never throws: a bad event is logged. */
  feed(e: AcdEvent, facts: NewLedgerEntry[] = []): void {
    let decisions: Decision[];
    // The decisions' time on the record is the engine's time for them (a wrap-up's length reads true to the ms).
    const at = this.d.clock.now();
    try {
      decisions = this.acd.handle(e);
    } catch (err) {
      this.log.error({ err, event: e.kind }, 'the routing engine refused an event');
      return;
    }
    // Offers go out first: the agent's phone rings before anything is written down.
    for (const d of decisions) if (d.kind === 'offer') this.carryOut(d);
    this.d.ledger.batch(() => {
      for (const f of facts) this.d.ledger.append(f);
      const touched = new Set<number>();
      for (const d of decisions) {
        this.record(d, at);
        if (d.kind !== 'offer') this.carryOut(d);
        if ('agentId' in d) touched.add(d.agentId);
      }
      for (const id of touched) this.persist(id);
    });
    this.schedule();
    if (decisions.length) for (const fn of this.listeners) fn();
  }

  /** A repair the reconciler (or recovery) made: logged and kept in the ledger. */
  repair(what: string, data: Record<string, unknown>): void {
    this.log.warn(data, `repair: ${what}`);
    this.d.ledger.append({ at: this.d.clock.now(), kind: 'acd.repair', callId: (data.callId as string) ?? null, agentId: (data.agentId as number) ?? null, data: { what, ...data } });
  }

  /** The agent's talk now, if any. */
  talkOfAgent(agentId: number): Talk | undefined {
    const leg = this.legs.get(agentId);
    const t = leg ? this.talks.get(leg) : undefined;
    return t && t.agentId === agentId ? t : undefined;
  }

  /**
   * The agent handed the caller on (a transfer): the talk ends for the agent, who is dropped, while the caller's
   * leg is left to where it was sent.
   */
  handOff(t: Talk, to: Record<string, unknown>): void {
    this.endTalk(t, 'transfer', [t.leg], to);
  }

  /** A talk whose legs are gone, ended as if by a hangup. */
  endTalk(t: Talk, by: 'caller' | 'agent' | 'switch' | 'transfer', drop: (string | null)[] = t.conference ? (by === 'agent' ? [] : [t.leg]) : [t.leg, t.callerLeg], extra: Record<string, unknown> = {}): void {
    if (t.ended) return;
    t.ended = true;
    this.talks.delete(t.leg);
    if (t.callerLeg) this.talks.delete(t.callerLeg);
    if (this.legs.get(t.agentId) === t.leg) this.legs.delete(t.agentId);
    const talkMs = this.d.clock.now() - t.answeredAt;
    const avg = this.handleMs.get(t.queueId);
    if (t.queueId) this.handleMs.set(t.queueId, avg === undefined ? talkMs : avg * 0.8 + talkMs * 0.2);
    this.lastCall.set(t.agentId, { callId: t.callId, queueId: t.queueId });
    // The agent is free (or wrapping up) at once; their next offer may leave in this same turn.
    this.feed({ kind: 'call.ended', agentId: t.agentId }, [{ at: this.d.clock.now(), kind: 'queue.end', callId: t.callId, queueId: t.queueId || null, agentId: t.agentId, data: { by, talkMs, ...extra } }]);
    // Whoever stays on the line is not left in a dead call.
    for (const u of drop) if (u) void this.cc.hangup(u).catch(() => undefined);
    for (const fn of this.endListeners) fn(t);
  }

  private act(agentId: number, by: string, e: AcdEvent, done: (a: AgentView) => boolean, why: (a: AgentView) => string | null = () => null): AgentView {
    if (!this.acd.agent(agentId)) throw new NotFoundError('agent.not_found', { agentId });
    this.feed(e);
    const after = this.acd.agent(agentId)!;
    if (!done(after)) throw new ConflictError('agent.state_refused', { state: after.state }, { message: why(after) ?? `Not possible while ${after.state.replace('_', ' ')}.` });
    this.d.ledger.append({ at: this.d.clock.now(), kind: 'agent.action', agentId, data: { action: e.kind, by, ...('reason' in e ? { reason: e.reason } : {}) } });
    return after;
  }

  private record(d: Decision, at: number): void {
    const { kind, ...data } = d;
    // The end of an agent's wrap-up belongs to the call it followed: the call's record measures wrap-up from it.
    const callId = 'callId' in d ? d.callId : d.kind === 'agent' && d.from === 'wrap_up' ? (this.lastCall.get(d.agentId)?.callId ?? null) : null;
    const queueId = 'queueId' in d ? d.queueId : null;
    const agentId = 'agentId' in d ? d.agentId : null;
    // Who called goes on the record where the call starts and where an agent takes it (call records, histories).
    if (d.kind === 'entered') Object.assign(data, { caller: this.acd.entry(d.callId)?.caller ?? '' });
    if (d.kind === 'answered') Object.assign(data, { caller: [...this.offers.values()].find((o) => o.callId === d.callId && o.agentId === d.agentId)?.number ?? '' });
    this.d.ledger.append({ at, kind: kind === 'agent' ? 'agent.state' : `queue.${kind}`, callId, queueId, agentId, data });
  }

  private carryOut(d: Decision): void {
    switch (d.kind) {
      case 'entered':
        return this.entered(d.callId);
      case 'offer':
        return void this.ring(d);
      case 'cancel': {
        const o = [...this.offers.values()].find((x) => x.callId === d.callId && x.agentId === d.agentId);
        if (!o) return;
        o.cancelled = true;
        void this.cc.hangup(o.leg, 'ORIGINATOR_CANCEL').catch((err: unknown) => this.log.debug({ err, leg: o.leg }, 'offer leg already gone'));
        return;
      }
      case 'answered':
        return void this.connect(d);
      case 'abandoned':
        return this.leave(d.callId);
      case 'callback':
        this.d.store.callback(d.callId);
        this.waiters.get(d.callId)?.stop();
        this.waiters.delete(d.callId);
        return;
      case 'overflow':
        if (d.to.kind === 'queue') return;
        this.leave(d.callId);
        return void this.exits.send(d.callId, d.to, d.reason);
      case 'missed':
      case 'agent':
        return;
    }
  }

  /** Waiting now (entered, or moved by an overflow): kept in the table, with music and announcements. */
  private entered(callId: string): void {
    const entry = this.acd.entry(callId);
    if (!entry) return;
    this.d.store.put({ ...entry, callerName: this.names.get(callId) ?? '' });
    if (entry.callback) return;
    const media = this.d.source.media(entry.queueId);
    const music = musicStream(media?.musicPromptId ?? null);
    const existing = this.waiters.get(callId);
    if (existing) return existing.retune(music, media?.announceEveryS ?? 0);
    const w = new Waiter({ uuid: callId, cc: this.cc, log: this.log, music, everyS: media?.announceEveryS ?? 0, announcement: () => announcement(this, callId, this.d.source, this.d.speaker) });
    this.waiters.set(callId, w);
    w.start();
  }

  private leave(callId: string): void {
    this.d.store.remove(callId);
    this.names.delete(callId);
    this.waiters.get(callId)?.stop();
    this.waiters.delete(callId);
  }

  /** Ring the agent: a new leg of our own uuid, showing the caller's number and the queue; answered, it is bridged. */
  private async ring(d: Extract<Decision, { kind: 'offer' }>): Promise<void> {
    const leg = randomUUID();
    const caller = this.acd.entry(d.callId)?.caller ?? '';
    const o: Offer = { leg, callId: d.callId, agentId: d.agentId, queueId: d.queueId, number: caller, cancelled: false };
    this.offers.set(leg, o);
    this.legs.set(d.agentId, leg);
    try {
      // Synchronous once the domain is known: the originate leaves in the same turn as the decision.
      const to = this.endpoint(d.agentId, this.cc.domainNow ?? (await this.cc.domain()));
      const queue = this.d.source.media(d.queueId)?.name ?? 'Queue';
      await this.d.sw.bgapi(
        commands.originate({
          uuid: leg,
          to,
          app: 'park',
          timeoutSeconds: d.ringTimeoutS,
          vars: {
            origination_caller_id_number: dialable(caller) ? caller : 'anonymous',
            origination_caller_id_name: displayName(d.callback ? `Callback ${queue}` : `${queue} ${this.names.get(d.callId) ?? ''}`),
            callbox_agent_id: d.agentId,
            callbox_queue_id: d.queueId,
            callbox_queue_call: d.callId,
            ignore_early_media: 'true',
            // The agent's leg outlives a bridge (hold, consult): the controller decides when it ends.
            park_after_bridge: 'true',
          },
        }),
        (d.ringTimeoutS + 15) * 1000,
      );
      if (o.cancelled) {
        // Answered just as the caller left or another agent took it: the agent hears nothing and hangs up.
        this.offers.delete(leg);
        if (this.legs.get(d.agentId) === leg) this.legs.delete(d.agentId);
        await this.cc.hangup(leg).catch(() => undefined);
        return;
      }
      // The offer is still on record while the answer is carried out (connect reads the caller's number from it).
      this.feed({ kind: 'offer.answered', callId: d.callId, agentId: d.agentId });
      this.offers.delete(leg);
    } catch (err) {
      this.offers.delete(leg);
      if (this.legs.get(d.agentId) === leg) this.legs.delete(d.agentId);
      if (o.cancelled) return;
      const cause = causeOf(err);
      this.log.info({ agentId: d.agentId, callId: d.callId, cause }, 'offer not taken');
      this.feed({ kind: 'offer.failed', callId: d.callId, agentId: d.agentId, cause });
    }
  }

  private endpoint(agentId: number, domain: string): Endpoint {
    const dev = this.d.source.device(agentId);
    if (!dev) throw Object.assign(new Error('the agent has no device'), { cause: 'UNALLOCATED_NUMBER' });
    // An external number goes through the outbound routes and their limits, like any call out.
    if (dev.kind === 'external') return { kind: 'loopback', extension: dev.number, context: 'internal' };
    return { kind: 'user', extension: dev.extension, domain };
  }

  /** The agent answered: bridge them to the caller, or for a callback, dial the customer from the agent's leg. */
  private async connect(d: Extract<Decision, { kind: 'answered' }>): Promise<void> {
    const leg = this.legs.get(d.agentId);
    if (!leg) return;
    const number = this.offers.get(leg)?.number ?? '';
    const t: Talk = { callId: d.callId, agentId: d.agentId, queueId: d.queueId, leg, callerLeg: d.callback ? null : d.callId, number, callerName: this.names.get(d.callId) ?? '', answeredAt: this.d.clock.now(), ended: false };
    this.track(t);
    this.persist(d.agentId);
    try {
      if (!d.callback) {
        this.leave(d.callId);
        await this.d.sw.api(commands.uuidBridge(d.callId, leg));
        return;
      }
      this.d.store.remove(d.callId);
      if (!dialable(number)) throw new Error(`callback number ${JSON.stringify(number)} cannot be dialled`);
      this.d.ledger.append({ at: this.d.clock.now(), kind: 'queue.callback_dial', callId: d.callId, queueId: d.queueId, agentId: d.agentId, data: { number } });
      await this.cc.setVars(leg, { callbox_call_class: 'national', callbox_extension: `agent${d.agentId}`, effective_caller_id_number: number });
      await this.cc.transfer(leg, number, 'internal');
    } catch (err) {
      this.log.warn({ err, callId: d.callId, agentId: d.agentId }, 'could not connect the answered offer');
      this.endTalk(t, 'switch');
    }
  }

  private track(t: Talk): void {
    this.talks.set(t.leg, t);
    if (t.callerLeg) this.talks.set(t.callerLeg, t);
    this.legs.set(t.agentId, t.leg);
  }

  /** A leg hung up: the end of a talk, or a waiting caller who gave up. An offer's leg reports through originate. */
  private hungup(e: HangupInfo): void {
    const t = this.talks.get(e.uuid);
    if (t) {
      // Both legs' hangups arrive, in either order: the one that received the BYE says who hung up.
      const received = e.disposition === null || e.disposition.startsWith('recv_');
      const agentLeg = e.uuid === t.leg;
      return this.endTalk(t, agentLeg === received ? 'agent' : 'caller');
    }
    if (this.offers.has(e.uuid)) return;
    const entry = this.acd.entry(e.uuid);
    if (entry && !entry.callback) this.feed({ kind: 'call.leave', callId: e.uuid, reason: 'abandoned' });
  }

  private hold(uuid: string, held: boolean): void {
    const t = this.talks.get(uuid);
    if (t) this.feed({ kind: 'agent.hold', agentId: t.agentId, held });
  }

  /** After a (re)connect: drop stale offer legs, find talks and waiting callers again, and reconcile. */
  private async recover(): Promise<void> {
    await this.d.phones.seeded();
    this.presence.all();
    for (const leg of this.staleLegs.splice(0)) await this.cc.hangup(leg, 'ORIGINATOR_CANCEL').catch(() => undefined);
    const channels = await this.reconciler.channels();
    if (!channels) return;
    for (const row of this.d.store.all()) {
      if (this.acd.entry(row.id)) continue;
      if (!row.callback && !channels.has(row.id)) {
        this.d.store.remove(row.id);
        this.d.ledger.append({ at: this.d.clock.now(), kind: 'queue.abandoned', callId: row.id, queueId: row.queueId, data: { waitMs: this.d.clock.now() - row.enteredAt, reason: 'abandoned', during: 'restart' } });
        continue;
      }
      this.names.set(row.id, row.callerName);
      this.log.info({ callId: row.id, queueId: row.queueId }, 'a waiting caller was found again after a restart');
      this.feed({ kind: 'call.enqueue', call: { id: row.id, queueId: row.queueId, priority: row.priority, enteredAt: row.enteredAt, caller: row.caller, callback: row.callback, hops: row.hops } });
    }
    await this.reconciler.run(channels);
  }

  private persist(agentId: number): void {
    const a = this.acd.agent(agentId);
    if (!a) return;
    this.d.source.saveState(agentId, { state: a.state, reason: a.reason, since: a.since, callId: a.callId, legUuid: this.legs.get(agentId) ?? null });
  }

  /** One timer, at the engine's next due time. */
  private schedule(): void {
    const at = this.acd.nextWakeAt();
    if (at === this.wakeAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wakeAt = at;
    if (at === null) return;
    this.timer = setTimeout(() => {
      this.wakeAt = null;
      this.tick();
    }, Math.max(0, at - this.d.clock.now()));
    this.timer.unref();
  }
}
