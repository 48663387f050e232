import anyTest, { type TestFn } from 'ava';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer, type TestClient } from '../../test/http-client.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';
import { ClickToCallService } from './click-to-call.service.js';
import { HUAWEI_SDK_PATH } from './sdk.routes.js';

interface Ctx {
  ctx: TestContext;
  server: Awaited<ReturnType<typeof startTestServer>>;
  c: TestClient;
  dialled: unknown[][];
}
const test = anyTest as TestFn<Ctx>;
test.beforeEach(async (t) => {
  const ctx = await makeTestContext();
  await ctx.addUser('root', 'admin');
  const ann = await ctx.addUser('ann', 'agent');
  await ctx.agents.create({ userId: String(ann.id), number: '2001', deviceKind: 'external', externalNumber: '+491701234567' }, testActor);
  const dialled: unknown[][] = [];
  const clickToCall = new ClickToCallService({ db: ctx.db, clock: ctx.clock, audit: ctx.audit, log: ctx.log, agentExists: (n) => ctx.agents.options().some((a) => a.number === n), dialer: { dial: (...args) => (dialled.push(args), Promise.resolve({ callId: 'call-7' })) } });
  const server = await startTestServer({ ...ctx, clickToCall });
  const c = server.client();
  await c.login('root');
  t.context = { ctx, server, c, dialled };
});
test.afterEach.always(async (t) => {
  await t.context.server.close();
  t.context.ctx.close();
});

