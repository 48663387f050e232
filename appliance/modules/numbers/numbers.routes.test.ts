import anyTest, { type TestFn } from 'ava';
import { startTestServer, type TestClient } from '../../test/http-client.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';

interface Ctx {
  ctx: TestContext;
  server: Awaited<ReturnType<typeof startTestServer>>;
  c: TestClient;
  ids: { trunk: string; reception: string; night: string };
}
const test = anyTest as TestFn<Ctx>;
test.beforeEach(async (t) => {
  const ctx = await makeTestContext();
  await ctx.addUser('root', 'admin');
  const reception = ctx.extensions.create({ number: '1001', displayName: 'Reception', isEnabled: 'on' }, testActor).extension;
  const night = ctx.extensions.create({ number: '1002', displayName: 'Night desk', isEnabled: 'on' }, testActor).extension;
  const trunk = ctx.trunks.create({ name: 'Carrier A', authMode: 'ip', host: '203.0.113.10', port: '5060', transport: 'udp', allowedCidrs: '203.0.113.10', codecs: 'PCMU', dtmfMode: 'rfc2833', maxCalls: '5', isEnabled: 'on' }, testActor);
  const server = await startTestServer(ctx);
  const c = server.client();
  await c.login('root');
  t.context = { ctx, server, c, ids: { trunk: String(trunk.id), reception: String(reception.id), night: String(night.id) } };
});
test.afterEach.always(async (t) => {
  await t.context.server.close();
  t.context.ctx.close();
});

const weekdays = (opens: string, closes: string) => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].flatMap((d) => [[`${d}_opens_1`, opens], [`${d}_closes_1`, closes]]));

