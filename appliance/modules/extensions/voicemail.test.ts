import anyTest, { type TestFn } from 'ava';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { voicemailDirectory } from '../../confgen/model.js';
import { ValidationError } from '../../errors.js';
import { parseVoicemailList } from '../../freeswitch/voicemail.js';
import { startTestServer } from '../../test/http-client.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';

interface Ctx {
  ctx: TestContext;
  server: Awaited<ReturnType<typeof startTestServer>>;
}
const test = anyTest as TestFn<Ctx>;
test.beforeEach(async (t) => {
  const ctx = await makeTestContext({ http: { host: '127.0.0.1', port: 0, bodyLimitKb: 16 } });
  await ctx.addUser('root', 'admin');
  t.context = { ctx, server: await startTestServer(ctx) };
});
test.afterEach.always(async (t) => {
  await t.context.server.close();
  t.context.ctx.close();
});

const MESSAGE = '0e8ac0a1-7690-42fe-ba91-77a6f2655a1d';
// What `vm_list 1001@<domain>` printed on FreeSWITCH 1.10.12 (path and uuid as it writes them); the caller's name holds a colon.
const line = (path: string, read = 0) => `1795259728:${read}:1001:192.0.2.10:inbox:${path}:${MESSAGE}:Acme: Sales:+4930111222:6`;

test('voicemail: vm_list lines parse, a colon in the caller name included; other lines are ignored', (t) => {
  const [m] = parseVoicemailList(`${line('/var/lib/callbox/voicemail/192.0.2.10/1001/msg_x.wav')}\n+OK\n`);
  t.deepEqual(m, { uuid: MESSAGE, createdEpoch: 1795259728, readEpoch: null, folder: 'inbox', path: '/var/lib/callbox/voicemail/192.0.2.10/1001/msg_x.wav', callerName: 'Acme: Sales', callerNumber: '+4930111222', seconds: 6 });
  t.deepEqual(parseVoicemailList(''), []);
});

test('voicemail: a box needs a PIN that is not trivially guessed; the PIN stays out of the audit log and is kept when left empty', (t) => {
  const { extensions, audit } = t.context.ctx;
  const base = { number: '1001', displayName: 'Ann', isEnabled: 'on', voicemailEnabled: 'on' };
  const refused = (pin: string) => t.throws(() => extensions.create({ ...base, voicemailPin: pin }, testActor), { instanceOf: ValidationError })!.fields.voicemailPin;
  t.regex(t.throws(() => extensions.create(base, testActor), { instanceOf: ValidationError })!.fields.voicemailPin!, /Set a PIN/);
  t.regex(refused('12a4')!, /4 to 10 digits/);
  t.regex(refused('123')!, /4 to 10 digits/);
  t.regex(refused('7777')!, /one digit repeated/);
  t.regex(refused('123456')!, /run of digits/);
  t.regex(refused('9876')!, /run of digits/);
  t.regex(refused('1001')!, /extension number/);
  t.is(extensions.list({}).total, 0, 'nothing was created');
  const { extension } = extensions.create({ ...base, voicemailPin: '482915' }, testActor);
  t.true(extension.voicemailEnabled && extension.hasVoicemailPin);
  extensions.update(extension.id, { ...base, displayName: 'Ann B', voicemailPin: '' }, testActor);
  t.is(extensions.forConfig()[0]!.voicemailPin, '482915', 'an empty PIN field keeps the PIN');
  extensions.update(extension.id, { ...base, voicemailPin: '550271' }, testActor);
  t.is(extensions.forConfig()[0]!.voicemailPin, '550271');
  const logged = JSON.stringify(audit.list({}).items);
  t.false(logged.includes('482915') || logged.includes('550271'), 'no PIN in the audit log');
});

