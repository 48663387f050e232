import anyTest, { type TestFn } from 'ava';
import { loadMigrations } from '../db/migrate.js';
import { startTestServer } from '../test/http-client.js';
import { makeTestContext, type TestContext } from '../test/make-test-context.js';

interface Ctx {
  ctx: TestContext;
  server: Awaited<ReturnType<typeof startTestServer>>;
}
const test = anyTest as TestFn<Ctx>;
test.beforeEach(async (t) => {
  const ctx = await makeTestContext({ http: { host: '127.0.0.1', port: 0, bodyLimitKb: 16 } });
  await ctx.addUser('root', 'admin');
  await ctx.addUser('sam', 'supervisor');
  await ctx.addUser('ann', 'agent');
  t.context = { ctx, server: await startTestServer(ctx) };
});
test.afterEach.always(async (t) => {
  await t.context.server.close();
  t.context.ctx.close();
});

test('http: /healthz answers JSON with version, uptime, database and FreeSWITCH state', async (t) => {
  const r = await t.context.server.client().get('/healthz');
  t.is(r.status, 200);
  const body = JSON.parse(r.text) as Record<string, any>;
  t.is(body.status, 'degraded');
  t.regex(body.version, /^\d+\.\d+\.\d+/);
  t.is(typeof body.uptimeSeconds, 'number');
  t.deepEqual(body.database, { ok: true, schemaVersion: (await loadMigrations()).at(-1)!.version });
  t.is(body.freeswitch.connected, false);
  t.is(body.freeswitch.state, 'not_connected');
});

test('http: /healthz says failing with 503 when the database cannot answer', async (t) => {
  t.context.ctx.db.close();
  const r = await t.context.server.client().get('/healthz');
  t.is(r.status, 503);
  t.is(JSON.parse(r.text).status, 'failing');
});

