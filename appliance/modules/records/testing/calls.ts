import type { LedgerEntry, NewLedgerEntry } from '../../ledger/ledger.js';

type D = Record<string, unknown>;

/**
 * Writes a call's ledger entries the way the leg tracker, the flow runner, the ACD and the call controls write
 * them (same kinds, same fields), on a clock the script moves: scenarios for the derivation.
 */
export class CallScript {
  readonly entries: LedgerEntry[] = [];
  t: number;

  constructor(
    readonly callId: string,
    start = Date.UTC(2026, 0, 1, 9, 0, 0),
    private readonly sink?: (e: NewLedgerEntry) => number,
  ) {
    this.t = start;
  }

  wait(ms: number): this {
    this.t += ms;
    return this;
  }

  add(kind: string, data: D = {}, ids: { agentId?: number; queueId?: number } = {}): this {
    const e: NewLedgerEntry = { at: this.t, kind, callId: this.callId, agentId: ids.agentId ?? null, queueId: ids.queueId ?? null, data };
    const id = this.sink ? this.sink(e) : this.entries.length + 1;
    this.entries.push({ id, at: e.at, kind, callId: this.callId, agentId: e.agentId ?? null, queueId: e.queueId ?? null, data });
    return this;
  }

  leg(uuid: string, o: { channel: string; caller?: string; callerName?: string; destination?: string; direction?: 'inbound' | 'outbound'; agentId?: number; numberId?: number; trunkId?: number; context?: string }): this {
    return this.add(
      'leg.created',
      { uuid, direction: o.direction ?? (uuid === this.callId ? 'inbound' : 'outbound'), channel: o.channel, caller: o.caller ?? '', callerName: o.callerName ?? '', destination: o.destination ?? '', context: o.context ?? 'public', numberId: o.numberId ?? null, trunkId: o.trunkId ?? null, dialed: '', extension: null },
      o.agentId === undefined ? {} : { agentId: o.agentId },
    );
  }

  answer(uuid: string, o: { numberId?: number; trunkId?: number; dialed?: string } = {}): this {
    return this.add('leg.answered', { uuid, numberId: o.numberId ?? null, trunkId: o.trunkId ?? null, dialed: o.dialed ?? '' });
  }

  bridge(a: string, b: string): this {
    return this.add('leg.bridged', { uuid: a, other: b });
  }

  hangup(uuid: string, cause: string, disposition: string | null, o: { context?: string; destination?: string; dialed?: string } = {}): this {
    return this.add('leg.hungup', { uuid, cause, q850: null, disposition, context: o.context ?? '', destination: o.destination ?? '', numberId: null, trunkId: null, dialed: o.dialed ?? '', answeredAt: null, billsec: 0 });
  }
}

export const CALLER = 'a0000000-0000-4000-8000-000000000001';
export const AGENT_LEG = 'b0000000-0000-4000-8000-000000000002';
export const OTHER_LEG = 'c0000000-0000-4000-8000-000000000003';
export const THIRD_LEG = 'd0000000-0000-4000-8000-000000000004';

/** A caller from a carrier, answered by the number's flow, which sends them to queue 3. */
export function intoQueue(s: CallScript): CallScript {
  return s
    .leg(CALLER, { channel: 'sofia/external/+4930555@198.51.100.7', caller: '+4930555', callerName: 'Mia Meyer', destination: '+4930999', trunkId: 2 })
    .wait(20)
    .answer(CALLER, { numberId: 7, trunkId: 2, dialed: '+4930999' })
    .add('flow.started', { flowId: 4, version: 2, runId: 1 })
    .wait(6_000)
    .add('flow.ended', { flowId: 4, outcome: 'queue', detail: 'Sales', path: [{ node: 'n1', kind: 'menu', at: 0, branch: '1', digits: ['1'], played: ['Welcome'], note: null }], vars: { customer_name: 'Mia Meyer' }, survey: null })
    .add('queue.entered', { position: 1, caller: '+4930555' }, { queueId: 3 });
}

/** Agent `agentId` is rung on their extension and answers after `ringMs`. */
export function agentAnswers(s: CallScript, agentId: number, ringMs: number, leg = AGENT_LEG): CallScript {
  const entered = s.entries.find((e) => e.kind === 'queue.entered')!.at;
  return s
    .add('queue.offer', { ringTimeoutS: 20, callback: false }, { agentId, queueId: 3 })
    .leg(leg, { channel: 'sofia/internal/1001@192.0.2.10', caller: '+4930555', destination: '1001', agentId, context: 'default' })
    .wait(ringMs)
    .answer(leg)
    .add('queue.answered', { waitMs: s.t - entered, callback: false, caller: '+4930555' }, { agentId, queueId: 3 })
    .bridge(CALLER, leg);
}
