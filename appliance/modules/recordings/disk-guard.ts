import { mkdir, statfs as fsStatfs } from 'node:fs/promises';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';

/** The part of fs.statfs the guard reads. */
export type Statfs = (path: string) => Promise<{ bavail: number | bigint; bsize: number | bigint }>;

export interface DiskStatus {
  /** Below the threshold: no new recording starts. */
  isLow: boolean;
  freeMb: number;
  minFreeMb: number;
  checkedAt: number;
}

const MB = 1024 * 1024;
/** A start reuses a reading this recent: one statfs per call start would be wasteful under load. */
export const DISK_CACHE_MS = 30_000;

/**
 * Watches the free space of the recordings folder. Below the threshold, new recordings do not start (calls go
 * on untouched) and the console shows admins a banner; when space comes back, recording resumes by itself.
 */
export class DiskGuard {
  private last: DiskStatus | null = null;
  private readonly listeners: ((s: DiskStatus) => void)[] = [];

  constructor(private readonly d: { dir: string; clock: Clock; log: Logger; minFreeMb: () => number; statfs?: Statfs }) {}

  /** The last reading, for the banner (null before the first). */
  status(): DiskStatus | null {
    return this.last;
  }

  /** Hear of each change between low and enough. */
  onChange(f: (s: DiskStatus) => void): void {
    this.listeners.push(f);
  }

  /** Whether a new recording may start, from a reading at most DISK_CACHE_MS old. */
  async allows(): Promise<boolean> {
    const s = this.last && this.d.clock.now() - this.last.checkedAt < DISK_CACHE_MS && this.last.minFreeMb === this.d.minFreeMb() ? this.last : await this.check();
    return !s.isLow;
  }

  /** Read the free space now (the every-minute job, and starts when the reading is old). */
  async check(): Promise<DiskStatus> {
    const minFreeMb = this.d.minFreeMb();
    await mkdir(this.d.dir, { recursive: true });
    const fs = await (this.d.statfs ?? fsStatfs)(this.d.dir);
    const freeMb = Math.floor(Number(BigInt(fs.bavail) * BigInt(fs.bsize) / BigInt(MB)));
    const s: DiskStatus = { isLow: minFreeMb > 0 && freeMb < minFreeMb, freeMb, minFreeMb, checkedAt: this.d.clock.now() };
    const was = this.last?.isLow ?? false;
    this.last = s;
    if (s.isLow !== was) {
      // A person must act (free space or lower the threshold): recordings are being lost meanwhile.
      if (s.isLow) this.d.log.error({ freeMb, minFreeMb, dir: this.d.dir }, 'recording stopped: disk space low');
      else this.d.log.info({ freeMb, minFreeMb }, 'recording resumed: disk space back');
      for (const f of this.listeners) f(s);
    }
    return s;
  }
}
