import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { CallControl } from '../../freeswitch/call-control.js';
import { commands, type Endpoint } from '../../freeswitch/commands.js';
import type { SwitchPort } from '../../freeswitch/switch.port.js';
import type { HangupInfo } from '../../freeswitch/switch.types.js';
import type { Logger } from '../../logger.js';
import type { AgentDevice } from '../agents/agents.types.js';
import type { Ledger } from '../ledger/ledger.js';
import { causeOf, type Talk } from '../queues/acd-calls.js';
import type { AcdRunner } from '../queues/acd-runner.js';
import { describe, DIALABLE, type Desk, type Target } from './desk.js';

/** What the call controls need to know of agents, queues and flows. */
export interface CallsDirectory {
  device(agentId: number): AgentDevice | null;
  /** The class of calls the agent's extension may place (outbound routes check it). */
  callClass(agentId: number): string;
  /** The caller IDs the agent may show: the outbound numbers of the agent's queues. */
  callerIds(agentId: number): string[];
  agentName(id: number): string | null;
  queueName(id: number): string | null;
  flowName(id: number): string | null;
  extensionExists(number: string): boolean;
  /** The music callers on hold hear (the queue's, or the default). */
  music(queueId: number | null): string;
}

const RINGBACK = 'tone_stream://%(2000,4000,440,480);loops=-1';

/**
 * The agent's call controls, the same for a desk phone and the browser phone: every one acts on the legs through
 * the event socket. Hold, consultation and the three-way call take the legs out of their bridge and put them
 * together again (both legs outlive a bridge: park_after_bridge), so no phone has to understand a re-INVITE.
 */
export class AgentCalls {
  private readonly cc: CallControl;
  private readonly desks = new Map<number, Desk>();
  /** Legs handed on together (a completed transfer): when one ends, the other is hung up. */
  private readonly pairs = new Map<string, string>();
  private readonly off: (() => void)[] = [];
  private readonly listeners = new Set<(agentId: number) => void>();

  constructor(
    private readonly d: { sw: SwitchPort; runner: AcdRunner; ledger: Ledger; dir: CallsDirectory; clock: Clock; log: Logger },
  ) {
    this.cc = new CallControl(d.sw);
  }

  start(): void {
    this.off.push(
      this.d.sw.on('channel.hungup', (e) => this.hungup(e)),
      this.d.runner.onTalkEnd((t) => this.talkEnded(t)),
    );
  }

  stop(): void {
    for (const f of this.off.splice(0)) f();
  }

