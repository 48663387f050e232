import anyTest, { type TestFn } from 'ava';
import { startTestServer, type TestClient } from '../../test/http-client.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';
import { acdFixtures, queueForm } from './testing/fixtures.js';

interface Ctx {
  ctx: TestContext;
  server: Awaited<ReturnType<typeof startTestServer>>;
  c: TestClient;
  f: Awaited<ReturnType<typeof acdFixtures>>;
}
const test = anyTest as TestFn<Ctx>;
test.beforeEach(async (t) => {
  const ctx = await makeTestContext();
  const f = await acdFixtures(ctx);
  const server = await startTestServer(ctx);
  const c = server.client();
  await c.login('root');
  t.context = { ctx, server, c, f };
});
test.afterEach.always(async (t) => {
  await t.context.server.close();
  t.context.ctx.close();
});

const idOf = (location: string | null) => Number(/\/admin\/queues\/(\d+)/.exec(location ?? '')![1]);

test('http queues: the short form creates a queue (field errors first), then its page edits every setting', async (t) => {
  const { c, ctx, f } = t.context;
  const list = await c.get('/admin/queues');
  t.is(list.status, 200);
  t.regex(list.text, /<a href="\/admin\/queues" class="current" aria-current="page">Queues<\/a>/, 'the area\'s tabs, this one current');
  t.regex(list.text, /<a href="\/admin\/queues" aria-current="page" class="current">Queues<\/a>/, 'the menu marks Queues');
  t.regex(list.text, /No queues yet/);
  t.regex(list.text, /<option value="sequential">Sequential \(top-down\): members in their listed order, always from the top<\/option>/);
  const bad = await c.post('/admin/queues', { name: '', description: 'x', strategy: 'skills', skillId: '' });
  t.is(bad.status, 422);
  t.regex(bad.text, /id="e-name">Enter a name/);
  t.regex(bad.text, /id="e-skillId">Skills-based routing ranks agents/);
  t.regex(bad.text, /<option value="skills" selected>/, 'what was chosen is kept');
  t.is(ctx.queues.list({}).total, 0);

  const made = await c.post('/admin/queues', { name: 'Sales', description: 'New customers', strategy: 'sequential', skillId: String(f.spanish.id) });
  t.is(made.status, 303);
  const id = idOf(made.location);
  const page = await c.get(made.location!);
  t.regex(page.text, /Queue Sales created/);
  t.regex(page.text, /<h1>Queue Sales<\/h1>/);
  t.regex(page.text, /<option value="\d+" selected>Spanish<\/option>/);
  t.regex(page.text, /name="ringTimeoutS" type="number"\s+value="20"/);
  t.regex(page.text, /<option value="timed" selected>Ends after the time below<\/option>/);
  t.notRegex(page.text, /<option value="\d+">Sales<\/option>/, 'a queue is not offered as its own overflow');
  t.regex(page.text, /<option value="\d+">1009 · Office<\/option>/);
  t.regex(page.text, /No agent serves this queue yet/);

  // Bad settings: every field says what is wrong; what was typed is kept; nothing changes.
  const refused = await c.post(`/admin/queues/${id}`, queueForm({ strategy: 'sequential', ringTimeoutS: '0', dispositions: 'Sale\nsale', requireDisposition: 'on', overflowKind: 'queue', overflowQueueId: String(id), exitKey: '#', exitKind: 'voicemail', exitExtensionId: String(f.desk.id) }));
  t.is(refused.status, 422);
  t.regex(refused.text, /Some fields need attention/);
  t.regex(refused.text, /id="e-ringTimeoutS">Use 1 to 90 seconds/);
  t.regex(refused.text, /id="e-dispositions">&quot;sale&quot; is listed twice/);
  t.regex(refused.text, /<textarea id="f-dispositions" name="dispositions"[^>]*>Sale\nsale<\/textarea>/);
  t.like(ctx.queues.get(id), { ringTimeoutS: 20, dispositions: [] });
  const selfRefused = await c.post(`/admin/queues/${id}`, queueForm({ overflowKind: 'queue', overflowQueueId: String(id), exitKey: '#', exitKind: 'voicemail', exitExtensionId: String(f.desk.id) }));
  t.regex(selfRefused.text, /id="e-overflowQueueId">A queue cannot send its callers to itself/);
  t.regex(selfRefused.text, /id="e-exitExtensionId">This extension has no voicemail box/);

  const saved = await c.post(`/admin/queues/${id}`, queueForm({ strategy: 'sequential', skillId: String(f.spanish.id), wrapUp: 'until_ready', requireDisposition: 'on', dispositions: 'Sale\nNo sale', maxWaitS: '120', overflowKind: 'voicemail', overflowExtensionId: String(f.office.id), exitKey: '0', exitKind: 'callback', announceEveryS: '30', announcePosition: 'on' }));
  t.is(saved.status, 303);
  t.like(ctx.queues.get(id), { wrapUpS: null, requireDisposition: true, dispositions: ['Sale', 'No sale'], maxWaitS: 120, overflow: { kind: 'voicemail', extensionId: f.office.id }, exitKey: '0', exitKind: 'callback', announceEveryS: 30, announcePosition: true, announceWait: false });
  const after = await c.get(`/admin/queues/${id}`);
  t.regex(after.text, /Queue Sales saved/);
  t.regex(after.text, /<option value="until_ready" selected>/);
  t.regex(after.text, /name="announcePosition" checked/);
  t.notRegex(after.text, /name="announceWait" checked/);
  t.regex(after.text, /<option value="voicemail" selected>An extension&#x27;s voicemail box<\/option>/);
  const listed = await c.get('/admin/queues');
  t.regex(listed.text, /<a href="\/admin\/queues\/\d+">Sales<\/a><br><span class="small muted">New customers<\/span><\/td>\s*<td>Sequential \(top-down\)<\/td>\s*<td>Spanish<\/td>\s*<td><span class="badge badge-warn">no members<\/span><\/td>\s*<td class="nowrap">2m 0s<\/td>\s*<td>Voicemail 1009 · Office<\/td>/);
});

test('http queues: members are added, ordered (errors by row) and removed on the queue page', async (t) => {
  const { c, ctx, f } = t.context;
  const q = ctx.queues.create(queueForm({ strategy: 'sequential', skillId: String(f.spanish.id) }), testActor);
  const ann = await ctx.agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id) }, testActor);
  const bob = await ctx.agents.create({ userId: String(f.bob.id), number: '202', deviceKind: 'external', externalNumber: '+491701234567' }, testActor);
  ctx.agents.setSkills(ann.id, { [`level_${f.spanish.id}`]: '8' }, testActor);
  const page = await c.get(`/admin/queues/${q.id}`);
  t.regex(page.text, /<option value="\d+">201 · ann<\/option>/);
  t.is((await c.post(`/admin/queues/${q.id}/members`, { agentId: '' })).status, 422);
  for (const a of [ann, bob]) t.is((await c.post(`/admin/queues/${q.id}/members`, { agentId: String(a.id) })).status, 303);
  const members = await c.get(`/admin/queues/${q.id}`);
  t.regex(members.text, /now serves this queue, at position 2/);
  t.regex(members.text, /Sequential: calls are offered in this order/);
  t.regex(members.text, /201 · ann<\/a><\/td>\s*<td class="small">extension 1001<\/td>\s*<td>8<\/td>/);
  t.regex(members.text, /202 · bob<\/a><\/td>\s*<td class="small">\+491701234567<\/td>\s*<td><span class="badge badge-warn"[^>]*>lacks it<\/span>/);
  t.notRegex(members.text, /<option value="\d+">201 · ann<\/option>/, 'members are not offered again');

  const badOrder = await c.post(`/admin/queues/${q.id}/members/order`, { [`position_${ann.id}`]: 'x', [`position_${bob.id}`]: '1' });
  t.is(badOrder.status, 422);
  t.regex(badOrder.text, new RegExp(`id="e-position_${ann.id}">A position from 1 to 9999`));
  t.regex(badOrder.text, new RegExp(`name="position_${ann.id}" value="x"`));
  t.is((await c.post(`/admin/queues/${q.id}/members/order`, { [`position_${ann.id}`]: '2', [`position_${bob.id}`]: '1' })).status, 303);
  t.deepEqual(ctx.agents.memberships.of(q.id).map((m) => m.number), ['202', '201']);
  const removed = await c.post(`/admin/queues/${q.id}/members/${bob.id}/delete`, { [`position_${ann.id}`]: '2', [`position_${bob.id}`]: '1' });
  t.is(removed.status, 303);
  t.deepEqual(ctx.agents.memberships.of(q.id).map((m) => [m.number, m.position]), [['201', 1]]);
  t.is((await c.post(`/admin/queues/${q.id}/members/${bob.id}/delete`)).status, 404);
});

