import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * FreeSWITCH (in the appliance's group) writes voicemail here and the console reads it: group-writable, and
 * setgid so the messages belong to the appliance's group too. Explicit chmod: the process umask (027) would
 * take the group's write bit away.
 */
export function ensureVoicemailDirectory(dir: string): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o2770);
}

export const HOLD_MUSIC_FILE = 'callbox-hold.wav';

/**
 * Hold music the appliance makes itself, so no sound pack is downloaded: a slow, soft arpeggio over four
 * chords, 8 kHz mono 16-bit PCM (what local_stream plays at its 8000 Hz rate), about 24 seconds, looped by
 * FreeSWITCH. Written once; an operator may add their own files beside it.
 */
export function ensureHoldMusic(dir: string): string {
  const file = join(dir, HOLD_MUSIC_FILE);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const rate = 8000;
  const chords = [
    [261.63, 329.63, 392.0, 493.88],
    [220.0, 261.63, 329.63, 392.0],
    [174.61, 220.0, 261.63, 329.63],
    [196.0, 246.94, 293.66, 349.23],
  ];
  const noteSeconds = 0.75;
  const samplesPerNote = Math.round(rate * noteSeconds);
  const notes = chords.flatMap((c) => [...c, ...c.slice().reverse()]);
  const pcm = Buffer.alloc(notes.length * samplesPerNote * 2);
  notes.forEach((freq, n) => {
    for (let i = 0; i < samplesPerNote; i++) {
      const t = i / rate;
      // Quick attack, long decay: a plucked, unobtrusive tone with a soft octave above.
      const envelope = Math.min(1, t / 0.02) * Math.exp(-3 * t);
      const v = envelope * (0.8 * Math.sin(2 * Math.PI * freq * t) + 0.2 * Math.sin(4 * Math.PI * freq * t));
      pcm.writeInt16LE(Math.round(v * 0.35 * 32767), (n * samplesPerNote + i) * 2);
    }
  });
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(pcm.length, 40);
  writeFileSync(`${file}.tmp`, Buffer.concat([header, pcm]));
  renameSync(`${file}.tmp`, file);
  return file;
}
