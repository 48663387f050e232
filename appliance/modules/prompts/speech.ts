import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

/** How espeak-ng speaks: a voice (e.g. en-us, cmn), words per minute, loudness 0 to 200. */
export interface Voice {
  voice: string;
  rate: number;
  volume: number;
}
export const DEFAULT_VOICE: Voice = { voice: 'en-us', rate: 160, volume: 100 };

export class SpeechError extends Error {}

/** Run a program without a shell; text goes in on stdin, so nothing in it is ever read as an option. */
export function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    // A program that exits before reading its input is reported by its exit code, not by a broken pipe.
    child.stdin.on('error', () => undefined);
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.on('error', (e) => reject(new SpeechError(`${cmd} could not run: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new SpeechError(`${cmd} failed (exit ${code}): ${stderr.trim()}`))));
    child.stdin.end(input ?? '');
  });
}

/**
 * Speak text into a WAV file FreeSWITCH plays without resampling: espeak-ng renders it, sox makes it 8 kHz mono
 * 16-bit with a short fade so prompts do not click. Written beside the target and renamed: a call never plays half a file.
 */
export async function renderSpeech(text: string, file: string, voice: Voice = DEFAULT_VOICE): Promise<void> {
  // espeak-ng speaks an unknown voice in its default one without a word: ask first.
  if (!(await voices()).has(voice.voice)) throw new SpeechError(`espeak-ng has no voice "${voice.voice}"`);
  mkdirSync(dirname(file), { recursive: true });
  const raw = `${file}.espeak.wav`;
  const tmp = `${file}.tmp.wav`;
  try {
    await run('espeak-ng', ['-v', voice.voice, '-s', String(voice.rate), '-a', String(voice.volume), '-w', raw, '--stdin'], text);
    await run('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', tmp, 'fade', '0.01', '0', '0.01']);
    renameSync(tmp, file);
  } finally {
    rmSync(raw, { force: true });
    rmSync(tmp, { force: true });
  }
}

let known: Promise<Set<string>> | undefined;
/** The voices espeak-ng has: the language column of `espeak-ng --voices` (en-us, en-gb, cmn …). */
export function voices(): Promise<Set<string>> {
  known ??= run('espeak-ng', ['--voices']).then((out) => new Set(out.split('\n').slice(1).map((l) => l.trim().split(/\s+/)[1] ?? '').filter(Boolean)));
  return known;
}

let version: Promise<string> | undefined;
/** espeak-ng's version line: part of every speech hash, so an upgraded engine renders its prompts afresh. */
export function engineVersion(): Promise<string> {
  // "eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/…": the number only, not where the data happens to live.
  version ??= run('espeak-ng', ['--version']).then((out) => `espeak-ng ${/\d+\.\d+(\.\d+)?/.exec(out)?.[0] ?? 'unknown'}`);
  return version;
}

/** Whether espeak-ng and sox are installed (install.sh installs them). */
export async function speechAvailable(): Promise<boolean> {
  try {
    await run('espeak-ng', ['--version']);
    await run('sox', ['--version']);
    return true;
  } catch {
    return false;
  }
}
