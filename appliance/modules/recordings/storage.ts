import { execFile } from 'node:child_process';
import { stat, unlink } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What became of a finished WAV: the file kept (relative name changes with the format), its length and size. */
export interface Stored {
  file: string;
  format: 'wav' | 'mp3';
  durationMs: number | null;
  sizeBytes: number;
  /** Why the WAV was kept uncompressed, if it was. */
  error: string | null;
}

/** MP3 bit rates every sample rate a call may have (8 to 48 kHz) accepts; speech needs no more. */
const BITRATE = { mono: 32, stereo: 48 };

/** The length of an audio file by its header (exact for WAV). */
export async function durationOf(file: string): Promise<number> {
  const { stdout } = await run('soxi', ['-D', file], { timeout: 30_000 });
  const seconds = Number(stdout.trim());
  if (!Number.isFinite(seconds)) throw new Error(`soxi gave no duration for ${file}`);
  return Math.round(seconds * 1000);
}

/**
 * Compress a finished recording to MP3 with sox (libsox-fmt-mp3) and remove the WAV. sox runs as a child process,
 * so the event loop is never blocked; if it fails, the WAV is kept as it is and the error returned with it.
 */
export async function compress(wav: string, stereo: boolean): Promise<Stored> {
  const durationMs = await durationOf(wav).catch(() => null);
  const mp3 = wav.replace(/\.wav$/, '.mp3');
  try {
    await run('sox', [wav, '-C', String(stereo ? BITRATE.stereo : BITRATE.mono), mp3], { timeout: 10 * 60_000 });
    const { size } = await stat(mp3);
    await unlink(wav);
    return { file: mp3, format: 'mp3', durationMs, sizeBytes: size, error: null };
  } catch (err) {
    await unlink(mp3).catch(() => undefined);
    const { size } = await stat(wav);
    return { file: wav, format: 'wav', durationMs, sizeBytes: size, error: err instanceof Error ? err.message.slice(0, 500) : String(err) };
  }
}

/** Runs jobs at most `limit` at a time, in order: compressions must not take every core from live calls. */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  get size(): number {
    return this.running + this.waiting.length;
  }
}