test('http queues: deleting a queue another queue overflows to is refused on its page, naming it', async (t) => {
  const { c, ctx } = t.context;
  const spill = ctx.queues.create(queueForm({ name: 'Spill' }), testActor);
  const sales = ctx.queues.create(queueForm({ overflowKind: 'queue', overflowQueueId: String(spill.id) }), testActor);
  await c.get(`/admin/queues/${spill.id}`);
  const refused = await c.post(`/admin/queues/${spill.id}/delete`);
  t.is(refused.location, `/admin/queues/${spill.id}`);
  const page = await c.get(refused.location!);
  t.regex(page.text, /Queue Spill cannot be deleted: queue Sales sends callers to it\./);
  t.regex(page.text, /Callers are sent here by queue Sales/);
  t.is((await c.post(`/admin/queues/${sales.id}/delete`)).location, '/admin/queues');
  t.is((await c.post(`/admin/queues/${spill.id}/delete`)).location, '/admin/queues');
  t.is(ctx.queues.list({}).total, 0);
  t.is((await c.get(`/admin/queues/${spill.id}`)).status, 404);
  t.is((await c.get('/admin/queues/live-or-not')).status, 404, 'other addresses pass this router by');
});

test('http queues: the list filters and pages, keeping the filter in the page links', async (t) => {
  const { c, ctx } = t.context;
  for (let i = 1; i <= 27; i++) ctx.queues.create({ name: `Queue ${String(i).padStart(2, '0')}`, strategy: i % 3 ? 'round_robin' : 'ring_all' }, testActor);
  const first = await c.get('/admin/queues?strategy=round_robin');
  t.regex(first.text, /18 in all · page 1 of 1/);
  t.regex(first.text, /<option value="round_robin" selected>Round robin<\/option>/);
  const all = await c.get('/admin/queues');
  t.regex(all.text, /27 in all · page 1 of 2/);
  t.regex(all.text, /href="\/admin\/queues\?page&#x3D;2"/);
  t.regex((await c.get('/admin/queues?q=nothing')).text, /No queue matches this filter/);
});