test('http: pages carry security headers', async (t) => {
  const r = await t.context.server.client().get('/login');
  t.regex(r.headers.get('content-security-policy')!, /default-src 'self'/);
  t.regex(r.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
  t.is(r.headers.get('x-content-type-options'), 'nosniff');
  t.is(r.headers.get('referrer-policy'), 'no-referrer');
  t.is(r.headers.get('cache-control'), 'no-store');
  t.is(r.headers.get('x-powered-by'), null);
  t.regex(r.headers.get('set-cookie')!, /callbox_sid=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
});

test('http: an unknown route is a 404 page for people and JSON for the API', async (t) => {
  const c = t.context.server.client();
  const page = await c.get('/no/such/page');
  t.is(page.status, 404);
  t.regex(page.text, /Page not found/);
  t.regex(page.text, /There is no page at \/no\/such\/page/);
  const api = await c.request('GET', '/api/nothing', { headers: { accept: 'application/json' } });
  t.is(api.status, 404);
  t.deepEqual(JSON.parse(api.text), { code: 'route.not_found', message: 'There is no page at /api/nothing.' });
});

test('http: console pages need a signed-in user and send others to sign in, keeping where they were going', async (t) => {
  const c = t.context.server.client();
  const r = await c.get('/admin/users?role=agent');
  t.is(r.status, 303);
  t.is(r.location, '/login?next=%2Fadmin%2Fusers%3Frole%3Dagent');
  const login = await c.get(r.location!);
  t.regex(login.text, /Sign in to continue/);
  const signedIn = await c.post('/login', { username: 'root', password: 'correct horse battery', next: '/admin/users?role=agent' });
  t.is(signedIn.location, '/admin/users?role=agent');
});

test('http: sign-in goes only to local pages afterwards', async (t) => {
  const c = t.context.server.client();
  await c.get('/login');
  const r = await c.post('/login', { username: 'root', password: 'correct horse battery', next: '//evil.example/' });
  t.is(r.location, '/admin');
});

test('http: a wrong password re-shows the form with a message and no session', async (t) => {
  const c = t.context.server.client();
  await c.get('/login');
  const r = await c.post('/login', { username: 'root', password: 'wrong password' });
  t.is(r.status, 401);
  t.regex(r.text, /Wrong username or password/);
  t.regex(r.text, /value="root"/, 'the username is kept');
  t.is((await c.get('/admin')).status, 303);
});

test('http: sign-in rotates the session token', async (t) => {
  const c = t.context.server.client();
  await c.get('/login');
  const anonymous = c.cookie('callbox_sid');
  await c.post('/login', { username: 'root', password: 'correct horse battery' });
  t.truthy(c.cookie('callbox_sid'));
  t.not(c.cookie('callbox_sid'), anonymous);
  const intruder = t.context.server.client();
  intruder.setCookie('callbox_sid', anonymous!);
  t.is((await intruder.get('/admin')).status, 303, 'the pre-login token grants nothing');
});

test('http: a form without its CSRF token is refused and changes nothing', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  const r = await c.post('/admin/users', { username: 'mallory', displayName: 'M', role: 'admin', password: 'long enough pw', passwordConfirm: 'long enough pw' }, { csrf: false });
  t.is(r.status, 403);
  t.regex(r.text, /This form has expired/);
  t.is(t.context.ctx.users.list({ q: 'mallory' }).total, 0);
  const forged = await c.request('POST', '/admin/users', { form: { _csrf: 'x'.repeat(43), username: 'mallory' } });
  t.is(forged.status, 403);
});

test('http: the sign-in form itself needs its CSRF token', async (t) => {
  const c = t.context.server.client();
  const r = await c.post('/login', { username: 'root', password: 'correct horse battery' }, { csrf: false });
  t.is(r.status, 403);
});

test('http: an admin creates a user; bad input re-renders the form with field errors', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  await c.get('/admin/users/new');
  const bad = await c.post('/admin/users', { username: 'x y', displayName: '', role: 'agent', password: 'short', passwordConfirm: 'short' });
  t.is(bad.status, 422);
  t.regex(bad.text, /aria-invalid="true" aria-describedby="e-username"/);
  t.regex(bad.text, /Use letters, digits/);
  t.regex(bad.text, /Use at least 10 characters/);
  t.regex(bad.text, /value="x y"/, 'what was typed is kept');
  const ok = await c.post('/admin/users', { username: 'newbie', displayName: 'New Bie', role: 'agent', password: 'long enough pw', passwordConfirm: 'long enough pw' });
  t.is(ok.status, 303);
  t.regex(ok.location!, /^\/admin\/users\/\d+$/);
  const show = await c.get(ok.location!);
  t.regex(show.text, /User newbie created/);
  t.regex((await c.get('/admin/users?q=newbie')).text, /New Bie/);
});

test('http: roles decide what each user reaches', async (t) => {
  const agent = t.context.server.client();
  const r = await agent.login('ann');
  t.is(r.location, '/agent');
  t.is((await agent.get('/agent')).status, 200);
  const forbidden = await agent.get('/admin/users');
  t.is(forbidden.status, 403);
  t.regex(forbidden.text, /Your role does not give access/);
  t.is((await agent.get('/admin')).status, 403);

  const sup = t.context.server.client();
  t.is((await sup.login('sam')).location, '/admin');
  t.is((await sup.get('/admin')).status, 200);
  t.is((await sup.get('/admin/users')).status, 403);
  t.is((await sup.get('/admin/system')).status, 403);
});

test('http: the console shows every area of the product, unavailable ones marked and unlinked', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  const page = await c.get('/admin');
  for (const area of ['Trunks', 'Numbers', 'Extensions', 'Outbound routes', 'Flows', 'Prompts', 'Queues', 'Agents', 'Campaigns', 'Call records', 'Recordings', 'Reports', 'Users', 'Settings', 'System']) {
    t.regex(page.text, new RegExp(`>${area}[ <]`), area);
  }
  t.regex(page.text, /<a href="\/admin\/users">Users<\/a>/);
  t.regex(page.text, /<a href="\/admin\/flows">Flows<\/a>/);
  t.regex(page.text, /<a href="\/admin\/queues">Queues<\/a>/);
  t.notRegex(page.text, /href="\/admin\/campaigns"/);
  t.regex(page.text, /<a href="\/admin\/extensions">Extensions<\/a>/);
  t.regex(page.text, /FreeSWITCH not connected/);
});

