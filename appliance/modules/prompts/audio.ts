import { createHash } from 'node:crypto';
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { run } from './speech.js';

export type AudioType = 'wav' | 'mp3';

/**
 * What a file is by its first bytes, never by its name or the browser's say-so: RIFF…WAVE, or MP3 (an ID3 tag,
 * or straight away an MPEG audio frame: 11 sync bits, a known version and layer). Null for anything else.
 */
export function detectAudioType(file: string): AudioType | null {
  const b = Buffer.alloc(12);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, b, 0, 12, 0);
  } finally {
    closeSync(fd);
  }
  if (n >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WAVE') return 'wav';
  if (n >= 3 && b.toString('latin1', 0, 3) === 'ID3') return 'mp3';
  const [b0 = 0, b1 = 0] = b;
  // Version 01 and layer 00 are reserved in the frame header.
  if (n >= 4 && b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x18) !== 0x08 && (b1 & 0x06) !== 0) return 'mp3';
  return null;
}

/** Length in milliseconds of a WAV file (named .wav: soxi goes by the name); throws when sox cannot read it. */
export async function durationMs(file: string): Promise<number> {
  const out = await run('soxi', ['-D', file]);
  const seconds = Number(out.trim());
  if (!Number.isFinite(seconds)) throw new Error(`soxi gave no length for ${file}`);
  return Math.round(seconds * 1000);
}

/**
 * Convert to what FreeSWITCH plays to PSTN callers without resampling: 8 kHz, mono, 16-bit signed PCM WAV. The
 * input's type is given, so sox never guesses from a name; -D turns off sox's random dither, so the same upload
 * gives the same bytes (and hash, and file) every time; -G keeps resampling and mixing from clipping; the
 * output ends after maxSeconds, where sox stops decoding.
 */
export async function convertForTelephony(input: string, type: AudioType, output: string, maxSeconds: number): Promise<void> {
  await run('sox', ['-D', '-G', '-t', type, input, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'wav', output, 'trim', '0', String(maxSeconds)]);
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

export const sizeOf = (file: string): number => statSync(file).size;
