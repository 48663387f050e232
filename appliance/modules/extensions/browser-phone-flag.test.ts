import anyTest, { type TestFn } from 'ava';
import { startTestServer } from '../../test/http-client.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';

interface Ctx {
  ctx: TestContext;
  server: Awaited<ReturnType<typeof startTestServer>>;
}
const test = anyTest as TestFn<Ctx>;
test.beforeEach(async (t) => {
  const ctx = await makeTestContext();
  await ctx.addUser('root', 'admin');
  t.context = { ctx, server: await startTestServer(ctx) };
});
test.afterEach.always(async (t) => {
  await t.context.server.close();
  t.context.ctx.close();
});

test('extensions: the browser phone is off unless allowed, and only an enabled extension that allows it gives its account', (t) => {
  const svc = t.context.ctx.extensions;
  const { extension, sipPassword } = svc.create({ number: '1001', displayName: 'Ann', isEnabled: 'on' }, testActor);
  t.false(extension.browserPhone);
  t.like(svc.browserPhoneAccount(extension.id), { refused: 'Extension 1001 does not allow a browser phone: an administrator can allow it on the extension\'s page.' });
  t.true(svc.update(extension.id, { number: '1001', displayName: 'Ann', isEnabled: 'on', browserPhone: 'on' }, testActor).browserPhone);
  t.deepEqual(svc.browserPhoneAccount(extension.id), { account: { number: '1001', displayName: 'Ann', sipPassword } });
  svc.update(extension.id, { number: '1001', displayName: 'Ann', browserPhone: 'on' }, testActor);
  t.like(svc.browserPhoneAccount(extension.id), { refused: 'Extension 1001 is disabled.' });
  t.like(svc.browserPhoneAccount(999), { refused: 'Your phone extension no longer exists.' });
  // The flag is audited like every other field, and the password never is.
  const audit = JSON.stringify(t.context.ctx.audit.list({ action: 'extension.updated' }).items);
  t.true(audit.includes('"browserPhone":true'));
  t.false(audit.includes(sipPassword));
});

test('extensions: an admin allows the browser phone on the form, and the list shows it with a badge', async (t) => {
  const c = t.context.server.client();
  await c.login('root');
  const form = await c.get('/admin/extensions/new');
  t.regex(form.text, /<input type="checkbox" name="browserPhone"/);
  t.regex(form.text, /register as it from the agent's page, in the browser, over the console's own address/);
  t.is((await c.post('/admin/extensions', { number: '2001', displayName: 'Desk', isEnabled: 'on' })).status, 201);
  t.is((await c.post('/admin/extensions', { number: '2002', displayName: 'Web', isEnabled: 'on', browserPhone: 'on' })).status, 201);
  const list = await c.get('/admin/extensions');
  t.is(list.text.match(/>browser phone<\/span>/g)?.length, 1, 'one badge, on 2002');
  t.regex(list.text, /Web <span class="badge badge-on" title="Browser phone allowed">browser phone<\/span>/);
  const id = t.context.ctx.extensions.idOf('2001')!;
  const page = await c.get(`/admin/extensions/${id}`);
  t.notRegex(page.text, /name="browserPhone" checked/);
  t.is((await c.post(`/admin/extensions/${id}`, { number: '2001', displayName: 'Desk', isEnabled: 'on', browserPhone: 'on' })).status, 303);
  t.regex((await c.get(`/admin/extensions/${id}`)).text, /name="browserPhone" checked/);
  t.true(t.context.ctx.extensions.get(id).browserPhone);
  // A form that failed validation keeps the box as it was ticked.
  const bad = await c.post(`/admin/extensions/${id}`, { number: 'x', displayName: 'Desk', isEnabled: 'on', browserPhone: 'on' });
  t.is(bad.status, 422);
  t.regex(bad.text, /name="browserPhone" checked/);
});
