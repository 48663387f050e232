import { isoNow, type Clock } from '../../clock.js';
import { CallControl } from '../../freeswitch/call-control.js';
import { commands } from '../../freeswitch/commands.js';
import type { SwitchPort } from '../../freeswitch/switch.port.js';
import type { ChannelInfo } from '../../freeswitch/switch.types.js';
import type { Logger } from '../../logger.js';
import type { NewLedgerEntry } from '../ledger/ledger.js';
import { AppError } from '../../errors.js';
import { CallEnded, runFlow } from './engine/engine.js';
import type { HttpRequest, HttpResponse, Step } from './engine/types.js';
import { FALLBACK_CONTEXT, FlowCall, type PromptFiles } from './flow-call.js';
import type { FlowService } from './flows.service.js';
import { startVars } from './simulator.js';

/**
 * Runs flows on real calls. The dialplan parks a call that a number sends to a flow (`callbox_flow_id` set,
 * destination `enter`); the runner answers it and runs the flow's latest published version over the event
 * socket, keeping the path on the call's flow run as it goes. After a restart, runs left open are finished: a
 * call still there goes to its flow's fallback, so nobody waits in silence for a flow that is not running.
 */
export class FlowRunner {
  private readonly calls = new Map<string, FlowCall>();
  private readonly cc: CallControl;
  private readonly log: Logger;
  private readonly off: (() => void)[] = [];

  constructor(
    private readonly d: {
      sw: SwitchPort;
      flows: FlowService;
      prompts: PromptFiles;
      clock: Clock;
      log: Logger;
      fetch: (req: HttpRequest) => Promise<HttpResponse>;
      /** The ACD: a transfer node's queue target hands the call over here. */
      queues: { enter(c: { uuid: string; queueId: number; priority: number; caller: string; callerName: string }): Promise<void> };
      /** Where each run's start and end are written for the call's record (flow_runs is the working copy). */
      ledger: { append(e: NewLedgerEntry): number };
    },
  ) {
    this.cc = new CallControl(d.sw);
    this.log = d.log.child({ module: 'flows' });
  }

  start(): void {
    this.off.push(
      this.d.sw.on('channel.parked', (e) => {
        // A caller in a queue's hands is parked by the ACD and the agents' controls too (hold, consult, back in
        // line): that is no entry, though the channel still says it entered here. Who sends a caller on to a flow
        // clears callbox_queue_id first.
        if (e.destination === 'enter' && e.vars.flow_id && !e.vars.queue_id && !this.calls.has(e.uuid)) this.launch(e);
      }),
      this.d.sw.on('channel.hungup', (e) => this.calls.get(e.uuid)?.ended()),
      this.d.sw.onConnection((up) => {
        if (up) void this.recover();
      }),
    );
    if (this.d.sw.isConnected) void this.recover();
  }

  stop(): void {
    for (const f of this.off.splice(0)) f();
  }

  /** A run's own failures end in its outcome; this catches what is left, its bookkeeping (the database closed under it at shutdown). */
  private launch(e: ChannelInfo): void {
    this.run(e).catch((err: unknown) => this.log.error({ err, uuid: e.uuid }, 'a flow run could not be recorded'));
  }

  /** Calls in a flow right now. */
  get active(): number {
    return this.calls.size;
  }

  private async run(e: ChannelInfo): Promise<void> {
    const flowId = Number(e.vars.flow_id);
    const log = this.log.child({ uuid: e.uuid, flowId, caller: e.callerNumber });
    const call = new FlowCall({
      uuid: e.uuid,
      flowId,
      cc: this.cc,
      prompts: this.d.prompts,
      fetch: this.d.fetch,
      now: () => this.d.clock.now(),
      enterQueue: (queueId, priority) => this.d.queues.enter({ uuid: e.uuid, queueId, priority, caller: e.callerNumber, callerName: e.callerName }),
    });
    this.calls.set(e.uuid, call);
    const published = this.d.flows.latestPublished(flowId);
    const runId = this.d.flows.runs.start({ callUuid: e.uuid, flowId, version: published?.version ?? 0, numberId: e.vars.number_id ? Number(e.vars.number_id) : null, caller: e.callerNumber, called: e.vars.dialed ?? e.destination, startedAt: isoNow(this.d.clock) });
    this.d.ledger.append({ at: this.d.clock.now(), kind: 'flow.started', callId: e.uuid, data: { flowId, version: published?.version ?? 0, runId } });
    const end = (outcome: string, detail: string, path: Step[] = [], vars: Record<string, string> = {}, survey: string | null = null) => {
      this.d.flows.runs.end(runId, { at: isoNow(this.d.clock), outcome, detail, path, vars, survey });
      this.ended(e.uuid, flowId, { outcome, detail, path, vars, survey });
    };
    try {
      if (!published) {
        log.warn('the flow has no published version: the call goes to its fallback');
        await call.fallback('no published version');
        end('fallback', 'no published version');
        return;
      }
      await this.cc.answer(e.uuid);
      const vars = startVars(e.callerNumber, e.vars.dialed ?? e.destination);
      const r = await runFlow(published.definition, call, {
        flowId,
        vars,
        lookups: this.d.flows.lookups,
        loadFlow: (id) => this.d.flows.latestPublished(id)?.definition ?? null,
        onStep: (step, v) => this.d.flows.runs.progress(runId, step, v),
      });
      end(r.outcome, r.detail, r.steps, r.vars, r.survey);
      log.info({ outcome: r.outcome, detail: r.detail, steps: r.steps.length }, 'flow finished');
    } catch (err) {
      // A caller can hang up before the answer, or before the fallback of a flow with nothing published.
      if (err instanceof CallEnded || (err instanceof AppError && err.code === 'switch.channel_gone')) {
        end('caller_hangup', 'before the flow started');
        return;
      }
      // The engine falls back on any node failure; this is a failure of the fallback itself (the switch went away).
      log.error({ err }, 'flow run failed');
      end('error', (err as Error).message);
    } finally {
      this.calls.delete(e.uuid);
    }
  }

