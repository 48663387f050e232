import type { CallControl } from '../../freeswitch/call-control.js';
import type { Logger } from '../../logger.js';

/** The default hold music stream (confgen), and a music prompt's own stream. */
export const musicStream = (promptId: number | null): string => (promptId ? `local_stream://music_${promptId}` : 'local_stream://moh');

/**
 * What a caller hears while they wait: the queue's music, broken every so often for an announcement (a prompt,
 * their position, the estimated wait), then music again. The music runs as a FreeSWITCH application on the
 * caller's channel, so it goes on while the controller restarts; an agent's answer (uuid_bridge) or a transfer
 * ends it there. Nothing here decides anything about the call.
 */
export class Waiter {
  private active = true;
  private announcing = false;
  private timer: NodeJS.Timeout | null = null;
  private music: string;

  constructor(
    private readonly d: {
      uuid: string;
      cc: CallControl;
      log: Logger;
      music: string;
      everyS: number;
      /** The files of the next announcement; empty when there is nothing to say. */
      announcement: () => Promise<string[]>;
    },
  ) {
    this.music = d.music;
  }

  start(): void {
    void this.loop();
    this.schedule();
  }

  /** The caller left the queue (to an agent, a transfer, or hung up): play nothing more. */
  stop(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The caller moved to another queue (overflow): its music from now on. */
  retune(music: string, everyS: number): void {
    this.d.everyS = everyS;
    this.schedule();
    if (music === this.music) return;
    this.music = music;
    void this.d.cc.stopMedia(this.d.uuid).catch(() => undefined);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.active || this.d.everyS <= 0) return;
    this.timer = setTimeout(() => {
      this.announcing = true;
      void this.d.cc.stopMedia(this.d.uuid).catch(() => undefined);
      this.schedule();
    }, this.d.everyS * 1000);
    this.timer.unref();
  }

  private async loop(): Promise<void> {
    let quickEnds = 0;
    while (this.active) {
      try {
        if (this.announcing) {
          this.announcing = false;
          for (const file of await this.d.announcement()) {
            if (!this.active) return;
            await this.d.cc.play(this.d.uuid, file);
          }
          continue;
        }
        const started = Date.now();
        await this.d.cc.play(this.d.uuid, this.music);
        // The stream is endless: it ends early only when we broke it, or when it cannot play (a music class that
        // is gone). Then fall back to the default music once, and stop rather than spin.
        if (!this.announcing && Date.now() - started < 1000 && ++quickEnds >= 3) {
          if (this.music === musicStream(null)) {
            this.d.log.error({ uuid: this.d.uuid }, 'hold music does not play: the caller waits in silence');
            return;
          }
          this.music = musicStream(null);
          quickEnds = 0;
        }
      } catch (err) {
        // The channel is gone or was taken elsewhere (bridged, transferred): the runner hears of it by its events.
        if (this.active) this.d.log.debug({ err, uuid: this.d.uuid }, 'waiting media ended');
        return;
      }
    }
  }
}