test('http: an oversized form is refused with 413 and saves nothing', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  await c.get('/admin/users/new');
  const r = await c.post('/admin/users', { username: 'big', displayName: 'x'.repeat(40_000), role: 'agent', password: 'long enough pw', passwordConfirm: 'long enough pw' });
  t.is(r.status, 413);
  t.regex(r.text, /too large \(the limit is 16 KB\)/);
  t.is(t.context.ctx.users.list({ q: 'big' }).total, 0);
});

test('http: malformed JSON is a 400 with a code', async (t) => {
  const c = t.context.server.client();
  const r = await c.request('POST', '/api/anything', { body: '{"a":', headers: { 'content-type': 'application/json', accept: 'application/json' } });
  t.is(r.status, 400);
  t.is(JSON.parse(r.text).code, 'request.entity.parse.failed');
});

test('http: an expired session sends the user to sign in with a message saying why', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  t.context.ctx.clock.advance(9 * 60 * 60 * 1000);
  const r = await c.get('/admin/users');
  t.is(r.status, 303);
  t.regex(r.location!, /^\/login\?next=/);
  t.regex((await c.get(r.location!)).text, /Your session has ended/);
});

test('http: repeated wrong passwords lock sign-in with 429 and Retry-After', async (t) => {
  const c = t.context.server.client();
  await c.get('/login');
  for (let i = 0; i < 4; i++) t.is((await c.post('/login', { username: 'root', password: 'bad password' })).status, 401);
  const locked = await c.post('/login', { username: 'root', password: 'bad password' });
  t.is(locked.status, 429);
  t.truthy(locked.headers.get('retry-after'));
  t.regex(locked.text, /Too many failed sign-ins/);
  t.is((await c.post('/login', { username: 'root', password: 'correct horse battery' })).status, 429);
});

test('http: signing out ends the session on the server', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  const token = c.cookie('callbox_sid')!;
  await c.get('/admin');
  const out = await c.post('/logout');
  t.is(out.location, '/login');
  t.regex((await c.get('/login')).text, /You have signed out/);
  const replay = t.context.server.client();
  replay.setCookie('callbox_sid', token);
  t.is((await replay.get('/admin')).status, 303);
});

test('http: a disabled user is signed out on their next request', async (t) => {
  const agent = t.context.server.client();
  await agent.login('ann');
  const admin = t.context.server.client();
  await admin.login('root');
  const ann = t.context.ctx.users.list({ q: 'ann' }).items[0]!;
  await admin.get(`/admin/users/${ann.id}`);
  const r = await admin.post(`/admin/users/${ann.id}/disable`);
  t.is(r.status, 303);
  t.is((await agent.get('/agent')).status, 303);
});

test('http: a password reset shows a one-time password once, and the user must change it first', async (t) => {
  const admin = t.context.server.client();
  await admin.login('root');
  const ann = t.context.ctx.users.list({ q: 'ann' }).items[0]!;
  await admin.get(`/admin/users/${ann.id}`);
  const reset = await admin.post(`/admin/users/${ann.id}/reset-password`);
  t.is(reset.status, 200);
  const temp = /data-testid="temporary-password">([^<]+)</.exec(reset.text)![1]!;
  const agent = t.context.server.client();
  const login = await agent.login('ann', temp);
  t.is(login.location, '/account/password');
  t.is((await agent.get('/agent')).location, '/account/password', 'nothing else until the password is changed');
  await agent.get('/account/password');
  const changed = await agent.post('/account/password', { currentPassword: temp, password: 'ann chose this one', passwordConfirm: 'ann chose this one' });
  t.is(changed.location, '/agent');
  t.is((await agent.get('/agent')).status, 200);
});