test('voicemail: own outbound limits are 1 to 100 at once and 1 to 10000 an hour, or empty for the policy; they reach the directory', async (t) => {
  const { extensions, publisher, config } = t.context.ctx;
  const e = t.throws(() => extensions.create({ number: '1001', displayName: 'Ann', isEnabled: 'on', outConcurrent: '0', outPerHour: 'lots' }, testActor), { instanceOf: ValidationError });
  t.deepEqual(Object.keys(e!.fields).sort(), ['outConcurrent', 'outPerHour']);
  extensions.create({ number: '1001', displayName: 'Ann', isEnabled: 'on', outConcurrent: '1', outPerHour: '' }, testActor);
  await publisher.publish('test', 'test');
  const dir = readFileSync(join(config.freeswitch.confDir, 'directory', 'default.xml'), 'utf8');
  t.regex(dir, /callbox_out_concurrent" value="1"/);
  t.regex(dir, /callbox_out_per_hour" value="30"/, "the policy's hourly limit");
});

test('http: an extension page lists its voicemail, plays a message with seeking, and deletes it', async (t) => {
  const { ctx, server } = t.context;
  const { extension } = ctx.extensions.create({ number: '1001', displayName: 'Ann', isEnabled: 'on', voicemailEnabled: 'on', voicemailPin: '482915' }, testActor);
  const c = server.client();
  await c.login('root');
  t.regex((await c.get(`/admin/extensions/${extension.id}`)).text, /FreeSWITCH is not connected: the messages show when it is/);

  const dir = join(voicemailDirectory(ctx.config), '192.0.2.10', '1001');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `msg_${MESSAGE}.wav`);
  writeFileSync(file, Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4000, 1)]));
  let listing = line(file);
  ctx.sw.respond = (cmd) => (cmd === 'global_getvar domain' ? '192.0.2.10' : cmd.startsWith('vm_list 1001@192.0.2.10') ? listing : '+OK');
  ctx.sw.setConnected(true);
  const page = await c.get(`/admin/extensions/${extension.id}`);
  t.regex(page.text, /Acme: Sales/);
  t.regex(page.text, /badge-on">new/);
  t.true(page.text.includes(`src="/admin/extensions/${extension.id}/voicemail/${MESSAGE}.wav"`));

  const audio = await c.get(`/admin/extensions/${extension.id}/voicemail/${MESSAGE}.wav`, { range: 'bytes=0-3' });
  t.is(audio.status, 206);
  t.is(audio.text, 'RIFF');
  t.regex(audio.headers.get('content-type') ?? '', /audio\/wav/);
  t.is((await c.get(`/admin/extensions/${extension.id}/voicemail/${'f'.repeat(8)}-0000-0000-0000-000000000000.wav`)).status, 404, 'not a message of this box');

  // A path outside the voicemail folder (a tampered database) is never served.
  listing = line('/etc/passwd.wav');
  t.is((await c.get(`/admin/extensions/${extension.id}/voicemail/${MESSAGE}.wav`)).status, 404);
  listing = line(file);

  const deleted = await c.post(`/admin/extensions/${extension.id}/voicemail/${MESSAGE}/delete`, {});
  t.is(deleted.status, 303);
  t.true(ctx.sw.lines().includes(`api vm_delete 1001@192.0.2.10 ${MESSAGE}`));
  t.is(ctx.audit.list({ action: 'voicemail.deleted' }).total, 1);
});

test('voicemail: a number sends calls to a box only where one exists; the box cannot be turned off while a number uses it; CSV names it', async (t) => {
  const { extensions, numbers, trunks, publisher, config } = t.context.ctx;
  const trunk = trunks.create({ name: 'Carrier A', authMode: 'ip', host: '203.0.113.10', port: '5060', transport: 'udp', allowedCidrs: '203.0.113.10', codecs: 'PCMU', dtmfMode: 'rfc2833', maxCalls: '5', isEnabled: 'on' }, testActor);
  const ann = extensions.create({ number: '1001', displayName: 'Ann', isEnabled: 'on' }, testActor).extension;
  const form = { number: '+4930111222', trunkId: String(trunk.id), isInbound: 'on', destinationKind: 'voicemail', destinationExtensionId: String(ann.id) };
  const refused = t.throws(() => numbers.create(form, testActor), { instanceOf: ValidationError });
  t.regex(refused!.fields.destinationExtensionId!, /no voicemail box/);
  t.is(numbers.list().length, 0);

  const withBox = { number: '1001', displayName: 'Ann', isEnabled: 'on', voicemailEnabled: 'on', voicemailPin: '482915' };
  extensions.update(ann.id, withBox, testActor);
  numbers.create(form, testActor);
  await publisher.publish('test', 'test');
  t.regex(readFileSync(join(config.freeswitch.confDir, 'dialplan', 'public.xml'), 'utf8'), /transfer" data="1001 XML callbox_voicemail"/);
  const off = t.throws(() => extensions.update(ann.id, { ...withBox, voicemailEnabled: '' }, testActor));
  t.regex(off!.message, /voicemail box of extension 1001 cannot be turned off: number \+4930111222 sends calls to it/);
  t.true(extensions.get(ann.id).voicemailEnabled, 'nothing changed');

  t.regex(numbers.exportCsv(), /\+4930111222,Carrier A,voicemail 1001,/);
  t.is(numbers.importCsv('number,trunk,destination\n+4930111333,Carrier A,voicemail 1001\n', testActor), 1);
  t.throws(() => numbers.importCsv('number,trunk,destination\n+4930111444,Carrier A,voicemail 9999\n', testActor), { message: /./ });
});
