import anyTest, { type TestFn } from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, ValidationError } from '../../errors.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';
import { PromptService, type PromptDeps } from './prompts.service.js';
import { renderSpeech, SpeechError } from './speech.js';

interface Ctx {
  ctx: TestContext;
  make(extra?: Partial<PromptDeps>): { svc: PromptService; published: string[]; renders: string[] };
  fixture(name: string, soxArgs: string[]): string;
}
const test = anyTest as TestFn<Ctx>;
test.beforeEach(async (t) => {
  const ctx = await makeTestContext();
  t.context = {
    ctx,
    make(extra = {}) {
      const published: string[] = [];
      const renders: string[] = [];
      const svc = new PromptService({
        db: ctx.db,
        clock: ctx.clock,
        audit: ctx.audit,
        log: ctx.log,
        soundsDir: join(ctx.dataDir, 'sounds'),
        publish: (r) => published.push(r),
        usedBy: () => [],
        holdMusic: () => '',
        // The real renderer, counted: a cache hit must not reach it.
        render: async (text, file, voice) => {
          renders.push(text);
          await renderSpeech(text, file, voice);
        },
        ...extra,
      });
      return { svc, published, renders };
    },
    /** A sound made by sox now (stereo 44.1 kHz unless told), so no binary fixture is needed. */
    fixture(name, soxArgs) {
      const file = join(ctx.dataDir, name);
      execFileSync('sox', ['-n', '-r', '44100', '-c', '2', file, ...soxArgs]);
      return file;
    },
  };
});
test.afterEach.always((t) => t.context.ctx.close());

/** The WAV header's format: what FreeSWITCH plays to phone callers without resampling. */
function wavFormat(file: string) {
  const b = readFileSync(file);
  return { riff: b.toString('latin1', 0, 4), wave: b.toString('latin1', 8, 12), format: b.readUInt16LE(20), channels: b.readUInt16LE(22), rate: b.readUInt32LE(24), bits: b.readUInt16LE(34) };
}
const TELEPHONY = { riff: 'RIFF', wave: 'WAVE', format: 1, channels: 1, rate: 8000, bits: 16 };
const wavsIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.wav')) : []);

test('prompts: an uploaded stereo 44.1 kHz WAV is stored as 8 kHz mono 16-bit, named by its hash, with its length and size', async (t) => {
  const { svc } = t.context.make();
  const p = await svc.upload({ name: 'Welcome', category: 'prompt', originalName: 'welcome.wav', file: t.context.fixture('in.wav', ['synth', '1.5', 'sine', '440']) }, testActor);
  t.like(p, { name: 'Welcome', category: 'prompt', source: 'upload', status: 'ready', originalName: 'welcome.wav', speech: null });
  t.regex(p.hash, /^[0-9a-f]{64}$/);
  t.true(Math.abs(p.durationMs! - 1500) < 20, String(p.durationMs));
  const file = svc.fileOf(p.id)!;
  t.is(file, join(t.context.ctx.dataDir, 'sounds', 'prompts', `${p.hash}.wav`));
  t.like(wavFormat(file), TELEPHONY);
  t.is(p.sizeBytes, readFileSync(file).length);
  t.deepEqual(svc.listReady(), [{ id: p.id, name: 'Welcome' }]);
  t.is(t.context.ctx.audit.list({}).items[0]!.action, 'prompt.created');
  t.deepEqual(readdirSync(svc.files.incomingDir), [], 'no work files left');
});

test('prompts: an uploaded MP3 is converted to 8 kHz mono WAV', async (t) => {
  const { svc } = t.context.make();
  const mp3 = t.context.fixture('in.mp3', ['synth', '2', 'sine', '330']);
  t.is(readFileSync(mp3).toString('latin1', 0, 4) === 'RIFF', false);
  const p = await svc.upload({ name: 'Jingle', category: 'prompt', originalName: 'jingle.mp3', file: mp3 }, testActor);
  t.like(wavFormat(svc.fileOf(p.id)!), TELEPHONY);
  t.true(p.durationMs! > 1800 && p.durationMs! < 2300, String(p.durationMs));
});

test('prompts: the same audio under two names is stored once, and its file goes with the last prompt using it', async (t) => {
  const { svc } = t.context.make();
  const wav = t.context.fixture('in.wav', ['synth', '1', 'sine', '500']);
  const a = await svc.upload({ name: 'One', originalName: null, file: wav }, testActor);
  const b = await svc.upload({ name: 'Two', originalName: null, file: wav }, testActor);
  t.is(a.hash, b.hash);
  const dir = join(t.context.ctx.dataDir, 'sounds', 'prompts');
  t.deepEqual(wavsIn(dir), [`${a.hash}.wav`]);
  svc.delete(a.id, testActor);
  t.true(existsSync(svc.fileOf(b.id)!));
  svc.delete(b.id, testActor);
  t.deepEqual(wavsIn(dir), []);
});