test('http: first-run setup through the link, then the link is dead', async (t) => {
  const ctx = await makeTestContext();
  const server = await startTestServer(ctx);
  t.teardown(async () => {
    await server.close();
    ctx.close();
  });
  const token = ctx.setup.issueToken()!;
  const c = server.client();
  const form = await c.get(`/setup/${token}`);
  t.regex(form.text, /Create the first admin/);
  const bad = await c.post(`/setup/${token}`, { username: 'boss', displayName: 'Boss', password: 'short', passwordConfirm: 'short' });
  t.is(bad.status, 422);
  const ok = await c.post(`/setup/${token}`, { username: 'boss', displayName: 'Boss', password: 'a good long password', passwordConfirm: 'a good long password' });
  t.is(ok.location, '/admin');
  t.regex((await c.get('/admin')).text, /Welcome, Boss/);
  const again = await server.client().get(`/setup/${token}`);
  t.is(again.status, 409);
  t.regex(again.text, /Setup is already complete/);
  t.is((await server.client().get('/setup/nonsense')).status, 409);
});

test('http: unknown or malformed ids are 404 pages', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  t.is((await c.get('/admin/users/999')).status, 404);
  t.is((await c.get('/admin/users/abc')).status, 404);
  t.is((await c.get('/admin/users/1e3')).status, 404);
});

test('http: an unexpected failure is a 500 page with a reference, not a stack trace', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  t.context.ctx.db.prepare('DROP TABLE audit_log').run();
  const r = await c.get('/admin/audit');
  t.is(r.status, 500);
  t.regex(r.text, /Something went wrong/);
  t.regex(r.text, /Reference: <code>[0-9a-f]{12}<\/code>/);
  t.notRegex(r.text, /no such table/);
});

test('http: the audit log and system pages render for an admin', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  const audit = await c.get('/admin/audit?action=auth.login');
  t.is(audit.status, 200);
  t.regex(audit.text, /root signed in/);
  const system = await c.get('/admin/system');
  t.is(system.status, 200);
  t.regex(system.text, /0001_init/);
  t.regex(system.text, /not connected/);
});

test('http: the FreeSWITCH page shows the connection, live data, revisions, and publishes on request', async (t) => {
  const { ctx } = t.context;
  ctx.sw.setConnected(true);
  ctx.sw.respond = (c) =>
    c === 'status'
      ? 'UP 0 years, 0 days, 2 hours, 5 minutes, 1 second, 5 milliseconds, 7 microseconds\nFreeSWITCH (Version 1.10.12-release  64bit) is ready\n3 session(s) since startup\n1 session(s) - peak 2, last 5min 2 \n0 session(s) per Sec out of max 30, peak 1, last 5min 1 \n1000 session(s) max\n'
      : c === 'show channels as json'
        ? '{"row_count":1,"rows":[]}'
        : c === 'sofia xmlstatus'
          ? '<?xml version="1.0"?>\n<profiles>\n<profile>\n<name>internal</name>\n<type>profile</type>\n<data>sip:mod_sofia@127.0.0.1:5060</data>\n<state>RUNNING (0)</state>\n</profile>\n</profiles>\n'
          : c === 'sofia xmlstatus gateway'
            ? '<?xml version="1.0"?>\n<gateways>\n</gateways>\n'
            : c === 'show registrations as json'
              ? '{"row_count":1,"rows":[{"reg_user":"1001","realm":"192.0.2.10","url":"sofia/internal/sip:1001@192.0.2.10:5071","expires":"1795249112","network_ip":"192.0.2.10","network_port":"5171","network_proto":"udp"}]}'
              : '+OK\n';
  const c = t.context.server.client();
  await c.login('root');
  const page = await c.get('/admin/freeswitch');
  t.is(page.status, 200);
  t.regex(page.text, /2h 5m/);
  t.regex(page.text, /sip:mod_sofia@127\.0\.0\.1:5060/);
  t.regex(page.text, /1001@192\.0\.2\.10/);
  const live = JSON.parse((await c.request('GET', '/admin/freeswitch/live.json', { headers: { accept: 'application/json' } })).text) as { core: { channels: number; peak: number } };
  t.deepEqual([live.core.channels, live.core.peak], [1, 2]);
  const published = await c.post('/admin/freeswitch/publish');
  t.regex(published.location!, /^\/admin\/freeswitch\/revisions\/\d+$/);
  const rev = await c.get(published.location!);
  t.regex(rev.text, /published: 23 file\(s\) changed; reloadxml/);
  t.regex(rev.text, /class="diff-add">\+/);
  t.is(ctx.audit.list({ action: 'config.published' }).total, 1);
  t.is((await t.context.server.client().get('/admin/freeswitch')).status, 303, 'sign-in required');
});

