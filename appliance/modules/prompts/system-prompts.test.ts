import test from 'ava';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../logger.js';
import { renderSpeech, SpeechError } from './speech.js';
import { ensureSystemPrompts, SYSTEM_PROMPTS } from './system-prompts.js';

/** The WAV header's format: what FreeSWITCH plays without resampling. */
function wavFormat(file: string) {
  const b = readFileSync(file);
  return { riff: b.toString('latin1', 0, 4), channels: b.readUInt16LE(22), rate: b.readUInt32LE(24), bits: b.readUInt16LE(34), bytes: b.length };
}

test('prompts: espeak-ng renders text as 8 kHz mono 16-bit WAV of a plausible length', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'callbox-speech-')), 'x', 'hello.wav');
  await renderSpeech('Please leave your message after the tone.', file);
  const f = wavFormat(file);
  t.like(f, { riff: 'RIFF', channels: 1, rate: 8000, bits: 16 });
  // About two seconds of speech at 16 kB/s: neither empty nor runaway.
  t.true(f.bytes > 16000 && f.bytes < 80000, String(f.bytes));
});

test('prompts: an unknown voice is a clear error and leaves no file behind', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-speech-'));
  const e = await t.throwsAsync(renderSpeech('x', join(dir, 'bad.wav'), { voice: 'no-such-voice', rate: 160, volume: 100 }), { instanceOf: SpeechError });
  t.regex(e!.message, /no voice "no-such-voice"/);
  t.throws(() => statSync(join(dir, 'bad.wav')));
});

test('prompts: every system prompt is rendered once; a restart renders nothing; a changed file is rendered again', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-system-prompts-'));
  const first = await ensureSystemPrompts(dir, silentLogger());
  t.deepEqual(first, { rendered: Object.keys(SYSTEM_PROMPTS).length, failed: [], available: true });
  for (const name of ['vm/record-message', 'digits/7', 'digits/hundred']) t.like(wavFormat(join(dir, `${name}.wav`)), { riff: 'RIFF', rate: 8000 });
  t.deepEqual(await ensureSystemPrompts(dir, silentLogger()), { rendered: 0, failed: [], available: true });
  // A manifest naming an old text (an upgrade that reworded a prompt) renders that prompt again.
  const manifest = JSON.parse(readFileSync(join(dir, '.rendered.json'), 'utf8')) as Record<string, string>;
  writeFileSync(join(dir, '.rendered.json'), JSON.stringify({ ...manifest, 'vm/goodbye': 'stale' }));
  t.like(await ensureSystemPrompts(dir, silentLogger()), { rendered: 1 });
});
