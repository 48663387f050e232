import anyTest, { type TestFn } from 'ava';
import { ConflictError, ValidationError } from '../../errors.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';

const test = anyTest as TestFn<TestContext>;
test.beforeEach(async (t) => {
  t.context = await makeTestContext();
  t.context.screenPops.setOrigins({ origins: 'https://crm.example.com\nhttp://127.0.0.1:8080' }, testActor);
});
test.afterEach.always((t) => t.context.close());

const form = (o: Record<string, unknown> = {}) => ({ name: 'CRM', url: 'https://crm.example.com/customer', openMode: 'embed', integration: 'get', trigger: 'answer', isEnabled: 'on', ...o });

test('screen pops: a pop is saved with its mapped parameters in order', (t) => {
  const p = t.context.screenPops.create(form({ paramName: ['phone', '', 'acct'], paramSource: ['call', 'call', 'var'], paramKey: ['callerNum', '', 'account'] }), testActor);
  t.like(p, { name: 'CRM', url: 'https://crm.example.com/customer', openMode: 'embed', integration: 'get', trigger: 'answer', isEnabled: true });
  t.deepEqual(p.params, [
    { name: 'phone', source: 'call', key: 'callerNum' },
    { name: 'acct', source: 'var', key: 'account' },
  ]);
  const one = t.context.screenPops.update(p.id, form({ paramName: 'x', paramSource: 'call', paramKey: 'workNo', isEnabled: undefined }), testActor);
  t.deepEqual(one.params, [{ name: 'x', source: 'call', key: 'workNo' }]);
  t.false(one.isEnabled);
});

