import anyTest, { type TestFn } from 'ava';
import { WebSocket } from 'ws';
import { startFakeSipWs } from '../test/fake-sip-ws.js';
import { startTestServer, type TestClient } from '../test/http-client.js';
import { makeTestContext, testActor, type TestContext } from '../test/make-test-context.js';
import { foreignRequest } from './sip-proxy.js';

interface Ctx {
  ctx: TestContext;
  upstream: Awaited<ReturnType<typeof startFakeSipWs>>;
  server: Awaited<ReturnType<typeof startTestServer>>;
  /** Ann's extension 1001 allows a browser phone; Bob's 1002 does not; Carl is a user but no agent. */
  sipPassword: string;
  ext: { ann: number; bob: number };
}
const test = anyTest as TestFn<Ctx>;

test.beforeEach(async (t) => {
  const ctx = await makeTestContext();
  const [ann, bob] = [await ctx.addUser('ann', 'agent'), await ctx.addUser('bob', 'agent')];
  await ctx.addUser('carl', 'agent');
  const e1 = ctx.extensions.create({ number: '1001', displayName: 'Ann Desk', isEnabled: 'on', browserPhone: 'on' }, testActor);
  const e2 = ctx.extensions.create({ number: '1002', displayName: 'Bob Desk', isEnabled: 'on' }, testActor);
  await ctx.agents.create({ userId: String(ann.id), number: '201', deviceKind: 'extension', extensionId: String(e1.extension.id) }, testActor);
  await ctx.agents.create({ userId: String(bob.id), number: '202', deviceKind: 'extension', extensionId: String(e2.extension.id) }, testActor);
  const upstream = await startFakeSipWs();
  t.context = { ctx, upstream, server: await startTestServer(ctx, { sipUpstream: upstream.url }), sipPassword: e1.sipPassword, ext: { ann: e1.extension.id, bob: e2.extension.id } };
});
test.afterEach.always(async (t) => {
  await t.context.server.close();
  await t.context.upstream.close();
  t.context.ctx.close();
});