test('http: the FreeSWITCH page says plainly when FreeSWITCH is not connected', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  const page = await c.get('/admin/freeswitch');
  t.regex(page.text, /Not connected/);
  t.regex(page.text, /fake switch is down/);
});

test('http: an admin creates an extension, sees its password once, and edits it with field errors', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  await c.get('/admin/extensions/new');
  const bad = await c.post('/admin/extensions', { number: '12x', displayName: '', isEnabled: 'on' });
  t.is(bad.status, 422);
  t.regex(bad.text, /Use 2 to 6 digits/);
  const made = await c.post('/admin/extensions', { number: '2001', displayName: 'Front desk', isEnabled: 'on' });
  t.is(made.status, 201);
  t.is(made.headers.get('cache-control'), 'no-store');
  const password = /data-testid="sip-password">([^<]+)</.exec(made.text)![1]!;
  t.regex(password, /^[A-Za-z2-9]{20}$/);
  const list = await c.get('/admin/extensions');
  t.regex(list.text, /Front desk/);
  t.regex(list.text, /not registered/);
  t.false(list.text.includes(password), 'the password is not shown again');
  const id = /href="\/admin\/extensions\/(\d+)"/.exec(list.text)![1]!;
  const page = await c.get(`/admin/extensions/${id}`);
  t.false(page.text.includes(password));
  const taken = await c.post('/admin/extensions', { number: '2001', displayName: 'Again', isEnabled: 'on' });
  t.regex(taken.text, /Extension 2001 already exists/);
  const agent = t.context.server.client();
  await agent.login('ann');
  t.is((await agent.get('/admin/extensions')).status, 403);
});

