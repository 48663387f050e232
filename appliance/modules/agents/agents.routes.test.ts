import anyTest, { type TestFn } from 'ava';
import { startTestServer, type TestClient } from '../../test/http-client.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';
import { acdFixtures, queueForm } from '../queues/testing/fixtures.js';

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

test('http agents: created from the list\'s form (errors first, the PIN never echoed), then PIN, skills and queues on its page', async (t) => {
  const { c, ctx, f } = t.context;
  const sales = ctx.queues.create(queueForm(), testActor);
  ctx.queues.create(queueForm({ name: 'Support' }), testActor);
  const list = await c.get('/admin/agents');
  t.regex(list.text, /<a href="\/admin\/agents" class="current" aria-current="page">Agents<\/a>/);
  t.regex(list.text, /<option value="\d+">ann \(ann, agent\)<\/option>/);
  t.regex(list.text, /<option value="\d+">sam \(sam, supervisor\)<\/option>/);
  t.notRegex(list.text, /\(root, admin\)/, 'admins are not offered');
  const form = { userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id), externalNumber: '', pin: '1111' };
  const bad = await c.post('/admin/agents', { ...form, number: '2a' });
  t.is(bad.status, 422);
  t.regex(bad.text, /id="e-number">Use 3 to 8 digits/);
  t.regex(bad.text, /id="e-pin">Not one digit repeated/);
  t.notRegex(bad.text, /1111/, 'the PIN is not sent back');
  t.is(ctx.agents.list({}).total, 0);
  const made = await c.post('/admin/agents', { ...form, pin: '4829' });
  t.is(made.status, 303);
  const id = Number(/\/admin\/agents\/(\d+)$/.exec(made.location!)![1]);
  const page = await c.get(made.location!);
  t.regex(page.text, /Agent 201 \(ann\) created/);
  t.regex(page.text, /A PIN is set; it is stored hashed and never shown/);
  t.notRegex(page.text, /4829/);

  // Details: moving to an outside number.
  const refused = await c.post(`/admin/agents/${id}`, { userId: String(f.ann.id), number: '201', deviceKind: 'external', externalNumber: 'mobile' });
  t.is(refused.status, 422);
  t.regex(refused.text, /id="e-externalNumber">Enter a phone number/);
  t.is((await c.post(`/admin/agents/${id}`, { userId: String(f.ann.id), number: '201', deviceKind: 'external', externalNumber: '+491701234567' })).status, 303);
  t.like(ctx.agents.get(id), { device: { kind: 'external', number: '+491701234567' } });

  // PIN.
  const badPin = await c.post(`/admin/agents/${id}/pin`, { pin: '123' });
  t.is(badPin.status, 422);
  t.regex(badPin.text, /The PIN was not changed/);
  t.regex(badPin.text, /id="e-pin">Use 4 to 8 digits/);
  t.is((await c.post(`/admin/agents/${id}/pin`, { pin: '55012' })).status, 303);
  t.regex((await c.get(`/admin/agents/${id}`)).text, /New PIN set\. It is not shown again/);
  t.truthy(await ctx.agents.checkPin('201', '55012'));

  // Skills: a select per skill; a bad level is refused beside its skill.
  const skillsPage = await c.get(`/admin/agents/${id}`);
  t.regex(skillsPage.text, new RegExp(`<label for="f-level_${f.spanish.id}">Spanish</label>`));
  const badLevel = await c.post(`/admin/agents/${id}/skills`, { [`level_${f.spanish.id}`]: '12' });
  t.is(badLevel.status, 422);
  t.regex(badLevel.text, new RegExp(`id="e-level_${f.spanish.id}">Choose a level from 1 to 10`));
  t.is((await c.post(`/admin/agents/${id}/skills`, { [`level_${f.spanish.id}`]: '9', [`level_${f.billing.id}`]: '' })).status, 303);
  t.regex((await c.get(`/admin/agents/${id}`)).text, /<option value="9" selected>9<\/option>/);

  // Queues: checkboxes.
  t.is((await c.post(`/admin/agents/${id}/queues`, { queueIds: String(sales.id) })).status, 303);
  const withQueue = await c.get(`/admin/agents/${id}`);
  t.regex(withQueue.text, new RegExp(`name="queueIds" value="${sales.id}" checked> Sales <span class="small muted">\\(#1\\)</span>`));
  t.regex((await c.get('/admin/agents')).text, /<td>\+491701234567<\/td>\s*<td>Spanish 9<\/td>\s*<td>Sales<\/td>\s*<td><span class="badge badge-on">set<\/span>/);
  const noQueue = await c.post(`/admin/agents/${id}/queues`, { queueIds: '999' });
  t.is(noQueue.status, 422);
  t.regex(noQueue.text, /one of them no longer exists/);

  t.is((await c.post(`/admin/agents/${id}/delete`)).location, '/admin/agents');
  t.is(ctx.agents.list({}).total, 0);
  t.deepEqual(ctx.agents.memberships.of(sales.id), []);
});

