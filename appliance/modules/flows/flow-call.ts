import type { CallControl } from '../../freeswitch/call-control.js';
import { AppError } from '../../errors.js';
import { CallEnded } from './engine/engine.js';
import type { Audio, CallIO, HttpRequest, HttpResponse, TransferTarget } from './engine/types.js';

/** Where prompts' audio files come from: the prompt library, and speech rendered (and cached) on the box. */
export interface PromptFiles {
  /** A library prompt's file when it is ready, else null. */
  fileOf(id: number): string | null;
  speak(v: { text: string; voice: string; rate: number; volume: number }): Promise<string>;
}

/** The dialplan context holding each flow's fallback destination (confgen): extension `flow_<id>`. */
export const FALLBACK_CONTEXT = 'callbox_fallback';

/** A real call, driven over the event socket: what the engine asks for, as FreeSWITCH applications and commands. */
export class FlowCall implements CallIO {
  private gone = false;

  constructor(
    private readonly d: {
      uuid: string;
      flowId: number;
      cc: CallControl;
      prompts: PromptFiles;
      fetch: (req: HttpRequest) => Promise<HttpResponse>;
      now: () => number;
      /** Hand the caller to a queue (the ACD takes the call from here). */
      enterQueue: (queueId: number, priority: number) => Promise<void>;
    },
  ) {}

  /** The caller hung up: whatever the flow does next stops. */
  ended(): void {
    this.gone = true;
  }

  play(audio: Audio): Promise<void> {
    return this.guard(async () => {
      await this.d.cc.play(this.d.uuid, await this.file(audio));
    });
  }

  collect(audio: Audio | null, o: { min: number; max: number; timeoutMs: number; terminator: string }): Promise<string> {
    return this.guard(async () => {
      const prompt = audio ? await this.file(audio) : 'silence_stream://250';
      // One try per question: the engine counts tries and plays the escalation prompts between them. No
      // terminator is '' (the command builder writes FreeSWITCH's `none`; it refuses `none` as a key set).
      return this.d.cc.collectDigits(this.d.uuid, { prompt, min: o.min, max: o.max, tries: 1, timeoutMs: o.timeoutMs, terminators: o.terminator, pattern: '[0-9*#]+' });
    });
  }

  fetch(_node: string, req: HttpRequest): Promise<HttpResponse> {
    return this.guard(() => this.d.fetch(req));
  }

  transfer(to: TransferTarget): Promise<void> {
    return this.guard(async () => {
      // A menu's key can still be queued on the channel (RFC 2833 sends each key in several packets): without the
      // flush, FreeSWITCH relays it to the phone the call is bridged to, which hears a stray beep.
      await this.d.cc.flushDtmf(this.d.uuid);
      if (to.kind === 'queue') return this.d.enterQueue(to.queueId, to.priority);
      // The internal context applies the outbound routes and their guardrails to an external number, as for a phone.
      await this.d.cc.transfer(this.d.uuid, to.kind === 'extension' ? to.extension : to.number, 'internal');
    });
  }

  voicemail(extension: string): Promise<void> {
    return this.guard(() => this.d.cc.transfer(this.d.uuid, extension, 'callbox_voicemail'));
  }

  hangup(): Promise<void> {
    return this.guard(() => this.d.cc.hangup(this.d.uuid));
  }

  fallback(reason: string): Promise<void> {
    return this.guard(async () => {
      // Kept on the channel for the call record; a channel variable holds no spaces.
      await this.d.cc.setVar(this.d.uuid, 'callbox_fallback', reason.replace(/[^A-Za-z0-9_.:#-]+/g, '_').slice(0, 200));
      await this.d.cc.transfer(this.d.uuid, `flow_${this.d.flowId}`, FALLBACK_CONTEXT);
    });
  }

  now(): number {
    return this.d.now();
  }

  private async file(audio: Audio): Promise<string> {
    if ('promptId' in audio) {
      const f = this.d.prompts.fileOf(audio.promptId);
      if (!f) throw new Error(`prompt #${audio.promptId} is not ready`);
      return f;
    }
    return this.d.prompts.speak(audio);
  }

  /** A command that fails because the channel is gone means the caller hung up, not that the flow failed. */
  private async guard<T>(f: () => Promise<T>): Promise<T> {
    if (this.gone) throw new CallEnded('the caller hung up');
    try {
      const r = await f();
      // The hangup can arrive while a question is out: its answer ('' then) is not the caller's silence.
      if (this.gone) throw new CallEnded('the caller hung up');
      return r;
    } catch (e) {
      if (this.gone || (e instanceof AppError && e.code === 'switch.channel_gone')) throw new CallEnded('the caller hung up');
      throw e;
    }
  }
}