test('http queues and agents: admins and supervisors manage them, agents are refused; forms need the CSRF token', async (t) => {
  const { ctx, server } = t.context;
  const sup = server.client();
  await sup.login('sam');
  await sup.get('/admin/queues');
  t.is((await sup.post('/admin/queues', { name: 'By supervisor', strategy: 'ring_all' })).status, 303);
  for (const path of ['/admin/agents', '/admin/skills', '/admin/break-reasons', '/admin/vip-callers']) t.is((await sup.get(path)).status, 200, path);
  t.is((await sup.post('/admin/skills', { name: 'Forged' }, { csrf: false })).status, 403);
  t.is(ctx.skills.list().length, 2);

  const agent = server.client();
  await agent.login('ann');
  for (const path of ['/admin/queues', '/admin/queues/1', '/admin/agents', '/admin/skills', '/admin/break-reasons', '/admin/vip-callers']) t.is((await agent.get(path)).status, 403, path);
  await agent.get('/agent');
  t.is((await agent.post('/admin/queues', { name: 'By agent', strategy: 'ring_all' })).status, 403);
  t.is((await agent.post('/admin/vip-callers', { number: '+4930123', priority: '9' })).status, 403);
  t.deepEqual(ctx.queues.options().map((q) => q.name), ['By supervisor']);
});

test('http queues: the live view is reached past the queues\' own pages, with the area\'s tabs', async (t) => {
  const live = await t.context.c.get('/admin/queues/live');
  t.is(live.status, 200);
  t.regex(live.text, /<a href="\/admin\/queues\/live" class="current" aria-current="page">Live<\/a>/);
  t.regex(live.text, /<a href="\/admin\/queues">Queues<\/a>/, 'only the live tab is current');
});
