import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Speech } from './prompts.types.js';
import { engineVersion, type Voice } from './speech.js';

/** Speak text into a WAV file (speech.ts renderSpeech); injected so tests can count and fail renders. */
export type Renderer = (text: string, file: string, voice: Voice) => Promise<void>;

/**
 * The hash that names rendered speech: the engine and its version, the voice, rate, volume and text. The same
 * inputs give the same file, so they are never rendered twice; a new espeak-ng gives new files.
 */
export async function speechHash(s: Speech): Promise<string> {
  return createHash('sha256').update(JSON.stringify([await engineVersion(), s.voice, s.rate, s.volume, s.text])).digest('hex');
}

/**
 * Renders speech into files, a few at a time (espeak-ng and sox take a core each). Each file is rendered once:
 * a file already there is a cache hit, and callers asking for a file being rendered share that render.
 */
export class SpeechQueue {
  private readonly inflight = new Map<string, Promise<boolean>>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;

  constructor(
    private readonly render: Renderer,
    private readonly concurrency = 2,
  ) {}

  /** Make sure `file` holds this speech; resolves true when it had to be rendered, false on a cache hit. */
  ensure(file: string, s: Speech): Promise<boolean> {
    const running = this.inflight.get(file);
    if (running) return running;
    if (existsSync(file)) return Promise.resolve(false);
    const p = this.inSlot(async () => {
      // Another process (or an earlier render of the same inputs) may have made it while this one waited.
      if (existsSync(file)) return false;
      await this.render(s.text, file, { voice: s.voice, rate: s.rate, volume: s.volume });
      return true;
    }).finally(() => this.inflight.delete(file));
    this.inflight.set(file, p);
    return p;
  }

  /** Resolves once nothing is rendering or waiting: for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight.values()]);
  }

  private async inSlot<T>(fn: () => Promise<T>): Promise<T> {
    while (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
