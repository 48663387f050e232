import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestClient } from '../../test/http-client.js';
import { makeTestContext, type TestContext } from '../../test/make-test-context.js';

interface Ctx {
  ctx: TestContext;
  server: Awaited<ReturnType<typeof startTestServer>>;
  c: TestClient;
  wav: Buffer;
}
const test = anyTest as TestFn<Ctx>;
test.beforeEach(async (t) => {
  const ctx = await makeTestContext();
  await ctx.addUser('root', 'admin');
  const server = await startTestServer(ctx);
  const c = server.client();
  await c.login('root');
  await c.get('/admin/prompts');
  const file = join(ctx.dataDir, 'fixture.wav');
  execFileSync('sox', ['-n', '-r', '16000', '-c', '1', file, 'synth', '2', 'sine', '440']);
  t.context = { ctx, server, c, wav: readFileSync(file) };
});
test.afterEach.always(async (t) => {
  await t.context.server.close();
  t.context.ctx.close();
});

/** Nothing kept: no row, no prompt file, no work file. */
function nothingSaved(t: ExecutionContext<Ctx>) {
  const sounds = join(t.context.ctx.dataDir, 'sounds');
  t.is(t.context.ctx.prompts.list({}).total, 0);
  for (const dir of ['prompts', '.incoming']) t.deepEqual(existsSync(join(sounds, dir)) ? readdirSync(join(sounds, dir)) : [], [], dir);
}

test('http prompts: an uploaded WAV is saved and played with seeking: a range request answers 206 with those bytes', async (t) => {
  const { c, ctx, wav } = t.context;
  const res = await c.upload('/admin/prompts/upload', { name: 'Welcome', category: 'prompt' }, { name: 'welcome.wav', data: wav, type: 'audio/wav' });
  t.is(res.status, 303);
  const id = /^\/admin\/prompts\/(\d+)$/.exec(res.location!)![1]!;
  const page = await c.get(res.location!);
  t.regex(page.text, /Prompt Welcome saved/);
  t.regex(page.text, /<span class="badge badge-on">ready<\/span>/);
  t.regex(page.text, new RegExp(`<audio controls preload="none" src="/admin/prompts/${id}/audio.wav">`));
  t.regex(page.text, /welcome\.wav/);
  const whole = readFileSync(ctx.prompts.fileOf(Number(id))!);
  const full = await c.raw(`/admin/prompts/${id}/audio.wav`);
  t.is(full.status, 200);
  t.is(full.headers.get('content-type'), 'audio/wav');
  t.is(full.headers.get('accept-ranges'), 'bytes');
  const part = await c.raw(`/admin/prompts/${id}/audio.wav`, { range: 'bytes=100-1099' });
  t.is(part.status, 206);
  t.is(part.headers.get('content-range'), `bytes 100-1099/${whole.length}`);
  t.deepEqual(Buffer.from(await part.arrayBuffer()), whole.subarray(100, 1100));
  const list = await c.get('/admin/prompts?source=upload&status=ready');
  t.regex(list.text, /<a href="\/admin\/prompts\/\d+">Welcome<\/a>/);
  t.regex(list.text, /<td class="nowrap">2s<\/td>/);
  t.notRegex((await c.get('/admin/prompts?source=tts')).text, />Welcome</);
});

test('http prompts: a file that is not audio is refused on the form with a field error, and nothing is saved', async (t) => {
  const { c } = t.context;
  const res = await c.upload('/admin/prompts/upload', { name: 'Notes' }, { name: 'notes.wav', data: Buffer.from('%PDF-1.4 not audio at all'), type: 'audio/wav' });
  t.is(res.status, 422);
  t.regex(res.text, /<p class="field-error" id="ue-file">This is not a WAV or MP3 file/);
  t.regex(res.text, /<input id="u-name" name="name" type="text" value="Notes"/, 'what was typed is kept');
  nothingSaved(t);
});

