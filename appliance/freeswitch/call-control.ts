import { randomUUID } from 'node:crypto';
import { apps, commands, type Endpoint } from './commands.js';
import type { SwitchPort } from './switch.port.js';

/**
 * The primitives later features (flows, queues, the agent workbench) drive calls with. Calls reach the
 * controller parked (see README.md in this folder); from there each primitive is one api command or one
 * application run with sendmsg that resolves when FreeSWITCH says it finished.
 */
export class CallControl {
  private knownDomain: string | null = null;
  constructor(private readonly sw: SwitchPort) {}

  /** The directory's domain (user/<ext>@<domain>), asked once: it changes only with a new configuration. */
  async domain(): Promise<string> {
    this.knownDomain ??= (await this.sw.api(commands.globalGetvar('domain'))).trim();
    return this.knownDomain;
  }

  /** The domain if already known, so a hot path can dial in the same turn. */
  get domainNow(): string | null {
    return this.knownDomain;
  }

  async answer(uuid: string): Promise<string> {
    return (await this.sw.execute(apps.answer(uuid))).response;
  }

  /** Play a file (a prompt, a recording, a text-to-speech rendering) or a generated tone; resolves when done. */
  async play(uuid: string, file: string): Promise<string> {
    return (await this.sw.execute(apps.playback(uuid, file))).response;
  }

  /**
   * Play a prompt and collect digits. Resolves with the digits, or '' when the caller entered nothing valid
   * within the tries.
   */
  async collectDigits(uuid: string, o: { prompt: string; min: number; max: number; tries: number; timeoutMs: number; terminators?: string; invalidPrompt?: string; pattern?: string }): Promise<string> {
    // A fresh variable per question: a stale answer from the last one can never be read as this one's. The
    // answer comes back with the application's completion event, without another round trip.
    const variable = `callbox_digits_${randomUUID().slice(0, 8)}`;
    const x = apps.collectDigits(uuid, { ...o, terminators: o.terminators ?? '#', variable, ...(o.invalidPrompt ? { invalidPrompt: o.invalidPrompt } : {}) });
    const done = await this.sw.execute(x, o.tries * (o.timeoutMs + 60_000));
    return done.vars[variable.slice('callbox_'.length)] ?? '';
  }

  async setVar(uuid: string, name: string, value: string): Promise<void> {
    await this.sw.api(commands.uuidSetvar(uuid, name, value));
  }

  /** Several channel variables in one round trip. */
  async setVars(uuid: string, vars: Record<string, string>): Promise<void> {
    await this.sw.api(commands.uuidSetvarMulti(uuid, vars));
  }

  /** A channel variable, or null when it is not set (FreeSWITCH answers _undef_). */
  async getVar(uuid: string, name: string): Promise<string | null> {
    const v = await this.sw.api(commands.uuidGetvar(uuid, name));
    return v === '_undef_' || v === '' ? null : v;
  }

  /** Send the call to a dialplan extension (another context of ours, or a fallback). */
  async transfer(uuid: string, extension: string, context: string): Promise<void> {
    await this.sw.api(commands.uuidTransfer(uuid, extension, context));
  }

  /** Join two existing legs. */
  async bridge(a: string, b: string): Promise<void> {
    await this.sw.api(commands.uuidBridge(a, b));
  }

  /** Dial out from a call and join it when answered; resolves when the bridge ends or fails. */
  async bridgeTo(uuid: string, to: Endpoint, vars: Record<string, string | number> = {}): Promise<string> {
    return (await this.sw.execute(apps.bridge(uuid, to, vars))).response;
  }

  async park(uuid: string): Promise<void> {
    await this.sw.api(commands.uuidPark(uuid));
  }

  /** Hold puts the other leg on music (FreeSWITCH plays the hold music to it). */
  async hold(uuid: string, on: boolean): Promise<void> {
    await this.sw.api(commands.uuidHold(uuid, on));
  }

  /** Stop whatever is playing on the channel (to act on a key press at once). */
  async stopMedia(uuid: string): Promise<void> {
    await this.sw.api(commands.uuidBreak(uuid));
  }

  /** Drop keys the caller pressed that nothing has read yet, so they do not reach whoever the call goes to next. */
  async flushDtmf(uuid: string): Promise<void> {
    await this.sw.api(commands.uuidFlushDtmf(uuid));
  }

  async record(uuid: string, start: boolean, file: string): Promise<void> {
    await this.sw.api(commands.uuidRecord(uuid, start ? 'start' : 'stop', file));
  }

  async hangup(uuid: string, cause = 'NORMAL_CLEARING'): Promise<void> {
    await this.sw.api(commands.uuidKill(uuid, cause));
  }

  /** A new leg, parked when answered so the controller drives it; resolves with its uuid once answered. */
  async originate(to: Endpoint, o: { vars?: Record<string, string | number | boolean>; timeoutSeconds?: number } = {}): Promise<string> {
    const uuid = randomUUID();
    await this.sw.bgapi(commands.originate({ uuid, to, app: 'park', ...(o.vars ? { vars: o.vars } : {}), ...(o.timeoutSeconds ? { timeoutSeconds: o.timeoutSeconds } : {}) }), ((o.timeoutSeconds ?? 30) + 5) * 1000);
    return uuid;
  }

  /**
   * Call a supervisor's phone and, when answered, let them listen to a live call. `ended` settles when the
   * supervisor leaves (rejecting with switch.channel_gone when they hang up, which is the usual end).
   */
  async eavesdrop(spy: Endpoint, target: string, o: { vars?: Record<string, string | number | boolean> } = {}): Promise<{ uuid: string; ended: Promise<string> }> {
    const uuid = await this.originate(spy, o);
    return { uuid, ended: this.sw.execute(apps.eavesdrop(uuid, target)).then((d) => d.response) };
  }
}
