import type { CallControl } from '../../freeswitch/call-control.js';
import type { Logger } from '../../logger.js';
import type { Speaker } from './acd-announce.js';
import { destinationOf, dialable } from './acd-calls.js';
import type { AcdSource } from './acd.source.js';
import type { Acd, AcdEvent, Destination } from './engine/types.js';

/**
 * Ways out of a queue other than an agent: the exit key a waiting caller presses (voicemail, or a callback that
 * keeps their place), and the destinations the engine sends a caller to (overflow, full, no agents).
 */
export class Exits {
  constructor(private readonly d: { acd: Acd; cc: CallControl; log: Logger; source: AcdSource; speaker: Speaker; feed: (e: AcdEvent) => void }) {}

  /** A key while waiting: the queue's exit key leads to voicemail, or to a callback that keeps the caller's place. */
  key(uuid: string, digit: string): void {
    const { acd, cc } = this.d;
    const entry = acd.entry(uuid);
    if (!entry || entry.callback) return;
    const media = this.d.source.media(entry.queueId);
    if (!media?.exitKey || digit !== media.exitKey) return;
    if (media.exitKind === 'voicemail' && media.exitVoicemail) {
      this.d.feed({ kind: 'call.leave', callId: uuid, reason: 'exit' });
      void cc
        .flushDtmf(uuid)
        .then(() => cc.transfer(uuid, media.exitVoicemail!, 'callbox_voicemail'))
        .catch((err: unknown) => this.d.log.warn({ err, uuid }, 'could not send a caller to voicemail'));
      return;
    }
    if (media.exitKind !== 'callback') return;
    if (!dialable(entry.caller)) {
      void this.say(uuid, 'Sorry, we cannot call back a hidden number. Please keep holding.').catch(() => undefined);
      return;
    }
    this.d.feed({ kind: 'call.callback', callId: uuid });
    const digits = entry.caller.replace(/^\+/, 'plus ').split('').join(' ');
    void this.say(uuid, `Thank you. We will call you back at ${digits}, and you keep your place in the queue. Goodbye.`)
      .catch(() => undefined)
      .then(() => cc.hangup(uuid))
      .catch(() => undefined);
  }

  /** The caller leaves the queue for a destination that is not a queue. */
  async send(callId: string, to: Destination, reason: string): Promise<void> {
    const { cc } = this.d;
    try {
      const dest = destinationOf(to, this.d.source);
      if (dest.kind === 'hangup') return await cc.hangup(callId, reason === 'full' ? 'USER_BUSY' : 'NORMAL_CLEARING');
      // Out of the queue for good: a restarted controller must not take the caller for a waiting one.
      await cc.setVars(callId, { callbox_queue_overflow: reason, callbox_queue_id: '', ...(dest.flowId ? { callbox_flow_id: String(dest.flowId) } : {}) });
      await cc.flushDtmf(callId);
      await cc.transfer(callId, dest.extension, dest.context);
    } catch (err) {
      this.d.log.warn({ err, callId, to }, 'could not send an overflowing caller on');
    }
  }

  private async say(uuid: string, text: string): Promise<void> {
    await this.d.cc.play(uuid, await this.d.speaker.speak(text));
  }
}