  /** Hear of each change to an agent's call (the workbench's stream). */
  onChange(fn: (agentId: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The agent's call now: an outbound call, or the queue call they are talking on. */
  desk(agentId: number): Desk | null {
    const own = this.desks.get(agentId);
    const t = this.d.runner.talkOfAgent(agentId);
    // A queue call's desk lasts as long as the ACD's talk (its end is also heard, but never trusted alone).
    if (own && (own.direction === 'outbound' || t?.callId === own.callId)) return own;
    if (own) this.desks.delete(agentId);
    if (!t || !t.callerLeg) return null;
    const d: Desk = { agentId, callId: t.callId, direction: 'inbound', agentLeg: t.leg, customerLeg: t.callerLeg, number: t.number, callerId: null, queueId: t.queueId || null, state: 'talking', muted: false, consult: null, since: t.answeredAt };
    this.desks.set(agentId, d);
    return d;
  }

  /** The caller IDs the agent may choose when they dial out. */
  callerIds(agentId: number): string[] {
    return this.d.dir.callerIds(agentId);
  }

  async hold(agentId: number, by: string): Promise<void> {
    const d = this.talking(agentId, ['talking']);
    // The caller leaves the bridge to music; the agent's leg parks (silence) until they take the caller back.
    await this.cc.park(d.customerLeg!);
    await this.d.sw.api(commands.uuidBroadcast(d.customerLeg!, this.d.dir.music(d.queueId)));
    this.set(d, { state: 'held' }, 'call.hold', by);
  }

  async unhold(agentId: number, by: string): Promise<void> {
    const d = this.talking(agentId, ['held']);
    await this.cc.stopMedia(d.customerLeg!);
    await this.cc.bridge(d.customerLeg!, d.agentLeg);
    this.set(d, { state: 'talking' }, 'call.unhold', by);
  }

  async mute(agentId: number, on: boolean, by: string): Promise<void> {
    const d = this.talking(agentId, ['talking', 'held', 'consulting', 'conference']);
    await this.d.sw.api(commands.uuidMute(d.agentLeg, on));
    this.set(d, { muted: on }, on ? 'call.mute' : 'call.unmute', by);
  }

  /** Keys to the customer's side (an IVR the agent called, a conference bridge's PIN). */
  async dtmf(agentId: number, digits: string, by: string): Promise<void> {
    if (!/^[0-9*#]{1,32}$/.test(digits)) throw new ValidationError('call.bad_digits', { digits: 'Use the keys 0-9, * and #.' }, 'Use the keys 0-9, * and #.');
    const d = this.talking(agentId, ['talking', 'conference']);
    await this.d.sw.api(commands.uuidSendDtmf(d.customerLeg!, digits));
    this.d.ledger.append({ at: this.d.clock.now(), kind: 'call.dtmf', callId: d.callId, agentId, data: { count: digits.length, by } });
  }

  /** Blind transfer: the customer goes to the target and the agent is free. */
  async transfer(agentId: number, target: Target, by: string): Promise<void> {
    const d = this.talking(agentId, ['talking', 'held']);
    const to = this.check(target, agentId);
    const customer = d.customerLeg!;
    const talk = this.d.runner.talkOfAgent(agentId);
    await this.cc.stopMedia(customer).catch(() => undefined);
    if (target.kind === 'queue') {
      await this.cc.park(customer);
      this.release(d, talk, { transfer: to, attended: false }, by);
      await this.d.runner.enter({ uuid: customer, queueId: target.id, priority: 0, caller: d.number, callerName: '' });
      return;
    }
    // Wherever the caller goes now, its next bridge ends the call as usual.
    const vars: Record<string, string> = { park_after_bridge: 'false', ...this.outside(agentId, d) };
    // Out of the queue's hands, so the flow runner takes the caller's park as an entry.
    if (target.kind === 'flow') Object.assign(vars, { callbox_flow_id: String(target.id), callbox_queue_id: '' });
    await this.cc.setVars(customer, vars);
    this.release(d, talk, { transfer: to, attended: false }, by);
    const [ext, ctx] = target.kind === 'flow' ? ['enter', 'callbox'] : [this.number(target), 'internal'];
    await this.cc.transfer(customer, ext, ctx);
  }

  /** Attended transfer, first step: the customer hears music while the agent talks to the target. */
  async consult(agentId: number, target: Target, by: string): Promise<void> {
    const d = this.talking(agentId, ['talking', 'held']);
    if (target.kind === 'queue' || target.kind === 'flow') throw new ValidationError('call.bad_consult', { target: 'Consult a person: an agent, an extension or a number.' }, 'Consult a person: an agent, an extension or a number.');
    const to = this.check(target, agentId);
    if (d.state === 'talking') await this.hold(agentId, by);
    const leg = randomUUID();
    this.set(d, { state: 'consulting', consult: { leg, to, answered: false } }, 'call.consult', by, { to });
    // The answer (or its failure) comes later, and the page hears of it.
    void this.ringConsult(d, target, leg, to, by);
  }

  private async ringConsult(d: Desk, target: Target, leg: string, to: string, by: string): Promise<void> {
    // No ringback for the agent here: a broadcast sent while their leg leaves the customer's bridge for park can
    // hang that leg's thread, and the bridge to the person consulted then never happens (reproduced on FreeSWITCH
    // 1.10.12 under load). The workbench shows "Calling …" meanwhile.
    try {
      const vars = { ...(target.kind === 'external' ? this.outside(d.agentId, d) : {}), origination_caller_id_number: (d.callerId ?? d.number).replace(/^\+/, '') || 'anonymous', park_after_bridge: 'true', callbox_consult_of: d.callId };
      await this.d.sw.bgapi(commands.originate({ uuid: leg, to: await this.endpoint(target), app: 'park', timeoutSeconds: 40, vars }), 55_000);
    } catch (err) {
      // Not reached: back to the customer, who was only waiting.
      if (d.consult?.leg === leg) {
        this.d.log.info({ agentId: d.agentId, err: (err as Error).message }, 'consultation not answered');
        d.consult = null;
        await this.back(d, by, 'not answered').catch((e: unknown) => this.d.log.warn({ err: e }, 'could not take the caller back'));
      }
      return;
    }
    if (d.consult?.leg !== leg) return void this.cc.hangup(leg).catch(() => undefined);
    this.d.log.debug({ agentId: d.agentId, leg }, 'consultation answered: joining the agent');
    try {
      await this.cc.stopMedia(d.agentLeg).catch(() => undefined);
      await this.cc.bridge(d.agentLeg, leg);
      this.set(d, { consult: { leg, to, answered: true } });
    } catch (err) {
      this.d.log.warn({ err, agentId: d.agentId }, 'could not join the agent to the person consulted');
    }
  }

  /** Attended transfer, done: the customer and the target talk; the agent is free. */
  async complete(agentId: number, by: string): Promise<void> {
    const d = this.talking(agentId, ['consulting']);
    const c = d.consult;
    if (!c?.answered) throw new ConflictError('call.consult_ringing', {}, { message: 'The person you are consulting has not answered yet.' });
    const customer = d.customerLeg!;
    await this.cc.stopMedia(customer);
    await this.cc.setVars(customer, { park_after_bridge: 'false' });
    await this.cc.setVars(c.leg, { park_after_bridge: 'false' });
    this.pairs.set(customer, c.leg).set(c.leg, customer);
    await this.cc.bridge(customer, c.leg);
    this.release(d, this.d.runner.talkOfAgent(agentId), { transfer: c.to, attended: true }, by);
  }

  /** Attended transfer, called off: the target is hung up and the agent has the customer back. */
  async cancel(agentId: number, by: string): Promise<void> {
    const d = this.talking(agentId, ['consulting']);
    const leg = d.consult!.leg;
    d.consult = null;
    await this.cc.hangup(leg).catch(() => undefined);
    await this.back(d, by, 'cancelled');
  }

  /** Three-way: the customer, the agent and the person consulted in one room. */
  async conference(agentId: number, by: string): Promise<void> {
    const d = this.talking(agentId, ['consulting']);
    const c = d.consult;
    if (!c?.answered) throw new ConflictError('call.consult_ringing', {}, { message: 'The person you are consulting has not answered yet.' });
    const room = `callbox-${randomUUID().slice(0, 8)}`;
    const talk = this.d.runner.talkOfAgent(agentId);
    if (talk) talk.conference = true;
    await this.cc.stopMedia(d.customerLeg!);
    // In the room the legs end with it (below two members), not parked.
    for (const leg of [d.customerLeg!, c.leg, d.agentLeg]) {
      await this.cc.setVars(leg, { park_after_bridge: 'false' });
      await this.d.sw.api(commands.uuidConference(leg, room));
    }
    this.set(d, { state: 'conference', consult: null }, 'call.conference', by, { with: c.to, room });
    this.pairs.set(c.leg, d.agentLeg);
  }

  /** The agent hangs up their side (the browser phone does it itself; this is the desk phone's button). */
  async hangup(agentId: number, by: string): Promise<void> {
    const d = this.desk(agentId);
    if (!d) throw new ConflictError('call.none', {}, { message: 'You are not on a call.' });
    this.d.ledger.append({ at: this.d.clock.now(), kind: 'call.hangup', callId: d.callId, agentId, data: { by } });
    // Said here, since the legs' hangups cannot tell this from the customer hanging up: either way the switch sends
    // the agent's phone the BYE.
    const talk = d.direction === 'inbound' ? this.d.runner.talkOfAgent(agentId) : undefined;
    if (talk) return this.d.runner.endTalk(talk, 'agent', talk.conference ? [talk.leg] : [talk.leg, talk.callerLeg]);
    d.hungUpByAgent = true;
    await this.cc.hangup(d.agentLeg);
  }

  /**
   * An outbound call: the agent's phone rings first (answering by itself where it can), then the customer is
   * dialled through the outbound routes, with their class and limits, showing the caller ID chosen.
   */
  async dial(agentId: number, number: string, callerId: string | null, by: string): Promise<{ callId: string }> {
    const n = number.replace(/[\s().-]/g, '');
    if (!DIALABLE.test(n)) throw new ValidationError('call.bad_number', { number: 'Enter a number: digits, optionally after a +.' }, 'Enter a number: digits, optionally after a +.');
    const allowed = this.callerIds(agentId);
    if (callerId !== null && !allowed.includes(callerId)) throw new ValidationError('call.bad_caller_id', { callerId: 'Choose one of your queues\u2019 numbers.' }, 'That caller ID is not one of your queues\u2019 numbers.');
    const state = this.d.runner.acd.agent(agentId)?.state;
    if (!state || state === 'logged_out') throw new ConflictError('call.logged_out', {}, { message: 'Log in first.' });
    if (this.desk(agentId) || state === 'reserved' || state === 'talking' || state === 'held') throw new ConflictError('call.busy', {}, { message: 'Finish your current call first.' });
    const dev = this.d.dir.device(agentId);
    if (!dev) throw new ConflictError('call.no_device', {}, { message: 'You have no phone set up.' });
    const cid = callerId ?? allowed[0] ?? null;
    const leg = randomUUID();
    const d: Desk = { agentId, callId: leg, direction: 'outbound', agentLeg: leg, customerLeg: null, number: n, callerId: cid, queueId: null, state: 'dialing', muted: false, consult: null, since: this.d.clock.now() };
    this.desks.set(agentId, d);
    // Busy from now, not from when the phone's channel shows up: no queue call may slip in between.
    this.d.runner.feed({ kind: 'agent.busy', agentId, busy: true });
    this.d.ledger.append({ at: d.since, kind: 'call.outbound', callId: leg, agentId, data: { number: n, callerId: cid, by } });
    this.changed(agentId);
    void this.place(d, dev);
    return { callId: leg };
  }

  private async place(d: Desk, dev: AgentDevice): Promise<void> {
    const agentTo: Endpoint = dev.kind === 'extension' ? { kind: 'user', extension: dev.extension, domain: await this.cc.domain() } : { kind: 'loopback', extension: dev.number, context: 'internal' };
    try {
      // Not callbox_agent_id: this is not a queue call, so the ACD counts the agent busy while it lasts. Auto-answer
      // without the NOTIFY (Event: talk) that some phones, and sipp, refuse.
      await this.d.sw.bgapi(
        commands.originate({ uuid: d.agentLeg, to: agentTo, app: 'park', timeoutSeconds: 30, vars: { origination_caller_id_number: d.number.replace(/^\+/, ''), origination_caller_id_name: 'Outbound', sip_auto_answer: 'true', sip_auto_answer_suppress_notify: 'true', 'sip_h_X-Callbox-Auto-Answer': '1', callbox_agent_call: d.agentId, park_after_bridge: 'true' } }),
        45_000,
      );
    } catch (err) {
      return this.failed(d, err, 'agent');
    }
    if (this.desks.get(d.agentId) !== d) return;
    await this.d.sw.api(commands.uuidBroadcast(d.agentLeg, RINGBACK)).catch(() => undefined);
    const customer = randomUUID();
    d.customerLeg = customer;
    try {
      await this.d.sw.bgapi(commands.originate({ uuid: customer, to: { kind: 'loopback', extension: d.number, context: 'internal' }, app: 'park', timeoutSeconds: 60, vars: { ...this.outside(d.agentId, d), park_after_bridge: 'true', callbox_agent_call: d.agentId, callbox_call: d.callId } }), 75_000);
    } catch (err) {
      return this.failed(d, err, 'customer');
    }
    if (this.desks.get(d.agentId) !== d) return void this.cc.hangup(customer).catch(() => undefined);
    await this.cc.stopMedia(d.agentLeg).catch(() => undefined);
    await this.cc.bridge(d.agentLeg, customer);
    d.since = this.d.clock.now();
    this.set(d, { state: 'talking' }, 'call.answered', null, { customerLeg: customer });
  }

  private failed(d: Desk, err: unknown, side: 'agent' | 'customer'): void {
    const cause = causeOf(err);
    this.d.log.info({ agentId: d.agentId, side, cause, err: (err as Error).message }, 'outbound call not connected');
    if (this.desks.get(d.agentId) === d) {
      this.desks.delete(d.agentId);
      this.d.ledger.append({ at: this.d.clock.now(), kind: 'call.failed', callId: d.callId, agentId: d.agentId, data: { side, cause, number: d.number } });
      this.changed(d.agentId);
    }
    // The agent's phone never had a channel (presence saw nothing to end), so the busy is lifted here.
    if (side === 'agent') this.d.runner.feed({ kind: 'agent.busy', agentId: d.agentId, busy: false });
    if (side === 'customer') void this.cc.hangup(d.agentLeg).catch(() => undefined);
  }

  private hungup(e: HangupInfo): void {
    const partner = this.pairs.get(e.uuid);
    if (partner) {
      this.pairs.delete(e.uuid);
      this.pairs.delete(partner);
      void this.cc.hangup(partner).catch(() => undefined);
    }
    for (const d of this.desks.values()) {
      if (d.consult?.leg === e.uuid && d.consult.answered) {
        // The person consulted hung up: the agent has the customer back.
        d.consult = null;
        void this.back(d, 'switch', 'hung up').catch((err: unknown) => this.d.log.warn({ err }, 'could not take the caller back'));
        return;
      }
      if (d.direction !== 'outbound' || (e.uuid !== d.agentLeg && e.uuid !== d.customerLeg)) continue;
      if (d.state === 'dialing') continue;
      this.desks.delete(d.agentId);
      const received = e.disposition === null || e.disposition.startsWith('recv_');
      const by = d.hungUpByAgent || (e.uuid === d.agentLeg) === received ? 'agent' : 'customer';
      this.d.ledger.append({ at: this.d.clock.now(), kind: 'call.end', callId: d.callId, agentId: d.agentId, data: { by, talkMs: this.d.clock.now() - d.since, cause: e.cause } });
      for (const u of [d.agentLeg, d.customerLeg, d.consult?.leg ?? null]) if (u && u !== e.uuid) void this.cc.hangup(u).catch(() => undefined);
      this.d.runner.feed({ kind: 'agent.busy', agentId: d.agentId, busy: false });
      this.changed(d.agentId);
      return;
    }
  }

  private talkEnded(t: Talk): void {
    const d = this.desks.get(t.agentId);
    if (!d || d.callId !== t.callId) return;
    this.desks.delete(t.agentId);
    if (d.consult) void this.cc.hangup(d.consult.leg).catch(() => undefined);
    this.changed(t.agentId);
  }

  /** Back to the customer after a consultation. */
  private async back(d: Desk, by: string, why: string): Promise<void> {
    await this.cc.stopMedia(d.agentLeg).catch(() => undefined);
    await this.cc.stopMedia(d.customerLeg!).catch(() => undefined);
    await this.cc.bridge(d.customerLeg!, d.agentLeg);
    this.set(d, { state: 'talking', consult: null }, 'call.consult_end', by, { why });
  }

  /** The agent is done with the call (transferred); the caller's leg was sent on. */
  private release(d: Desk, talk: Talk | undefined, data: Record<string, unknown>, by: string): void {
    this.desks.delete(d.agentId);
    this.d.ledger.append({ at: this.d.clock.now(), kind: 'call.transfer', callId: d.callId, agentId: d.agentId, data: { ...data, by } });
    if (talk) this.d.runner.handOff(talk, data);
    else void this.cc.hangup(d.agentLeg).catch(() => undefined);
    this.changed(d.agentId);
  }

  private talking(agentId: number, states: Desk['state'][]): Desk {
    const d = this.desk(agentId);
    if (!d || !d.customerLeg || d.state === 'dialing') throw new ConflictError('call.none', {}, { message: 'You are not on a call.' });
    if (!states.includes(d.state)) throw new ConflictError('call.bad_state', { state: d.state }, { message: `Not possible while the call is ${d.state === 'held' ? 'on hold' : d.state}.` });
    return d;
  }

  private set(d: Desk, patch: Partial<Desk>, kind?: string, by?: string | null, data: Record<string, unknown> = {}): void {
    Object.assign(d, patch);
    if (kind) this.d.ledger.append({ at: this.d.clock.now(), kind, callId: d.callId, agentId: d.agentId, data: { ...data, ...(by ? { by } : {}) } });
    // The ACD knows a queue talk on hold; a call the agent placed is "busy" to it throughout.
    if (d.direction === 'inbound' && (patch.state === 'held' || patch.state === 'talking')) this.d.runner.feed({ kind: 'agent.hold', agentId: d.agentId, held: patch.state === 'held' });
    this.changed(d.agentId);
  }

  private changed(agentId: number): void {
    for (const fn of this.listeners) fn(agentId);
  }

  /** Check a target exists and say what it is, in words for the ledger and the page. */
  private check(t: Target, agentId: number): string {
    const dir = this.d.dir;
    const bad = (field: string, msg: string) => new ValidationError('call.bad_target', { [field]: msg }, msg);
    if (t.kind === 'external' && !DIALABLE.test(t.number)) throw bad('number', 'Enter a number: digits, optionally after a +.');
    if (t.kind === 'extension' && !dir.extensionExists(t.number)) throw bad('extension', 'There is no such extension.');
    if (t.kind === 'queue' && !dir.queueName(t.id)) throw bad('queue', 'There is no such queue.');
    if (t.kind === 'flow' && !dir.flowName(t.id)) throw bad('flow', 'There is no such flow, or it is not published.');
    if (t.kind === 'agent') {
      if (t.id === agentId) throw bad('agent', 'Choose another agent.');
      if (!dir.agentName(t.id) || dir.device(t.id)?.kind !== 'extension') throw bad('agent', 'That agent has no phone to transfer to.');
    }
    return describe(t, { queue: dir.queueName, flow: dir.flowName, agent: dir.agentName });
  }

  /** The dialplan extension a person target is reached at. */
  private number(t: Target): string {
    if (t.kind === 'extension' || t.kind === 'external') return t.number;
    if (t.kind === 'agent') {
      const dev = this.d.dir.device(t.id);
      if (dev?.kind === 'extension') return dev.extension;
    }
    throw new ValidationError('call.bad_target', { target: 'Choose where to send the call.' }, 'Choose where to send the call.');
  }

  private async endpoint(t: Target): Promise<Endpoint> {
    if (t.kind === 'external') return { kind: 'loopback', extension: t.number, context: 'internal' };
    return { kind: 'user', extension: this.number(t), domain: await this.cc.domain() };
  }

  /** What a leg sent out through the routes carries: the agent's class and limits, and the caller ID chosen. */
  private outside(agentId: number, d: Desk): Record<string, string> {
    const dev = this.d.dir.device(agentId);
    return {
      callbox_extension: dev?.kind === 'extension' ? dev.extension : `agent${agentId}`,
      callbox_call_class: this.d.dir.callClass(agentId),
      ...(d.callerId ? { callbox_agent_cid: d.callerId } : {}),
    };
  }
}