test('http agents: an extension an agent rings cannot be deleted; the refusal names the agent', async (t) => {
  const { c, ctx, f } = t.context;
  await ctx.agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id) }, testActor);
  await c.get(`/admin/extensions/${f.desk.id}`);
  const r = await c.post(`/admin/extensions/${f.desk.id}/delete`);
  t.is(r.location, `/admin/extensions/${f.desk.id}`);
  t.regex((await c.get(r.location!)).text, /Extension 1001 cannot be deleted: agent 201 \(ann\) sends calls to it\./);
});

test('http skills: added with field errors first, renamed, refused deletion while used, then deleted', async (t) => {
  const { c, ctx } = t.context;
  const page = await c.get('/admin/skills');
  t.regex(page.text, /<a href="\/admin\/agents" aria-current="page" class="current">Agents<\/a>/, 'the menu marks Agents on its tab');
  t.regex(page.text, /<a href="\/admin\/skills" class="current" aria-current="page">Skills<\/a>/);
  const bad = await c.post('/admin/skills', { name: 'spanish', description: '' });
  t.is(bad.status, 422);
  t.regex(bad.text, /id="e-name">A skill named Spanish already exists/);
  t.is((await c.post('/admin/skills', { name: 'French', description: 'French-speaking callers' })).status, 303);
  const french = ctx.skills.list().find((s) => s.name === 'French')!;
  ctx.queues.create({ name: 'Paris', skillId: String(french.id) }, testActor);
  t.regex((await c.get('/admin/skills')).text, /French<\/a><\/td>\s*<td class="muted">French-speaking callers<\/td>\s*<td>queue Paris<\/td>/);
  await c.get(`/admin/skills/${french.id}`);
  t.is((await c.post(`/admin/skills/${french.id}`, { name: '' })).status, 422);
  t.is((await c.post(`/admin/skills/${french.id}`, { name: 'Français', description: '' })).status, 303);
  const refused = await c.post(`/admin/skills/${french.id}/delete`);
  t.regex((await c.get(refused.location!)).text, /Skill Français cannot be deleted: queue Paris uses it\./);
  ctx.queues.delete(ctx.queues.options()[0]!.id, testActor);
  t.is((await c.post(`/admin/skills/${french.id}/delete`)).location, '/admin/skills');
  t.false(ctx.skills.list().some((s) => s.id === french.id));
});

