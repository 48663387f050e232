import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderSpeech, type Voice } from './speech.js';

/** Bump when rendering changes (voice data, sox steps): every cached rendering is then made again. */
const RENDERER = 'espeak-ng+sox-8k-v1';

/**
 * Speech rendered at call time (flows fill `${variables}` into what they say), cached by a hash of everything
 * that shapes the audio: the same words in the same voice are rendered once, and two calls asking at once
 * share one rendering.
 */
export function speechCache(dir: string) {
  const pending = new Map<string, Promise<string>>();
  return {
    fileFor(v: Voice & { text: string }): string {
      const hash = createHash('sha256').update(JSON.stringify([RENDERER, v.voice, v.rate, v.volume, v.text])).digest('hex');
      return join(dir, `${hash}.wav`);
    },
    speak(v: Voice & { text: string }): Promise<string> {
      const file = this.fileFor(v);
      if (existsSync(file)) return Promise.resolve(file);
      let p = pending.get(file);
      if (!p) {
        p = renderSpeech(v.text, file, { voice: v.voice, rate: v.rate, volume: v.volume })
          .then(() => file)
          .finally(() => pending.delete(file));
        pending.set(file, p);
      }
      return p;
    },
  };
}