type Opened = { ws: WebSocket } | { status: number; body: string };
/** Open /sip as a browser on this console would (its Origin, its cookie), or get the refused upgrade's status. */
function openSip(base: string, o: { client?: TestClient; origin?: string | null; protocol?: string } = {}): Promise<Opened> {
  const headers: Record<string, string> = {};
  const cookie = o.client?.cookie('callbox_sid');
  if (cookie) headers.cookie = `callbox_sid=${cookie}`;
  if (o.origin !== null) headers.origin = o.origin ?? base;
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/sip`, o.protocol ?? 'sip', { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', reject);
  });
}
const signedIn = async (t: { context: Ctx }, who: string) => {
  const c = t.context.server.client();
  await c.login(who);
  return c;
};
const closeOf = (ws: WebSocket) => new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
const nextMessage = (ws: WebSocket) => new Promise<string>((r) => ws.once('message', (d) => r(Buffer.from(d as Buffer).toString())));

const register = (user: string, o: { to?: string; authUser?: string; from?: string } = {}) =>
  [
    `REGISTER sip:127.0.0.1 SIP/2.0`,
    'Via: SIP/2.0/WSS abc.invalid;branch=z9hG4bK776',
    'Max-Forwards: 69',
    `To: <sip:${o.to ?? user}@127.0.0.1>`,
    `From: "Someone" <sip:${o.from ?? user}@127.0.0.1>;tag=4t7v`,
    'Call-ID: reg-call-1',
    'CSeq: 1 REGISTER',
    'Contact: <sip:xyz@abc.invalid;transport=ws>;expires=600',
    ...(o.authUser ? [`Authorization: Digest algorithm=MD5, username="${o.authUser}", realm="127.0.0.1", nonce="n", uri="sip:127.0.0.1", response="r"`] : []),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

test('browser phone: /agent/phone gives an allowed agent the account and the proxy path, and no cache keeps it', async (t) => {
  const c = await signedIn(t, 'ann');
  const r = await c.request('GET', '/agent/phone', { headers: { accept: 'application/json' } });
  t.is(r.status, 200);
  t.is(r.headers.get('cache-control'), 'no-store');
  const body = JSON.parse(r.text) as Record<string, string>;
  t.deepEqual(body, { wsPath: '/sip', uri: 'sip:1001@127.0.0.1', authorizationUser: '1001', password: t.context.sipPassword, displayName: 'Ann Desk', userAgent: body.userAgent! });
  t.regex(body.userAgent!, /^Callbox Browser \(JsSIP \d+\.\d+\.\d+\)$/);
});

test('browser phone: /agent/phone is 403 with the reason for an extension without it, a user who is no agent, and once the flag is turned off', async (t) => {
  const bob = await signedIn(t, 'bob');
  const r = await bob.request('GET', '/agent/phone', { headers: { accept: 'application/json' } });
  t.is(r.status, 403);
  t.deepEqual(JSON.parse(r.text), { code: 'phone.not_allowed', message: 'Extension 1002 does not allow a browser phone: an administrator can allow it on the extension\'s page.' });
  t.regex((await (await signedIn(t, 'carl')).get('/agent/phone')).text, /not set up as an agent/);
  t.context.ctx.extensions.update(t.context.ext.ann, { number: '1001', displayName: 'Ann Desk', isEnabled: 'on' }, testActor);
  const ann = await signedIn(t, 'ann');
  t.is((await ann.get('/agent/phone')).status, 403);
  // Without a session the console sends the browser to sign in, as for every page.
  t.is((await t.context.server.client().get('/agent/phone')).status, 303);
});

test('browser phone: the proxy refuses an upgrade without a session (401), from a user who is no agent, an extension without it and a foreign Origin (403)', async (t) => {
  const { base } = t.context.server;
  t.like(await openSip(base), { status: 401, body: 'Not signed in.\n' });
  t.like(await openSip(base, { client: await signedIn(t, 'carl') }), { status: 403, body: 'You are not set up as an agent.\n' });
  t.like(await openSip(base, { client: await signedIn(t, 'bob') }), { status: 403 });
  const ann = await signedIn(t, 'ann');
  t.like(await openSip(base, { client: ann, origin: 'https://evil.example' }), { status: 403, body: 'The Origin does not match this console.\n' });
  t.like(await openSip(base, { client: ann, origin: null }), { status: 403 });
  t.like(await openSip(base, { client: ann, protocol: 'chat' }), { status: 400 });
  const elsewhere = await new Promise<number>((resolve) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/other`, 'sip', { headers: { origin: base } });
    ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
  });
  t.is(elsewhere, 404);
  t.is(t.context.upstream.connections, 0, 'no refused upgrade reached FreeSWITCH');
  t.is(t.context.server.sipProxy.openSockets, 0);
});

test('browser phone: the proxy relays a REGISTER to FreeSWITCH and its 200 OK back, and closes the upstream when the browser leaves', async (t) => {
  const opened = await openSip(t.context.server.base, { client: await signedIn(t, 'ann') });
  if (!('ws' in opened)) return t.fail(`refused: ${opened.status} ${opened.body}`);
  const { ws } = opened;
  t.is(ws.protocol, 'sip');
  t.is(t.context.server.sipProxy.openSockets, 1);
  const reply = nextMessage(ws);
  ws.send(register('1001', { authUser: '1001' }));
  const text = await reply;
  t.regex(text, /^SIP\/2.0 200 OK\r\n/);
  t.regex(text, /Call-ID: reg-call-1/);
  t.regex(text, /CSeq: 1 REGISTER/);
  t.is(t.context.upstream.received.length, 1);
  t.regex(t.context.upstream.received[0]!, /^REGISTER sip:127.0.0.1 SIP\/2.0/);
  // Responses from the browser (to FreeSWITCH's INVITEs) pass whatever their From says.
  ws.send('SIP/2.0 180 Ringing\r\nFrom: <sip:5551000@x>;tag=1\r\nTo: <sip:1001@x>;tag=2\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\r\n');
  await until(() => t.context.upstream.received.length === 2);
  ws.close();
  await until(() => t.context.upstream.connections === 0 && t.context.server.sipProxy.openSockets === 0);
  t.pass();
});