test('http prompts: a WAV with a valid header and a garbage body is refused as damaged, and nothing is saved', async (t) => {
  const { c } = t.context;
  const garbage = Buffer.concat([Buffer.from('RIFF\x24\x40\x00\x00WAVE', 'latin1'), Buffer.from(Array.from({ length: 16000 }, (_, i) => (i * 7919) % 251))]);
  const res = await c.upload('/admin/prompts/upload', { name: 'Broken' }, { name: 'broken.wav', data: garbage });
  t.is(res.status, 422);
  t.regex(res.text, /This WAV file cannot be read: it is damaged or not really WAV audio\. Nothing was saved\./);
  nothingSaved(t);
});

test('http prompts: an upload over 5 MB is cut off with 413 and a clear error; nothing is saved and no file is left', async (t) => {
  const { c } = t.context;
  const big = Buffer.concat([t.context.wav.subarray(0, 44), Buffer.alloc(6 * 1024 * 1024, 1)]);
  const res = await c.upload('/admin/prompts/upload', { name: 'Huge' }, { name: 'huge.wav', data: big });
  t.is(res.status, 413);
  t.regex(res.text, /This file is too big: uploads may be at most 5 MB\. Nothing was saved\./);
  nothingSaved(t);
  // The recorder asks for JSON and gets the same refusal.
  const json = await c.upload('/admin/prompts/upload', { name: 'Huge', source: 'recording' }, { name: 'recording.wav', data: big }, { headers: { accept: 'application/json' } });
  t.is(json.status, 413);
  t.like(JSON.parse(json.text), { code: 'upload.too_large', fields: { file: 'This file is too big: uploads may be at most 5 MB. Nothing was saved.' } });
  nothingSaved(t);
});

test('http prompts: the recorder posts with fetch and gets JSON: the new prompt, or the field errors', async (t) => {
  const { c, ctx, wav } = t.context;
  const headers = { accept: 'application/json' };
  const bad = await c.upload('/admin/prompts/upload', { name: '', source: 'recording' }, { name: 'recording.wav', data: wav }, { headers });
  t.is(bad.status, 422);
  t.deepEqual(JSON.parse(bad.text).fields, { name: 'Enter a name.' });
  const ok = await c.upload('/admin/prompts/upload', { name: 'Greeting', category: 'prompt', source: 'recording' }, { name: 'recording.wav', data: wav }, { headers });
  t.is(ok.status, 201);
  const { id, url } = JSON.parse(ok.text) as { id: number; url: string };
  t.is(url, `/admin/prompts/${id}`);
  t.like(ctx.prompts.get(id), { source: 'recording', status: 'ready' });
});

test('http prompts: an upload without the CSRF token, or with the file before it, is refused and nothing is read into place', async (t) => {
  const { c, wav } = t.context;
  t.is((await c.upload('/admin/prompts/upload', { name: 'Forged' }, { name: 'x.wav', data: wav }, { csrf: false })).status, 403);
  const form = new FormData();
  form.append('name', 'Forged');
  form.append('file', new Blob([new Uint8Array(wav)]), 'x.wav');
  form.append('_csrf', c.csrf);
  t.is((await c.request('POST', '/admin/prompts/upload', { multipart: form })).status, 403, 'the token must come before the file');
  // Only the upload's route reads a multipart body: anywhere else, a multipart post needs the header.
  const user = t.context.ctx.users.list({}).items[0]!;
  t.is((await c.upload(`/admin/users/${user.id}/disable`, {}, undefined, { csrf: false })).status, 403);
  nothingSaved(t);
});