  private ended(callId: string, flowId: number, r: { outcome: string; detail: string; path: Step[]; vars: Record<string, string>; survey: string | null }): void {
    this.d.ledger.append({ at: this.d.clock.now(), kind: 'flow.ended', callId, data: { flowId, ...r } });
  }

  /**
   * After a restart (ours or the switch's connection): runs the database still shows open were cut short. A call
   * still there goes to its flow's fallback; one that is gone is finished as such.
   */
  private async recover(): Promise<void> {
    await this.finishOpenRuns();
    await this.adoptWaiting();
  }

  private async finishOpenRuns(): Promise<void> {
    for (const run of this.d.flows.runs.open()) {
      if (this.calls.has(run.callUuid)) continue;
      try {
        const there = (await this.d.sw.api(commands.uuidExists(run.callUuid))).trim() === 'true';
        if (there) await this.cc.transfer(run.callUuid, `flow_${run.flowId}`, FALLBACK_CONTEXT);
        const r = { outcome: there ? 'fallback' : 'caller_hangup', detail: 'the controller restarted during the flow', path: run.path, vars: run.vars, survey: run.survey };
        this.d.flows.runs.end(run.id, { at: isoNow(this.d.clock), ...r });
        this.ended(run.callUuid, run.flowId, r);
        this.log.warn({ uuid: run.callUuid, flowId: run.flowId, there }, 'a flow cut short by a restart was finished');
      } catch (err) {
        this.log.warn({ err, uuid: run.callUuid }, 'could not finish a flow cut short by a restart');
      }
    }
  }

  /** Calls that parked for a flow while the controller was away (its lease still current) start their flow now. */
  private async adoptWaiting(): Promise<void> {
    let rows: { uuid: string; dest: string; application: string; cid_num: string }[] = [];
    try {
      rows = (JSON.parse(await this.d.sw.api(commands.showChannels())) as { rows?: typeof rows }).rows ?? [];
    } catch (err) {
      this.log.warn({ err }, 'could not list the channels to find calls waiting for a flow');
      return;
    }
    for (const row of rows.filter((r) => r.dest === 'enter' && r.application === 'park' && !this.calls.has(r.uuid))) {
      try {
        // A caller waiting in a queue sits parked too (between its music and announcements): the ACD has them.
        if (await this.cc.getVar(row.uuid, 'callbox_queue_id')) continue;
        const flowId = await this.cc.getVar(row.uuid, 'callbox_flow_id');
        const dialed = await this.cc.getVar(row.uuid, 'callbox_dialed');
        const numberId = await this.cc.getVar(row.uuid, 'callbox_number_id');
        if (!flowId || this.calls.has(row.uuid)) continue;
        this.log.info({ uuid: row.uuid, flowId }, 'a call that waited for the controller starts its flow');
        this.launch({ uuid: row.uuid, callUuid: null, direction: 'inbound', channelName: '', callerNumber: row.cid_num, callerName: '', destination: 'enter', context: 'callbox', otherUuid: null, loopbackUuid: null, vars: { flow_id: flowId, ...(dialed ? { dialed } : {}), ...(numberId ? { number_id: numberId } : {}) }, at: this.d.clock.now() });
      } catch (err) {
        this.log.warn({ err, uuid: row.uuid }, 'could not start the flow of a waiting call');
      }
    }
  }
}