/** A form post with repeated fields (the parameter rows), as a browser sends it. */
const postRows = (c: TestClient, path: string, pairs: [string, string][]) =>
  c.request('POST', path, { body: new URLSearchParams([['_csrf', c.csrf], ...pairs]).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

/** A loopback "CRM" that answers with the given headers. */
async function crm(headers: Record<string, string>): Promise<{ origin: string; close: () => Promise<void> }> {
  const s: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html', ...headers }).end('<p>CRM</p>'));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return { origin: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, close: () => new Promise((r) => s.close(() => r())) };
}

test('http screen pops: origins, then a pop from the form (errors beside the fields, nothing saved), the list, order and enable', async (t) => {
  const { c, ctx } = t.context;
  const list = await c.get('/admin/screen-pops');
  t.is(list.status, 200);
  t.regex(list.text, /<a href="\/admin\/screen-pops" aria-current="page" class="current">Screen pops<\/a>/);
  const badOrigins = await c.post('/admin/screen-pops/origins', { origins: 'https://crm.example.com/app' });
  t.is(badOrigins.status, 422);
  t.regex(badOrigins.text, /id="e-origins">Not an origin: https:\/\/crm\.example\.com\/app/);
  t.deepEqual(ctx.screenPops.origins(), []);
  t.is((await c.post('/admin/screen-pops/origins', { origins: 'https://crm.example.com\nhttps://other.example.com:8443' })).status, 303);

  await c.get('/admin/screen-pops/new');
  const bad = await postRows(c, '/admin/screen-pops', [
    ['name', 'CRM'], ['url', 'https://evil.example.com/c'], ['openMode', 'embed'], ['integration', 'get'], ['trigger', 'answer'], ['isEnabled', 'on'],
    ['paramName', 'phone'], ['paramSource', 'call'], ['paramKey', 'callerNum'],
    ['paramName', '9x'], ['paramSource', 'var'], ['paramKey', 'account'],
  ]);
  t.is(bad.status, 422);
  t.regex(bad.text, /id="e-url">https:\/\/evil\.example\.com is not an allowed origin/);
  t.regex(bad.text, /id="e-param2">A name is a letter or _/);
  t.regex(bad.text, /id="f-param2-name" name="paramName" value="9x"/, 'what was typed stays');
  t.deepEqual(ctx.screenPops.list(), []);

  const ok = await postRows(c, '/admin/screen-pops', [
    ['name', 'CRM'], ['url', 'https://crm.example.com/c?tab=1'], ['openMode', 'embed'], ['integration', 'get'], ['trigger', 'answer'], ['isEnabled', 'on'],
    ['paramName', 'phone'], ['paramSource', 'call'], ['paramKey', 'callerNum'],
    ['paramName', 'acct'], ['paramSource', 'var'], ['paramKey', 'account'],
  ]);
  t.is(ok.status, 303);
  await c.post('/admin/screen-pops', { name: 'Orders', url: 'https://other.example.com:8443/orders', openMode: 'window', integration: 'post', trigger: 'ring' });
  const [crmPop, orders] = ctx.screenPops.list();
  t.deepEqual(crmPop!.params.map((p) => p.name), ['phone', 'acct']);
  t.false(orders!.isEnabled);

  const page = await c.get('/admin/screen-pops');
  t.regex(page.text, /<td>1<\/td>\s*<td><a href="\/admin\/screen-pops\/\d+">CRM<\/a> <span class="badge"[^>]*>2 params<\/span><\/td>\s*<td><code>https:\/\/crm\.example\.com\/c\?tab&#x3D;1<\/code><\/td>\s*<td>Embed<\/td>\s*<td>URL GET parameters<\/td>\s*<td>On answer<\/td>\s*<td><span class="badge badge-on">on<\/span>/);
  t.regex(page.text, /Orders<\/a><\/td>\s*<td><code>[^<]+<\/code><\/td>\s*<td>Open standalone<\/td>\s*<td>URL POST form<\/td>\s*<td>On ringing<\/td>\s*<td><span class="badge badge-off">off/);
  await c.post(`/admin/screen-pops/${orders!.id}/up`);
  await c.post(`/admin/screen-pops/${orders!.id}/enable`);
  t.deepEqual(ctx.screenPops.list().map((p) => [p.name, p.isEnabled]), [['Orders', true], ['CRM', true]]);
  await c.post('/admin/screen-pops/limits', { maxEnabledPops: '2', maxParams: '10' });
  await c.post(`/admin/screen-pops/${crmPop!.id}/disable`);
  t.is((await c.post('/admin/screen-pops/limits', { maxEnabledPops: '1', maxParams: '1' })).status, 422);
  t.is((await c.post('/admin/screen-pops/limits', { maxEnabledPops: '1', maxParams: '10' })).status, 303);
  const refused = await c.post(`/admin/screen-pops/${crmPop!.id}/enable`);
  t.is(refused.status, 303);
  t.regex((await c.get('/admin/screen-pops')).text, /At most 1 pops can be enabled/);
  await c.post(`/admin/screen-pops/${crmPop!.id}/delete`);
  t.deepEqual(ctx.screenPops.list().map((p) => p.name), ['Orders']);
});

test('http screen pops: only admins reach the pages', async (t) => {
  const agent = t.context.server.client();
  await agent.login('ann');
  t.is((await agent.get('/admin/screen-pops')).status, 403);
});

test('http screen pops: "Test pop" shows the sample address, admits the origin in its CSP and warns when the page refuses framing', async (t) => {
  const { c, ctx } = t.context;
  const denying = await crm({ 'x-frame-options': 'DENY' });
  const open = await crm({});
  t.teardown(async () => {
    await denying.close();
    await open.close();
  });
  ctx.screenPops.setOrigins({ origins: `${denying.origin}\n${open.origin}` }, testActor);
  const a = ctx.screenPops.create({ name: 'Denies', url: `${denying.origin}/c`, openMode: 'embed', integration: 'get', trigger: 'answer' }, testActor);
  const b = ctx.screenPops.create({ name: 'Open', url: `${open.origin}/p`, openMode: 'embed', integration: 'post', trigger: 'answer' }, testActor);
  const page = await c.get(`/admin/screen-pops/${a.id}/test`);
  t.is(page.status, 200);
  t.regex(page.text, /use <strong>Open standalone<\/strong>/);
  t.regex(page.text, /X-Frame-Options DENY/);
  const shown = `${denying.origin}/c\\?callerNum=88880085&calledNum=2222813&callid=1653963570-252&mediaType=1&callType=0&workNo=1001&origin=${t.context.server.base}`;
  t.regex(page.text, new RegExp(`data-testid="pop-url">${shown.replaceAll('&', '&amp;').replaceAll('=', '&#x3D;')}<`));
  const csp = page.headers.get('content-security-policy')!;
  const allowed = ctx.screenPops.origins().join(' ');
  t.true(csp.includes(`frame-src 'self' ${allowed}`));
  t.true(csp.includes(`form-action 'self' ${allowed}`));
  t.regex(csp, /frame-ancestors 'none'/);
  const post = await c.get(`/admin/screen-pops/${b.id}/test`);
  t.regex(post.text, /allows framing/);
  t.regex(post.text, /<input type="hidden" name="callskill" value="Sales">/);
  // Other pages keep the strict policy.
  t.notRegex((await c.get('/admin/screen-pops')).headers.get('content-security-policy')!, /frame-src/);
});

test('http click-to-call: a token is shown once; the API needs it (401), checks input (400, 404) and answers 202 with the call', async (t) => {
  const { c, server, dialled } = t.context;
  await c.get('/admin/screen-pops');
  const made = await c.post('/admin/screen-pops/tokens', { name: 'CRM server' });
  t.is(made.status, 201);
  const token = /data-testid="click-to-call-token">([^<]+)</.exec(made.text)![1]!;
  t.notRegex((await c.get('/admin/screen-pops')).text, new RegExp(token), 'never shown again');

  const api = (body: unknown, headers: Record<string, string> = {}) => fetch(`${server.base}/api/click-to-call`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const auth = { authorization: `Bearer ${token}` };
  const none = await api({ workNo: '2001', number: '88880523' });
  t.is(none.status, 401);
  t.like(await none.json(), { code: 'click_to_call.unauthorized' });
  t.is((await api({ workNo: '2001', number: '88880523' }, { authorization: 'Bearer nope' })).status, 401);
  const bad = await api({ workNo: '2001', number: '8888-0523x' }, auth);
  t.is(bad.status, 400);
  t.like(await bad.json(), { code: 'click_to_call.invalid' });
  const unknown = await api({ workNo: '7777', number: '88880523' }, auth);
  t.is(unknown.status, 404);
  t.like(await unknown.json(), { code: 'click_to_call.agent_not_found' });
  const ok = await api({ workNo: '2001', number: '+4930123456', callerId: '4930999' }, auth);
  t.is(ok.status, 202);
  t.deepEqual(await ok.json(), { callId: 'call-7' });
  // A form body works too, and the CSRF check (a session's) plays no part: no cookie, no token field.
  const form = await fetch(`${server.base}/api/click-to-call`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: 'workNo=2001&number=88880523' });
  t.is(form.status, 202);
  t.deepEqual(dialled, [
    ['2001', '+4930123456', '4930999', 'token:CRM server'],
    ['2001', '88880523', null, 'token:CRM server'],
  ]);
  const row = /<td>CRM server<\/td>[\s\S]*?<\/tr>/.exec((await c.get('/admin/screen-pops')).text)![0];
  t.notRegex(row, /never/, 'last used is shown');
  t.regex(row, /badge-on">active/);
  // A signed-in console session does not stand in for a token.
  t.is((await c.request('POST', '/api/click-to-call', { json: { workNo: '2001', number: '88880523', _csrf: c.csrf } })).status, 401);
  // Revoked: refused from now on.
  const id = t.context.ctx.clickToCall.tokens()[0]!.id;
  t.is((await c.post(`/admin/screen-pops/tokens/${id}/revoke`)).status, 303);
  t.is((await api({ workNo: '2001', number: '88880523' }, auth)).status, 401);
  t.is(dialled.length, 2);
});

test('http click-to-call: other posts still need the CSRF token; the real dialer refuses an agent who is not logged in (409)', async (t) => {
  const { c } = t.context;
  await c.get('/admin/screen-pops');
  t.is((await c.post('/admin/screen-pops/origins', { origins: 'https://crm.example.com' }, { csrf: false })).status, 403);
  t.is((await c.request('POST', '/api/flows/1/simulate', { json: {} })).status, 403);
  // The app as main.ts wires it: the agents' own dialling, which needs the agent logged in.
  const plain = await startTestServer(t.context.ctx);
  t.teardown(() => plain.close());
  const { token } = t.context.ctx.clickToCall.createToken({ name: 'x' }, testActor);
  const res = await fetch(`${plain.base}/api/click-to-call`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ workNo: '2001', number: '88880523' }) });
  t.is(res.status, 409);
  t.like(await res.json(), { code: 'call.logged_out' });
});

test('http sdk: AICCSupport.js is public at Huawei\'s path, as JavaScript, cacheable and loadable from other origins', async (t) => {
  for (const path of [HUAWEI_SDK_PATH, '/static/js/AICCSupport.js']) {
    const res = await fetch(t.context.server.base + path);
    t.is(res.status, 200, path);
    t.regex(res.headers.get('content-type')!, /^text\/javascript/);
    t.is(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    t.regex(res.headers.get('cache-control')!, /max-age=3600/);
    t.regex(await res.text(), /global\.AICCSupport = AICCSupport/);
  }
});
