import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { inTurnTransaction } from '../../db/group-commit.js';
import type { SwitchPort } from '../../freeswitch/switch.port.js';
import type { ChannelInfo, HangupInfo } from '../../freeswitch/switch.types.js';
import type { Logger } from '../../logger.js';
import type { Ledger } from '../ledger/ledger.js';

/** Our gateways are named trunk_<id>; the dialplan also sets callbox_trunk_id on calls from a number's trunk. */
const trunkOf = (e: ChannelInfo): number | null => {
  const m = /^(?:trunk_)?(\d+)$/.exec(e.vars.trunk_id ?? '') ?? /^sofia\/gateway\/trunk_(\d+)\//.exec(e.channelName);
  return m ? Number(m[1]) : null;
};
const numberOf = (v: string | undefined): number | null => (v && /^\d+$/.test(v) ? Number(v) : null);

/**
 * Writes every FreeSWITCH channel's life to the ledger as `leg.*` entries, grouped into calls. A call is named by
 * its first leg's uuid (the caller's leg, or the first leg the controller originated); every other leg joins it:
 * by the call our originates name (callbox_call, callbox_queue_call, callbox_consult_of), by the leg that
 * originated it (Other-Leg-Unique-ID on a bridge's B-leg), or by its loopback twin.
 *
 * Entries are stamped with the controller's clock, like every other entry of the call, so a call's story reads
 * in one time.
 */
export class LegTracker {
  private readonly calls = new Map<string, string>();
  private readonly off: (() => void)[] = [];
  private readonly remember;
  private readonly forget;
  private readonly recall;

  constructor(private readonly d: { sw: SwitchPort; ledger: Ledger; db: Db; clock: Clock; log: Logger }) {
    this.remember = d.db.prepare('INSERT OR REPLACE INTO call_legs (uuid, call_id, created_at) VALUES (?, ?, ?)');
    this.forget = d.db.prepare('DELETE FROM call_legs WHERE uuid = ?');
    this.recall = d.db.prepare<[string], { call_id: string }>('SELECT call_id FROM call_legs WHERE uuid = ?');
  }

  start(): void {
    const guard =
      <T>(f: (e: T) => void) =>
      (e: T) => {
        try {
          inTurnTransaction(this.d.db);
          f(e);
        } catch (err) {
          this.d.log.error({ err }, 'a leg event could not be written to the ledger');
        }
      };
    this.off.push(
      this.d.sw.on('channel.created', guard((e) => this.created(e))),
      this.d.sw.on('channel.answered', guard((e) => this.answered(e))),
      this.d.sw.on('channel.bridged', guard((e) => this.bridged(e))),
      this.d.sw.on('channel.hungup', guard((e) => this.hungup(e))),
    );
  }

  stop(): void {
    for (const f of this.off.splice(0)) f();
  }

  /** The call a live leg belongs to (also after a restart, from call_legs). */
  callOf(uuid: string | null | undefined): string | null {
    if (!uuid) return null;
    return this.calls.get(uuid) ?? this.recall.get(uuid)?.call_id ?? null;
  }

  /** Legs being followed now. */
  get live(): number {
    return this.calls.size;
  }

  private created(e: ChannelInfo): void {
    if (this.calls.has(e.uuid)) return;
    const v = e.vars;
    const callId = v.call ?? v.queue_call ?? v.consult_of ?? this.callOf(e.otherUuid) ?? this.callOf(e.loopbackUuid) ?? e.uuid;
    const at = this.d.clock.now();
    this.join(e.uuid, callId, at);
    this.d.ledger.append({
      at,
      kind: 'leg.created',
      callId,
      agentId: numberOf(v.agent_id ?? v.agent_call),
      data: { uuid: e.uuid, direction: e.direction, channel: e.channelName, caller: e.callerNumber, callerName: e.callerName, destination: e.destination, context: e.context, numberId: numberOf(v.number_id), trunkId: trunkOf(e), dialed: v.dialed ?? '', extension: v.extension ?? null },
    });
  }

  private answered(e: ChannelInfo): void {
    const callId = this.callOf(e.uuid);
    if (!callId) return;
    // The dialplan has run by now: a call from a carrier knows its number and trunk.
    this.d.ledger.append({ at: this.d.clock.now(), kind: 'leg.answered', callId, data: { uuid: e.uuid, numberId: numberOf(e.vars.number_id), trunkId: trunkOf(e), dialed: e.vars.dialed ?? '' } });
  }

  private bridged(e: ChannelInfo & { aUuid: string; bUuid: string }): void {
    const callId = this.callOf(e.aUuid) ?? this.callOf(e.bUuid);
    if (!callId) return;
    this.d.ledger.append({ at: this.d.clock.now(), kind: 'leg.bridged', callId, data: { uuid: e.aUuid, other: e.bUuid } });
  }

  private hungup(e: HangupInfo): void {
    let callId = this.callOf(e.uuid);
    if (!callId) {
      // A leg that began before we were listening (the controller was down): it still gets its record.
      callId = this.callOf(e.otherUuid) ?? this.callOf(e.loopbackUuid) ?? e.uuid;
      this.d.ledger.append({
        at: e.createdAt ?? this.d.clock.now(),
        kind: 'leg.created',
        callId,
        data: { uuid: e.uuid, direction: e.direction, channel: e.channelName, caller: e.callerNumber, callerName: e.callerName, destination: e.destination, context: e.context, numberId: numberOf(e.vars.number_id), trunkId: trunkOf(e), dialed: e.vars.dialed ?? '', extension: e.vars.extension ?? null, late: true },
      });
      if (e.answeredAt) this.d.ledger.append({ at: e.answeredAt, kind: 'leg.answered', callId, data: { uuid: e.uuid } });
    }
    this.calls.delete(e.uuid);
    this.forget.run(e.uuid);
    this.d.ledger.append({
      at: this.d.clock.now(),
      kind: 'leg.hungup',
      callId,
      data: {
        uuid: e.uuid,
        cause: e.cause,
        q850: e.causeQ850,
        disposition: e.disposition,
        // Where the leg ended up (a transfer to voicemail shows here) and what the dialplan learned on the way.
        context: e.context,
        destination: e.destination,
        numberId: numberOf(e.vars.number_id),
        trunkId: trunkOf(e),
        dialed: e.vars.dialed ?? '',
        answeredAt: e.answeredAt,
        billsec: e.billsec,
      },
    });
  }

  private join(uuid: string, callId: string, at: number): void {
    this.calls.set(uuid, callId);
    this.remember.run(uuid, callId, at);
  }
}