test('http: in the console alone an admin connects a carrier and routes a number to an extension', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  await c.get('/admin/extensions/new');
  await c.post('/admin/extensions', { number: '2001', displayName: 'Front desk', isEnabled: 'on' });
  await c.get('/admin/trunks/new');
  const badTrunk = await c.request('POST', '/admin/trunks', { body: `_csrf=${c.csrf}&name=&authMode=ip&host=x%20y&port=5060&transport=udp&dtmfMode=rfc2833&maxCalls=5&isEnabled=on`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  t.is(badTrunk.status, 422);
  t.regex(badTrunk.text, /Enter a host name or an IP address/);
  t.regex(badTrunk.text, /Choose at least one codec/);
  const trunk = await c.request('POST', '/admin/trunks', { body: `_csrf=${c.csrf}&name=Carrier&authMode=ip&host=203.0.113.10&port=5060&transport=udp&allowedCidrs=203.0.113.10&codecs=PCMU&codecs=PCMA&dtmfMode=rfc2833&maxCalls=5&isEnabled=on`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  t.is(trunk.status, 303);
  t.regex((await c.get('/admin/trunks')).text, /Carrier/);
  const form = await c.get('/admin/numbers/new');
  const trunkId = /<option value="(\d+)">Carrier<\/option>/.exec(form.text)![1]!;
  const extId = /<option value="(\d+)">2001 · Front desk<\/option>/.exec(form.text)![1]!;
  const added = await c.post('/admin/numbers', { number: '+4930123456', trunkId, isInbound: 'on', destinationKind: 'extension', destinationExtensionId: extId });
  t.is(added.status, 303);
  const list = await c.get('/admin/numbers');
  t.regex(list.text, /\+4930123456/);
  t.regex(list.text, /Extension 2001 · Front desk/);
  const trunkPage = await c.get(`/admin/trunks/${trunkId}`);
  await c.post(`/admin/trunks/${trunkId}/delete`);
  t.regex((await c.get(`/admin/trunks/${trunkId}`)).text, /cannot be deleted: number \+4930123456 uses it/);
  t.regex(trunkPage.text, /no report from FreeSWITCH yet/);
});

test('http: a registration trunk\'s page says where the carrier sends calls, without showing the contact secret', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  await c.get('/admin/trunks/new');
  const created = await c.post('/admin/trunks', { name: 'Carrier B', authMode: 'registration', host: 'sip.carrier-b.example', port: '5060', transport: 'udp', username: 'acct123', password: 's3cret-pass', codecs: 'PCMU', dtmfMode: 'rfc2833', maxCalls: '4', isEnabled: 'on' });
  t.is(created.status, 303);
  const page = await c.get(created.location!);
  const id = /\/admin\/trunks\/(\d+)$/.exec(created.location!)![1]!;
  t.regex(page.text, new RegExp(`sends them to the contact Callbox registers,\\s+<code>sip:gw\\+trunk_${id}@`));
  t.notRegex(page.text, new RegExp(t.context.ctx.trunks.forConfig()[0]!.contactSecret!));
});

test('http: CSV import shows every problem and imports nothing; a good file imports and shows the passwords once', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  await c.get('/admin/extensions/import');
  const bad = await c.post('/admin/extensions/import', { csv: 'number,name\n1001,Ok\n1x,Bad\n' });
  t.is(bad.status, 422);
  t.regex(bad.text, /Nothing was imported/);
  t.regex(bad.text, /<td>3<\/td><td>number: Use 2 to 6 digits/);
  t.is(t.context.ctx.extensions.list({}).total, 0);
  const good = await c.post('/admin/extensions/import', { csv: 'number,name\n1001,Ok\n1002,Also ok\n' });
  t.is(good.status, 200);
  t.is((good.text.match(/data-testid="imported-secret"/g) ?? []).length, 2);
  const exported = await c.get('/admin/extensions/export.csv');
  t.regex(exported.headers.get('content-type')!, /^text\/csv/);
  t.regex(exported.headers.get('content-disposition')!, /attachment; filename="extensions.csv"/);
  t.is(exported.text, 'number,name,dnd,enabled,class\n1001,Ok,no,yes,national\n1002,Also ok,no,yes,national\n');
});

test('http: the blocklist page adds and removes entries, with field errors for bad patterns', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  await c.get('/admin/blocklist');
  const bad = await c.post('/admin/blocklist', { pattern: 'spam', action: 'reject' });
  t.is(bad.status, 422);
  t.regex(bad.text, /Enter a number \(\+4930123456\), a prefix ending in \*/);
  t.is((await c.post('/admin/blocklist', { pattern: '+4930*', action: 'reject', note: 'robocalls' })).status, 303);
  const page = await c.get('/admin/blocklist');
  t.regex(page.text, /<code>\+4930\*<\/code><\/td><td>Rejected<\/td><td>robocalls/);
  const id = /action="\/admin\/blocklist\/(\d+)\/delete"/.exec(page.text)![1]!;
  await c.post(`/admin/blocklist/${id}/delete`);
  t.regex((await c.get('/admin/blocklist')).text, /Nobody is blocked/);
});

test('http: the outbound routes page shows the policy; bad policy input gets field errors', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  const page = await c.get('/admin/routes');
  t.is(page.status, 200);
  t.regex(page.text, /No routes: phones can call each other and emergency numbers only/);
  t.regex(page.text, /name="premiumPrefixes"[^>]*value="0900 1900"/);
  const bad = await c.post('/admin/routes/policy', { premiumPrefixes: 'x', emergencyNumbers: '112', extensionConcurrent: '0', extensionPerHour: '30', globalConcurrent: '10', globalPerHour: '200' });
  t.is(bad.status, 422);
  t.regex(bad.text, /Use 1 to 100/);
  t.false(t.context.ctx.routes.policy().allowInternational);
  const form = await c.get('/admin/routes/new');
  t.regex(form.text, /No trunks yet/);
});