test('prompts: names are unique whatever their case', async (t) => {
  const { svc } = t.context.make();
  const wav = t.context.fixture('in.wav', ['synth', '1', 'sine', '500']);
  await svc.upload({ name: 'Welcome', originalName: null, file: wav }, testActor);
  const e = await t.throwsAsync(svc.upload({ name: 'WELCOME', originalName: null, file: wav }, testActor), { instanceOf: ValidationError });
  t.regex(e.fields.name!, /A prompt named Welcome already exists/);
});

test('prompts: a file that is not WAV or MP3, or a WAV sox cannot read, is refused with a field error and nothing is kept', async (t) => {
  const { svc } = t.context.make();
  const text = join(t.context.ctx.dataDir, 'notes.wav');
  writeFileSync(text, 'just some text, named like a wav');
  const e1 = await t.throwsAsync(svc.upload({ name: 'Text', originalName: 'notes.wav', file: text }, testActor), { instanceOf: ValidationError });
  t.regex(e1.fields.file!, /not a WAV or MP3 file/);
  const corrupt = join(t.context.ctx.dataDir, 'corrupt.wav');
  writeFileSync(corrupt, Buffer.concat([Buffer.from('RIFF\x24\x10\x00\x00WAVE', 'latin1'), Buffer.alloc(4096, 0x5a)]));
  const e2 = await t.throwsAsync(svc.upload({ name: 'Corrupt', originalName: 'corrupt.wav', file: corrupt }, testActor), { instanceOf: ValidationError });
  t.regex(e2.fields.file!, /This WAV file cannot be read: it is damaged/);
  t.is(svc.list({}).total, 0);
  t.deepEqual(wavsIn(join(t.context.ctx.dataDir, 'sounds', 'prompts')), []);
  t.deepEqual(readdirSync(svc.files.incomingDir), []);
});

test('prompts: recordings longer than 10 minutes are refused', async (t) => {
  const { svc } = t.context.make();
  // 11 minutes of 8 kHz 8-bit u-law: about 5 MB, the kind of file that still fits the upload limit.
  const long = join(t.context.ctx.dataDir, 'long.wav');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'u-law', long, 'synth', '660', 'sine', '300']);
  const e = await t.throwsAsync(svc.upload({ name: 'Long', originalName: null, file: long }, testActor), { instanceOf: ValidationError });
  t.regex(e.fields.file!, /lasts more than 10 minutes, the most a prompt may last/);
});

test('prompts: text to speech in English and Mandarin is rendering at once, then ready with real audio', async (t) => {
  const { svc } = t.context.make();
  const en = await svc.createSpeech({ name: 'Hours', text: 'We are open from nine to five.', voice: 'en-gb', rate: '150', volume: '100' }, testActor);
  const zh = await svc.createSpeech({ name: 'Welcome zh', text: '欢迎致电，请稍候。', voice: 'cmn', rate: '160', volume: '120' }, testActor);
  t.is(en.status, 'rendering');
  t.is(svc.fileOf(en.id), null, 'nothing to play while it renders');
  await svc.idle();
  for (const p of [svc.get(en.id)!, svc.get(zh.id)!]) {
    t.like(p, { status: 'ready', error: null });
    t.true(p.durationMs! > 500, `${p.name}: ${p.durationMs}`);
    t.like(wavFormat(svc.fileOf(p.id)!), TELEPHONY);
  }
  t.deepEqual(svc.get(zh.id)!.speech, { text: '欢迎致电，请稍候。', voice: 'cmn', rate: 160, volume: 120 });
});

test('prompts: the same speech is never rendered twice, and an edit renders again and drops the old file', async (t) => {
  const { svc, renders } = t.context.make();
  const speech = { text: 'Please hold.', voice: 'en-us', rate: '160', volume: '100' };
  const a = await svc.createSpeech({ ...speech, name: 'Hold A' }, testActor);
  await svc.idle();
  const b = await svc.createSpeech({ ...speech, name: 'Hold B' }, testActor);
  await svc.idle();
  t.is(a.hash, b.hash);
  t.deepEqual(renders, ['Please hold.']);
  t.like(svc.get(b.id), { status: 'ready' });
  // Renaming only: nothing to speak again.
  await svc.update(b.id, { ...speech, name: 'Hold B2' }, testActor);
  t.like(svc.get(b.id), { name: 'Hold B2', status: 'ready' });
  const edited = await svc.update(b.id, { ...speech, name: 'Hold B2', text: 'Please hold the line.' }, testActor);
  t.is(edited.status, 'rendering');
  await svc.idle();
  t.deepEqual(renders, ['Please hold.', 'Please hold the line.']);
  t.like(svc.get(b.id), { status: 'ready' });
  t.not(svc.get(b.id)!.hash, a.hash);
  t.true(existsSync(svc.fileOf(a.id)!), 'the first file stays: Hold A still uses it');
  svc.delete(a.id, testActor);
  t.deepEqual(wavsIn(join(t.context.ctx.dataDir, 'sounds', 'prompts')), [`${svc.get(b.id)!.hash}.wav`]);
});