test('http prompts: text to speech is created from the form, shows field errors, and becomes ready with a player', async (t) => {
  const { c, ctx } = t.context;
  const bad = await c.post('/admin/prompts/speech', { name: 'Hours', text: '', voice: 'en-us', rate: '500', volume: '100' });
  t.is(bad.status, 422);
  t.regex(bad.text, /id="e-text">Enter the text to speak/);
  t.regex(bad.text, /id="e-rate">Use 80 to 300 words per minute/);
  t.regex(bad.text, /<option value="cmn">Chinese, Mandarin \(cmn\)<\/option>/);
  const ok = await c.post('/admin/prompts/speech', { name: 'Hours', text: 'We are open from nine to five.', voice: 'en-gb', rate: '150', volume: '100' });
  t.is(ok.status, 303);
  const rendering = await c.get(ok.location!);
  t.regex(rendering.text, /rendering…|badge-on">ready/);
  await ctx.prompts.idle();
  const page = await c.get(ok.location!);
  t.regex(page.text, /badge-on">ready/);
  t.regex(page.text, /<audio controls preload="none" src="\/admin\/prompts\/\d+\/audio.wav">/);
  t.regex(page.text, /<option value="en-gb" selected>/);
  const status = JSON.parse((await c.get(`/admin/prompts/status.json?ids=${ok.location!.split('/').pop()}`, { accept: 'application/json' })).text);
  t.like(status.prompts[0], { status: 'ready', error: null });
  const audit = ctx.audit.list({}).items.map((e) => e.action);
  t.true(audit.includes('prompt.created'));
});

test('http prompts: renaming and deleting from the detail page, audited', async (t) => {
  const { c, ctx, wav } = t.context;
  const res = await c.upload('/admin/prompts/upload', { name: 'Old name' }, { name: 'a.wav', data: wav });
  const path = res.location!;
  await c.get(path);
  t.is((await c.post(path, { name: '' })).status, 422);
  const renamed = await c.post(path, { name: 'New name' });
  t.is(renamed.status, 303);
  t.regex((await c.get(path)).text, /<h1>New name<\/h1>/);
  const del = await c.post(`${path}/delete`);
  t.is(del.location, '/admin/prompts');
  t.regex((await c.get('/admin/prompts')).text, /Prompt New name deleted/);
  t.deepEqual(ctx.audit.list({}).items.map((e) => e.action).filter((a) => a.startsWith('prompt.')).sort(), ['prompt.created', 'prompt.deleted', 'prompt.updated']);
  nothingSaved(t);
});

test('http prompts: supervisors listen but change nothing; agents do not see prompts', async (t) => {
  const { ctx, server, wav } = t.context;
  const p = await ctx.prompts.upload({ name: 'Welcome', originalName: null, file: join(ctx.dataDir, 'fixture.wav') }, { userId: null, name: 'test', ip: '127.0.0.1' });
  await ctx.addUser('sue', 'supervisor');
  await ctx.addUser('al', 'agent');
  const sue = server.client();
  await sue.login('sue');
  const list = await sue.get('/admin/prompts');
  t.is(list.status, 200);
  t.regex(list.text, /Welcome/);
  t.notRegex(list.text, /Add a prompt/);
  t.is((await sue.get(`/admin/prompts/${p.id}/audio.wav`)).status, 200);
  t.is((await sue.post('/admin/prompts/speech', { name: 'X', text: 'Hi', voice: 'en-us' })).status, 403);
  t.is((await sue.upload('/admin/prompts/upload', { name: 'X' }, { name: 'x.wav', data: wav })).status, 403);
  t.is((await sue.post(`/admin/prompts/${p.id}/delete`)).status, 403);
  const al = server.client();
  await al.login('al');
  t.is((await al.get('/admin/prompts')).status, 403);
  t.is((await al.get(`/admin/prompts/${p.id}/audio.wav`)).status, 403);
  t.is(ctx.prompts.list({}).total, 1);
});

test('http prompts: the generated default hold music is listed with a player', async (t) => {
  const { c } = t.context;
  const page = await c.get('/admin/prompts');
  t.regex(page.text, /Music on hold: Default \(generated\)/);
  t.regex(page.text, /<audio controls preload="none" src="\/admin\/prompts\/default-music.wav">/);
  const wav = await c.get('/admin/prompts/default-music.wav');
  t.is(wav.status, 200);
  t.is(wav.headers.get('content-type'), 'audio/wav');
});