test('browser phone: a request as another extension closes the socket with the reason, before it reaches FreeSWITCH', async (t) => {
  const ann = await signedIn(t, 'ann');
  for (const bad of [register('1002'), register('1001', { to: '1002' }), register('1001', { authUser: '1002' })]) {
    const opened = await openSip(t.context.server.base, { client: ann });
    if (!('ws' in opened)) return t.fail(`refused: ${opened.status}`);
    const closed = closeOf(opened.ws);
    opened.ws.send(bad);
    const { code, reason } = await closed;
    t.is(code, 1008);
    t.is(reason, 'SIP requests must be from extension 1001, not 1002.');
  }
  t.deepEqual(t.context.upstream.received, []);
});

test('browser phone: without FreeSWITCH the browser\'s socket closes with 1011 and says why', async (t) => {
  await t.context.upstream.close();
  const opened = await openSip(t.context.server.base, { client: await signedIn(t, 'ann') });
  if (!('ws' in opened)) return t.fail(`refused: ${opened.status}`);
  const closed = await closeOf(opened.ws);
  t.deepEqual(closed, { code: 1011, reason: 'FreeSWITCH is not reachable.' });
  await until(() => t.context.server.sipProxy.openSockets === 0);
});

test('browser phone: foreignRequest reads From, compact headers, folded lines and escaped users; in-dialog requests pass', (t) => {
  const msg = (headers: string[]) => Buffer.from(['INVITE sip:2000@h SIP/2.0', ...headers, '', 'v=0'].join('\r\n'));
  t.is(foreignRequest(msg(['f: <sip:1001@h>;tag=1']), '1001'), null);
  t.is(foreignRequest(msg(['From: "1001"', ' <sip:1002@h>;tag=1']), '1001'), '1002');
  t.is(foreignRequest(msg(['From: <sip:%31%30%30%32@h>']), '1001'), '1002');
  t.is(foreignRequest(msg(['To: <sip:1001@h>']), '1001'), '(no From)');
  t.is(foreignRequest(msg(['From: <sip:1001@h>', 'From: <sip:1002@h>']), '1001'), '(no From)');
  t.is(foreignRequest(msg(['From: <sip:h>']), '1001'), '(no user in From)');
  t.is(foreignRequest(Buffer.from('SIP/2.0 200 OK\r\nFrom: <sip:9@h>\r\n\r\n'), '1001'), null);
  // A BYE in a call FreeSWITCH made to the phone: From is the phone's contact user; the dialog is FreeSWITCH's own.
  t.is(foreignRequest(Buffer.from('BYE sip:mod_sofia@127.0.0.1 SIP/2.0\r\nFrom: <sip:k3j4h5@df7jal23ls0d.invalid>;tag=a\r\nTo: <sip:5551000@127.0.0.1>;tag=b\r\n\r\n'), '1001'), null);
  // …but a tag does not let a REGISTER or a MESSAGE through as another extension, nor does a new INVITE pass without one.
  t.is(foreignRequest(Buffer.from('REGISTER sip:h SIP/2.0\r\nFrom: <sip:1002@h>;tag=a\r\nTo: <sip:1002@h>;tag=b\r\n\r\n'), '1001'), '1002');
  t.is(foreignRequest(Buffer.from('MESSAGE sip:2000@h SIP/2.0\r\nFrom: <sip:1002@h>;tag=a\r\nTo: <sip:2000@h>;tag=b\r\n\r\n'), '1001'), '1002');
  t.is(foreignRequest(Buffer.from('INVITE sip:2000@h SIP/2.0\r\nFrom: <sip:1002@h>;tag=a\r\nTo: <sip:2000@h>\r\n\r\n'), '1001'), '1002');
});

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