test('prompts: speak renders text for a call once, sharing one render among callers asking at the same time', async (t) => {
  const { svc, renders } = t.context.make();
  const speech = { text: 'Your balance is 42 dollars.', voice: 'en-us', rate: 170, volume: 100 };
  const files = await Promise.all([svc.speak(speech), svc.speak(speech), svc.speak(speech)]);
  t.is(new Set(files).size, 1);
  t.regex(files[0]!, /\/sounds\/tts\/[0-9a-f]{64}\.wav$/);
  t.like(wavFormat(files[0]!), TELEPHONY);
  t.is(await svc.speak(speech), files[0]);
  t.deepEqual(renders, ['Your balance is 42 dollars.']);
  t.not(await svc.speak({ ...speech, voice: 'en-gb' }), files[0], 'another voice is other speech');
  await t.throwsAsync(svc.speak({ ...speech, voice: 'xx-nowhere' }), { instanceOf: ValidationError });
  await t.throwsAsync(svc.speak({ ...speech, rate: 1000 }), { instanceOf: ValidationError });
});

test('prompts: a render that fails leaves the prompt failed with the error; saving it again retries', async (t) => {
  let fail = true;
  const { svc } = t.context.make({
    render: async (text, file, voice) => {
      if (fail) throw new SpeechError('espeak-ng failed (exit 1): out of words');
      await renderSpeech(text, file, voice);
    },
  });
  const p = await svc.createSpeech({ name: 'Broken', text: 'Hello', voice: 'en-us' }, testActor);
  await svc.idle();
  t.like(svc.get(p.id), { status: 'failed', error: 'espeak-ng failed (exit 1): out of words' });
  t.is(svc.fileOf(p.id), null);
  fail = false;
  await svc.update(p.id, { name: 'Broken', text: 'Hello', voice: 'en-us' }, testActor);
  await svc.idle();
  t.like(svc.get(p.id), { status: 'ready', error: null });
});

test('prompts: text to speech checks the voice against espeak-ng and the rate and volume ranges', async (t) => {
  const { svc } = t.context.make();
  const e = await t.throwsAsync(svc.createSpeech({ name: 'X', text: 'Hi', voice: 'tlh', rate: '20', volume: '300' }, testActor), { instanceOf: ValidationError });
  t.deepEqual(Object.keys(e.fields).sort(), ['rate', 'volume']);
  const v = await t.throwsAsync(svc.createSpeech({ name: 'X', text: 'Hi', voice: 'tlh' }, testActor), { instanceOf: ValidationError });
  t.regex(v.fields.voice!, /espeak-ng has no voice "tlh"/);
  t.is(svc.list({}).total, 0);
});

test('prompts: a prompt something uses cannot be deleted; the refusal names the users', async (t) => {
  const { svc } = t.context.make({ usedBy: () => ['flow Main menu', 'flow After hours'] });
  const p = await svc.upload({ name: 'Welcome', originalName: null, file: t.context.fixture('in.wav', ['synth', '1', 'sine', '500']) }, testActor);
  const e = t.throws(() => svc.delete(p.id, testActor), { instanceOf: ConflictError });
  t.is(e.message, 'Welcome cannot be deleted: flow Main menu, flow After hours play it.');
  t.truthy(svc.get(p.id));
});

test('prompts: music on hold gets its own local_stream folder, asks for a publish, and leaves with its folder', async (t) => {
  const { svc, published } = t.context.make();
  const p = await svc.upload({ name: 'Jazz', category: 'music', originalName: 'jazz.mp3', file: t.context.fixture('jazz.mp3', ['synth', '2', 'pluck', '220']) }, testActor);
  const dir = join(t.context.ctx.dataDir, 'sounds', 'music', String(p.id), '8000');
  t.is(svc.fileOf(p.id), join(dir, `${p.hash}.wav`));
  t.deepEqual(svc.forConfig(), [{ id: p.id, name: 'Jazz', dir }]);
  t.deepEqual(svc.listReady('music'), [{ id: p.id, name: 'Jazz' }]);
  t.deepEqual(svc.listReady(), []);
  t.deepEqual(published, ['hold music Jazz added']);
  svc.delete(p.id, testActor);
  t.false(existsSync(dir));
  t.deepEqual(published, ['hold music Jazz added', 'hold music Jazz removed']);
  t.deepEqual(svc.forConfig(), []);
});

test('prompts: after a restart, speech that was rendering is rendered', async (t) => {
  const first = t.context.make({ render: () => new Promise(() => undefined) });
  const p = await first.svc.createSpeech({ name: 'Interrupted', text: 'Thank you for calling.', voice: 'en-us' }, testActor);
  const { svc, renders } = t.context.make();
  svc.resume();
  await svc.idle();
  t.deepEqual(renders, ['Thank you for calling.']);
  t.like(svc.get(p.id), { status: 'ready' });
});
