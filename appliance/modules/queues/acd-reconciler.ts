import { AppError } from '../../errors.js';
import { commands } from '../../freeswitch/commands.js';
import type { SwitchPort } from '../../freeswitch/switch.port.js';
import type { Presence } from './acd-presence.js';
import type { AcdRunner } from './acd-runner.js';

/** A leg younger than this may not be listed yet (show channels races a fresh originate). */
const GRACE_MS = 3000;

/**
 * Compares what the engine believes with the channels FreeSWITCH has, every few seconds, and repairs drift:
 * a waiting caller whose channel is gone (a hangup event lost), an agent talking on a call that no longer exists,
 * an agent reserved with no offer ringing, a busy agent whose other call is over. Every repair is logged and kept
 * in the ledger (acd.repair). Decisions are never made here; only facts the engine missed are fed back.
 */
export class Reconciler {
  repairs = 0;
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(private readonly d: { runner: AcdRunner; sw: SwitchPort; presence: Presence; everyMs: number }) {}

  start(): void {
    this.timer = setInterval(() => void this.run(), this.d.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The uuids of every channel FreeSWITCH has now; null when it cannot say. */
  async channels(): Promise<Set<string> | null> {
    if (!this.d.sw.isConnected) return null;
    try {
      const rows = (JSON.parse(await this.d.sw.api(commands.showChannels())) as { rows?: { uuid: string }[] }).rows ?? [];
      return new Set(rows.map((r) => r.uuid));
    } catch (err) {
      // The switch went away between the check and the command: the next connection reconciles.
      if (err instanceof AppError && err.code === 'switch.unavailable') return null;
      this.d.runner.log.warn({ err }, 'reconciler: could not list the channels');
      return null;
    }
  }

  async run(known?: Set<string>): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const channels = known ?? (await this.channels());
      return channels ? this.compare(channels) : 0;
    } finally {
      this.running = false;
    }
  }

  private compare(channels: Set<string>): number {
    const { runner } = this.d;
    const acd = runner.acd;
    const now = runner.now();
    let repaired = 0;
    const fix = (what: string, data: Record<string, unknown>, f: () => void) => {
      runner.repair(what, data);
      f();
      repaired++;
    };
    for (const w of acd.waiting()) {
      if (w.callback || channels.has(w.callId)) continue;
      const entry = acd.entry(w.callId);
      if (entry && now - entry.enteredAt < GRACE_MS) continue;
      fix('a waiting caller whose channel is gone', { callId: w.callId, queueId: w.queueId }, () => runner.feed({ kind: 'call.leave', callId: w.callId, reason: 'abandoned' }));
    }
    const talks = runner.talkList();
    const talking = new Set(talks.map((t) => t.agentId));
    for (const t of talks) {
      if (channels.has(t.leg) || (t.callerLeg && channels.has(t.callerLeg))) continue;
      fix('a call that ended unseen', { callId: t.callId, agentId: t.agentId, leg: t.leg }, () => runner.endTalk(t, 'switch'));
    }
    const offered = new Set(runner.offerLegs().map((o) => o.agentId));
    for (const a of acd.agents()) {
      if ((a.state === 'talking' || a.state === 'held') && !talking.has(a.id)) {
        fix('an agent stuck talking on no call', { agentId: a.id, callId: a.callId }, () => runner.feed({ kind: 'call.ended', agentId: a.id }));
      } else if (a.state === 'reserved' && !offered.has(a.id) && now - a.since > GRACE_MS) {
        fix('an agent reserved with no offer ringing', { agentId: a.id, callId: a.callId }, () => runner.feed({ kind: 'offer.failed', callId: a.callId ?? '', agentId: a.id, cause: 'LOST' }));
      }
      for (const uuid of this.d.presence.busyChannels(a.id)) {
        if (!channels.has(uuid)) fix('a busy call that ended unseen', { agentId: a.id, uuid }, () => this.d.presence.ended(uuid));
      }
    }
    this.repairs += repaired;
    return repaired;
  }
}