test('http break reasons: added, disabled and enabled, renamed, deleted; the system reason is refused', async (t) => {
  const { c, ctx } = t.context;
  const page = await c.get('/admin/break-reasons');
  t.regex(page.text, /Missed call <span class="badge"[^>]*>system<\/span>/);
  t.is((await c.post('/admin/break-reasons', { name: '' })).status, 422);
  t.is((await c.post('/admin/break-reasons', { name: 'Coaching' })).status, 303);
  const coaching = ctx.breakReasons.list().find((r) => r.name === 'Coaching')!;
  t.is((await c.post(`/admin/break-reasons/${coaching.id}/disable`)).status, 303);
  t.regex((await c.get('/admin/break-reasons')).text, /Coaching<\/a><\/td>\s*<td><span class="badge badge-off">disabled<\/span>/);
  t.false(ctx.breakReasons.enabled().includes('Coaching'));
  await c.post(`/admin/break-reasons/${coaching.id}/enable`);
  t.true(ctx.breakReasons.enabled().includes('Coaching'));
  await c.get(`/admin/break-reasons/${coaching.id}`);
  const clash = await c.post(`/admin/break-reasons/${coaching.id}`, { name: 'lunch' });
  t.is(clash.status, 422);
  t.regex(clash.text, /A break reason named Lunch already exists/);
  t.is((await c.post(`/admin/break-reasons/${coaching.id}`, { name: 'Coaching session' })).status, 303);
  t.is((await c.post(`/admin/break-reasons/${coaching.id}/delete`)).status, 303);
  const missed = ctx.breakReasons.list()[0]!;
  for (const action of ['delete', 'disable']) {
    const r = await c.post(`/admin/break-reasons/${missed.id}/${action}`);
    t.regex((await c.get(r.location!)).text, /Missed call is the system&#x27;s own break reason/);
  }
  const renamed = await c.post(`/admin/break-reasons/${missed.id}`, { name: 'Missed' });
  t.regex((await c.get(renamed.location!)).text, /it cannot be renamed/);
  t.like(ctx.breakReasons.get(missed.id), { name: 'Missed call', isEnabled: true });
});

test('http VIP callers: added with errors first, filtered, edited, imported and exported as CSV, removed', async (t) => {
  const { c, ctx } = t.context;
  const page = await c.get('/admin/vip-callers');
  t.regex(page.text, /<a href="\/admin\/queues" aria-current="page" class="current">Queues<\/a>/, 'the menu marks Queues on its tab');
  const bad = await c.post('/admin/vip-callers', { number: 'x', priority: '0', note: '' });
  t.is(bad.status, 422);
  t.regex(bad.text, /id="e-number">Enter the number as callers send it/);
  t.regex(bad.text, /id="e-priority">Choose a priority from 1 to 9/);
  t.is((await c.post('/admin/vip-callers', { number: '+49 30 123456', priority: '9', note: 'Acme' })).status, 303);
  t.regex((await c.get('/admin/vip-callers')).text, /<code>\+4930123456<\/code><\/a><\/td>\s*<td><span class="badge badge-on">9<\/span><\/td>\s*<td>Acme<\/td>/);
  const imported = await c.post('/admin/vip-callers/import', { csv: 'number,priority,note\n+4940111,2,Hamburg\n' });
  t.regex(imported.text, /1 VIP caller\(s\) imported/);
  const refused = await c.post('/admin/vip-callers/import', { csv: 'number,priority\n+4940111,2\n' });
  t.is(refused.status, 422);
  t.regex(refused.text, /<td>2<\/td><td>number: \+4940111 is already a VIP caller<\/td>/);
  t.regex((await c.get('/admin/vip-callers?q=hamb')).text, /1 in all/);
  t.regex((await c.get('/admin/vip-callers?priority=9')).text, /<option value="9" selected>9 \(first\)<\/option>/);
  const v = ctx.vipCallers.list({ q: 'hamb' }).items[0]!;
  await c.get(`/admin/vip-callers/${v.id}`);
  t.is((await c.post(`/admin/vip-callers/${v.id}`, { number: '+4940111', priority: '11' })).status, 422);
  t.is((await c.post(`/admin/vip-callers/${v.id}`, { number: '+4940111', priority: '4', note: 'Hamburg office' })).status, 303);
  t.is(ctx.vipCallers.priorityOf('4940111'), 4);
  t.is((await c.get('/admin/vip-callers/export.csv')).text, 'number,priority,note\n+4930123456,9,Acme\n+4940111,4,Hamburg office\n');
  t.is((await c.post(`/admin/vip-callers/${v.id}/delete`)).location, '/admin/vip-callers');
  t.is(ctx.vipCallers.priorityOf('+4940111'), 0);
});