test('http numbers: the form edits a schedule with an error on each bad weekday row; the list shows open now and after hours', async (t) => {
  const { c, ctx, ids } = t.context;
  const blank = await c.get('/admin/numbers/new');
  t.regex(blank.text, /<input type="time" name="mon_opens_1" value=""/);
  t.regex(blank.text, /<option value="" selected>No schedule: always take calls<\/option>/);
  t.regex(blank.text, /<option value="Europe\/Berlin">Europe\/Berlin<\/option>/);
  t.regex(blank.text, /name="isCallerId" checked/, 'new numbers are offered as caller ID');
  t.regex(blank.text, /name="recordingPolicyId"/);
  const number = { number: '+4930123456', trunkId: ids.trunk, isInbound: 'on', destinationKind: 'extension', destinationExtensionId: ids.reception, afterHoursKind: 'extension', afterHoursExtensionId: ids.night, isCallerId: 'on' };
  const bad = await c.post('/admin/numbers', { ...number, ...weekdays('09:00', '17:30'), mon_opens_1: '17:00', mon_closes_1: '09:00', sat_opens_1: '10:00', timezone: 'Nowhere/Town', holidays: '2026-02-30' });
  t.is(bad.status, 422);
  t.regex(bad.text, /<p class="field-error" id="e-hours_mon">Monday 17:00-09:00: closes before it opens/);
  t.regex(bad.text, /<p class="field-error" id="e-hours_sat">Give both an opening and a closing time/);
  t.notRegex(bad.text, /id="e-hours_tue"/);
  t.regex(bad.text, /id="e-timezone">Choose a time zone from the list/);
  t.regex(bad.text, /id="e-holidays">2026-02-30 is not a date/);
  t.regex(bad.text, /name="mon_opens_1" value="17:00"/, 'what was typed is kept');
  t.regex(bad.text, /<textarea id="f-holidays" name="holidays"[^>]*>2026-02-30<\/textarea>/);
  t.is(ctx.numbers.list().length, 0);

  const good = await c.post('/admin/numbers', { ...number, ...weekdays('09:00', '17:30'), fri_opens_2: '18:00', fri_closes_2: '00:00', timezone: 'Europe/Berlin', holidays: '2026-12-25 Christmas Day' });
  t.is(good.status, 303);
  // The fake clock: Thursday 2026-01-01 09:00 UTC, 10:00 in Berlin.
  const list = await c.get('/admin/numbers');
  t.regex(list.text, /<td data-testid="open-now"><span class="badge badge-on">open<\/span> <span class="small muted">open hours · Thu 2026-01-01 10:00 Europe\/Berlin<\/span><\/td>\s*<td>Extension 1002 · Night desk<\/td>/);
  const id = /href="\/admin\/numbers\/(\d+)"/.exec(list.text)![1]!;
  const page = await c.get(`/admin/numbers/${id}`);
  t.regex(page.text, /name="fri_opens_2" value="18:00"/);
  t.regex(page.text, /name="fri_closes_2" value="00:00"/, 'midnight closing shows as 00:00');
  t.regex(page.text, /<option value="Europe\/Berlin" selected>/);
  t.regex(page.text, />2026-12-25 Christmas Day<\/textarea>/);
  ctx.clock.set(Date.UTC(2026, 11, 25, 12));
  await c.login('root'); // the session did not last the year
  t.regex((await c.get('/admin/numbers')).text, /badge-warn">closed<\/span> <span class="small muted">holiday: Christmas Day · Fri 2026-12-25 13:00 Europe\/Berlin/);
  const cleared = await c.post(`/admin/numbers/${id}`, { ...number, timezone: '', holidays: '' });
  t.is(cleared.status, 303);
  t.regex((await c.get('/admin/numbers')).text, /badge-on">open<\/span> <span class="small muted">always<\/span><\/td>\s*<td><span class="muted">no schedule<\/span>/);
});

test('http numbers: turning caller ID off while a route shows the number is refused on its page; routes list only caller-ID numbers', async (t) => {
  const { c, ctx, ids } = t.context;
  const base = { trunkId: ids.trunk, isInbound: 'on', destinationKind: 'hangup' };
  const shown = ctx.numbers.create({ ...base, number: '+4930123456', isCallerId: 'on' }, testActor);
  ctx.numbers.create({ ...base, number: '+4930555000' }, testActor);
  ctx.routes.create({ name: 'National', position: '1', pattern: '0Z.', strip: '1', prepend: '+49', callClass: 'national', trunkIds: ids.trunk, callerIdNumberId: String(shown.id), isEnabled: 'on' }, testActor);
  const routeForm = await c.get('/admin/routes/new');
  t.regex(routeForm.text, /<option value="\d+">\+4930123456<\/option>/);
  t.notRegex(routeForm.text, /\+4930555000/);
  await c.get(`/admin/numbers/${shown.id}`);
  const off = await c.post(`/admin/numbers/${shown.id}`, { ...base, number: '+4930123456', hasSurvey: 'on' });
  t.is(off.status, 303);
  t.is(off.location, `/admin/numbers/${shown.id}`);
  t.regex((await c.get(off.location!)).text, /Number \+4930123456 cannot stop being offered as caller ID: outbound route National shows it as caller ID\./);
  t.like(ctx.numbers.get(shown.id), { isCallerId: true, hasSurvey: false });
  t.regex((await c.get('/admin/numbers')).text, /\+4930555000<\/a>[\s\S]*?<span class="badge">no<\/span>/);
});

test('http numbers: CSV import reports bad schedule cells by line and imports nothing; a good file imports and exports the same', async (t) => {
  const { c, ctx } = t.context;
  const page = await c.get('/admin/numbers/import');
  t.regex(page.text, /number,trunk,destination,inbound,caller_id,recording_policy,survey,timezone,hours,holidays,after_hours/);
  t.regex(page.text, /hours as &quot;mon-fri 09:00-12:00,13:00-17:30; sat 10:00-13:00&quot;/);
  const bad = await c.post('/admin/numbers/import', { csv: 'number,trunk,destination,timezone,hours,after_hours\n+4930123456,Carrier A,1001,Europe/Berlin,mon-fri 9-17,1002\n+4930123457,Carrier A,1001,Europe/Paris,sun 10:00-12:00,1003\n' });
  t.is(bad.status, 422);
  t.regex(bad.text, /<td>2<\/td><td>hours: &quot;9-17&quot;: write times as HH:MM-HH:MM/);
  t.regex(bad.text, /<td>3<\/td><td>after_hours: &quot;1003&quot; is not an extension number, &quot;voicemail&quot; and an extension number, &quot;flow&quot; and a flow&#x27;s name, or &quot;hangup&quot;/);
  t.is(ctx.numbers.list().length, 0);
  const csv = 'number,trunk,destination,inbound,caller_id,recording_policy,survey,timezone,hours,holidays,after_hours\n+4930123456,Carrier A,1001,yes,yes,,yes,Europe/Berlin,mon-fri 09:00-17:30; sat 10:00-13:00,2026-12-25 Christmas; 2026-12-26,1002\n';
  const good = await c.post('/admin/numbers/import', { csv });
  t.is(good.status, 200);
  t.regex(good.text, /1 number\(s\) imported/);
  t.is((await c.get('/admin/numbers/export.csv')).text, csv);
});