test('screen pops: a bad address, an origin not allowed, bad names and bad rows are field errors, and nothing changes', (t) => {
  const svc = t.context.screenPops;
  const fields = (o: Record<string, unknown>) => t.throws(() => svc.create(form(o), testActor), { instanceOf: ValidationError }).fields;
  t.regex(fields({ url: 'crm.example.com/customer' }).url!, /full address/);
  t.regex(fields({ url: 'ftp://crm.example.com/x' }).url!, /full address/);
  t.regex(fields({ url: 'https://evil.example.com/x' }).url!, /https:\/\/evil\.example\.com is not an allowed origin/);
  t.regex(fields({ url: 'https://crm.example.com:8443/x' }).url!, /not an allowed origin/);
  t.regex(fields({ url: 'https://u:p@crm.example.com/x' }).url!, /user name or password/);
  t.regex(fields({ name: '' }).name!, /Enter a name/);
  t.regex(fields({ integration: 'soap' }).integration!, /Choose/);
  t.regex(fields({ integration: 'webapi', openMode: 'window' }).openMode!, /only embedded/);
  const rows = fields({ paramName: ['1bad', 'ok', 'ok', 'origin', 'k', 'v'], paramSource: ['call', 'call', 'call', 'call', 'call', 'var'], paramKey: ['callerNum', 'callerNum', 'workNo', 'workNo', 'nope', 'bad key'] });
  t.deepEqual(Object.keys(rows).sort(), ['param1', 'param3', 'param4', 'param5', 'param6', 'params']);
  t.regex(rows.param3!, /ok is sent twice/);
  t.regex(rows.param4!, /origin is the workbench's own/);
  t.regex(rows.param5!, /Call data is one of callerNum/);
  t.deepEqual(svc.list(), []);
  svc.create(form(), testActor);
  t.regex(fields({ name: 'crm' }).name!, /already a pop named CRM/);
  t.is(svc.list().length, 1);
});

test('screen pops: at most N enabled pops and M parameters, as the limits say; limits cannot go below what is used', (t) => {
  const svc = t.context.screenPops;
  svc.setLimits({ maxEnabledPops: '2', maxParams: '3' }, testActor);
  const a = svc.create(form({ name: 'A' }), testActor);
  svc.create(form({ name: 'B', paramName: ['a', 'b', 'c'], paramKey: ['callid', 'workNo', 'callType'] }), testActor);
  t.regex(t.throws(() => svc.create(form({ name: 'C' }), testActor), { instanceOf: ValidationError }).fields.isEnabled!, /At most 2 pops can be enabled/);
  const c = svc.create(form({ name: 'C', isEnabled: undefined }), testActor);
  t.throws(() => svc.setEnabled(c.id, true, testActor), { instanceOf: ConflictError, message: /At most 2/ });
  // Saving an enabled pop again is not enabling one more.
  t.notThrows(() => svc.update(a.id, form({ name: 'A', url: 'http://127.0.0.1:8080/a' }), testActor));
  t.regex(t.throws(() => svc.update(c.id, form({ name: 'C', isEnabled: undefined, paramName: ['a', 'b', 'c', 'd'], paramKey: ['callid', 'workNo', 'callType', 'agentName'] }), testActor), { instanceOf: ValidationError }).fields.params!, /at most 3 parameters; this one has 4/);
  const lim = t.throws(() => svc.setLimits({ maxEnabledPops: '1', maxParams: '2' }, testActor), { instanceOf: ValidationError }).fields;
  t.regex(lim.maxEnabledPops!, /2 pops are enabled now/);
  t.regex(lim.maxParams!, /B sends 3 parameters/);
  t.regex(t.throws(() => svc.setLimits({ maxEnabledPops: '11', maxParams: '0' }, testActor), { instanceOf: ValidationError }).fields.maxParams!, /1 to 20/);
  t.deepEqual(svc.limits(), { maxEnabledPops: 2, maxParams: 3 });
  svc.setEnabled(a.id, false, testActor);
  svc.setEnabled(c.id, true, testActor);
  t.deepEqual(svc.list().map((p) => [p.name, p.isEnabled]), [['A', false], ['B', true], ['C', true]]);
});

test('screen pops: move up and down swaps neighbours; the ends stay; delete removes the pop and its parameters', (t) => {
  const svc = t.context.screenPops;
  const [a, b, c] = ['A', 'B', 'C'].map((name) => svc.create(form({ name, paramName: 'p', paramKey: 'callid' }), testActor));
  svc.move(c!.id, 'up', testActor);
  t.deepEqual(svc.list().map((p) => p.name), ['A', 'C', 'B']);
  svc.move(a!.id, 'up', testActor);
  svc.move(b!.id, 'down', testActor);
  t.deepEqual(svc.list().map((p) => p.name), ['A', 'C', 'B']);
  svc.move(a!.id, 'down', testActor);
  t.deepEqual(svc.list().map((p) => p.name), ['C', 'A', 'B']);
  t.deepEqual(svc.forCall({ callerNum: '1', calledNum: '2', callid: 'x', callType: 0, workNo: '1001', callskill: '', callskillid: '', agentName: '', vars: {} }, 'http://cb').map((p) => p.name), ['C', 'A', 'B']);
  svc.delete(a!.id, testActor);
  t.deepEqual(svc.list().map((p) => p.name), ['C', 'B']);
  t.is((t.context.db.prepare('SELECT count(*) AS n FROM screen_pop_params').get() as { n: number }).n, 2);
  t.deepEqual(t.context.audit.list({}).items.filter((e) => e.entityType === 'screen_pop').map((e) => e.action).reverse().slice(-2), ['screen_pop.moved', 'screen_pop.deleted']);
});

test('screen pops: the origins editor takes one origin per line, normalised; bad lines and origins in use change nothing', (t) => {
  const svc = t.context.screenPops;
  t.deepEqual(svc.setOrigins({ origins: ' https://CRM.example.com \r\n\r\nhttps://crm.example.com:443/\nhttp://localhost:3000' }, testActor), ['http://localhost:3000', 'https://crm.example.com']);
  t.regex(t.throws(() => svc.setOrigins({ origins: 'https://ok.example.com\nhttps://crm.example.com/path\nnot a url' }, testActor), { instanceOf: ValidationError }).fields.origins!, /Not an origin: https:\/\/crm\.example\.com\/path, not a url/);
  svc.create(form(), testActor);
  t.regex(t.throws(() => svc.setOrigins({ origins: 'http://localhost:3000' }, testActor), { instanceOf: ValidationError }).fields.origins!, /Still used by CRM \(https:\/\/crm\.example\.com\)/);
  t.deepEqual(svc.origins(), ['http://localhost:3000', 'https://crm.example.com']);
});

test('click-to-call: a token is shown once and stored as a hash; the call reaches the dialer; revoked tokens are refused', async (t) => {
  const { ClickToCallService } = await import('./click-to-call.service.js');
  const dialled: unknown[] = [];
  const ann = await t.context.addUser('ann', 'agent');
  await t.context.agents.create({ userId: String(ann.id), number: '2001', deviceKind: 'external', externalNumber: '+491701234567' }, testActor);
  const calls = new ClickToCallService({ db: t.context.db, clock: t.context.clock, audit: t.context.audit, log: t.context.log, agentExists: (n) => t.context.agents.options().some((a) => a.number === n), dialer: { dial: (...args) => (dialled.push(args), Promise.resolve({ callId: 'c-1' })) } });
  const { token, record } = calls.createToken({ name: 'CRM server' }, testActor);
  t.regex(token, /^cbx_[A-Za-z0-9_-]{43}$/);
  t.is(record.lastUsedAt, null);
  t.false(JSON.stringify(t.context.db.prepare('SELECT * FROM click_to_call_tokens').all()).includes(token));
  t.deepEqual(await calls.call(`Bearer ${token}`, { workNo: '2001', number: '+4930123456' }, { ip: '127.0.0.1' }), { callId: 'c-1' });
  t.deepEqual(dialled, [['2001', '+4930123456', null, 'token:CRM server']]);
  t.truthy(calls.tokens()[0]!.lastUsedAt);
  await t.throwsAsync(calls.call(`Bearer ${token}x`, { workNo: '2001', number: '123' }, { ip: '' }), { message: /valid click-to-call token/ });
  await t.throwsAsync(calls.call(undefined, {}, { ip: '' }), { message: /valid click-to-call token/ });
  await t.throwsAsync(calls.call(`Bearer ${token}`, { workNo: '2001', number: 'call me' }, { ip: '' }), { message: /number must be digits/ });
  await t.throwsAsync(calls.call(`Bearer ${token}`, { workNo: '9999', number: '123' }, { ip: '' }), { message: /no agent 9999/ });
  calls.revokeToken(record.id, testActor);
  await t.throwsAsync(calls.call(`Bearer ${token}`, { workNo: '2001', number: '123' }, { ip: '' }), { message: /valid click-to-call token/ });
  t.is(dialled.length, 1);
});
