import anyTest, { type TestFn } from 'ava';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';
import { verifyPassword } from './password.js';

const test = anyTest as TestFn<TestContext>;
test.beforeEach(async (t) => {
  t.context = await makeTestContext();
});
test.afterEach.always((t) => t.context.close());

const auditActions = (ctx: TestContext) => ctx.audit.list({}).items.map((e) => e.action);
const pw = 'correct horse battery';

test('users: creating a user stores it and audits who did it', async (t) => {
  const admin = await t.context.addUser('boss', 'admin');
  const u = await t.context.users.create(
    { username: 'alice', displayName: 'Alice A', role: 'agent', password: pw, passwordConfirm: pw },
    { userId: admin.id, name: 'boss', ip: '10.0.0.1' },
  );
  t.is(u.username, 'alice');
  t.is(u.role, 'agent');
  t.false(u.isDisabled);
  const entry = t.context.audit.list({ action: 'user.created' }).items[0]!;
  t.is(entry.actorName, 'boss');
  t.is(entry.entityId, String(u.id));
  t.is(entry.ip, '10.0.0.1');
  t.regex(entry.summary, /created agent alice/);
});

test('users: bad input is refused field by field and changes nothing', async (t) => {
  const e = await t.throwsAsync(
    t.context.users.create({ username: ' x', displayName: '', role: 'owner', password: 'short', passwordConfirm: 'other' }, testActor),
    { instanceOf: ValidationError },
  );
  t.deepEqual(Object.keys(e!.fields).sort(), ['displayName', 'password', 'role', 'username'].sort());
  t.is(t.context.users.list({}).total, 0);
  t.deepEqual(auditActions(t.context), []);
});

test('users: passwords must match and must not be the username', async (t) => {
  const mismatch = await t.throwsAsync(
    t.context.users.create({ username: 'bob', displayName: 'Bob', role: 'agent', password: pw, passwordConfirm: 'different thing' }, testActor),
    { instanceOf: ValidationError },
  );
  t.is(mismatch!.fields.passwordConfirm, 'The passwords do not match.');
  const same = await t.throwsAsync(
    t.context.users.create({ username: 'bobbybobbybob', displayName: 'Bob', role: 'agent', password: 'BobbyBobbyBob', passwordConfirm: 'BobbyBobbyBob' }, testActor),
    { instanceOf: ValidationError },
  );
  t.truthy(same!.fields.password);
});

test('users: a username is unique regardless of case', async (t) => {
  await t.context.addUser('alice');
  const e = await t.throwsAsync(t.context.addUser('ALICE'), { instanceOf: ValidationError });
  t.regex(e!.fields.username!, /already taken/);
  t.is(t.context.users.list({}).total, 1);
});

test('users: changing a role is audited with before and after', async (t) => {
  const u = await t.context.addUser('carol');
  t.context.users.update(u.id, { displayName: 'Carol C', role: 'supervisor' }, testActor);
  t.is(t.context.users.get(u.id).role, 'supervisor');
  const entry = t.context.audit.list({ action: 'user.role_changed' }).items[0]!;
  t.deepEqual(entry.details.role, { from: 'agent', to: 'supervisor' });
});

test('users: the last active admin can be neither demoted nor disabled', async (t) => {
  const admin = await t.context.addUser('root', 'admin');
  const demote = t.throws(() => t.context.users.update(admin.id, { displayName: 'Root', role: 'agent' }, testActor), { instanceOf: ValidationError });
  t.truthy(demote!.fields.role);
  t.throws(() => t.context.users.setDisabled(admin.id, true, testActor), { instanceOf: ConflictError });
  t.is(t.context.users.get(admin.id).role, 'admin');
  t.false(t.context.users.get(admin.id).isDisabled);
  const second = await t.context.addUser('root2', 'admin');
  t.context.users.setDisabled(admin.id, true, { ...testActor, userId: second.id });
  t.true(t.context.users.get(admin.id).isDisabled);
});

test('users: nobody can disable their own account', async (t) => {
  await t.context.addUser('a1', 'admin');
  const me = await t.context.addUser('a2', 'admin');
  t.throws(() => t.context.users.setDisabled(me.id, true, { userId: me.id, name: 'a2', ip: null }), { code: 'user.disable_self' });
});

test('users: disabling ends the user sessions', async (t) => {
  const u = await t.context.addUser('dave');
  const { token } = t.context.sessions.create(u.id, { ip: null, userAgent: null });
  t.true('session' in t.context.sessions.resolve(token));
  t.context.users.setDisabled(u.id, true, testActor);
  t.false('session' in t.context.sessions.resolve(token));
  t.deepEqual(auditActions(t.context).slice(0, 1), ['user.disabled']);
});

test('users: a reset gives a one-time password that works and must be changed', async (t) => {
  const u = await t.context.addUser('erin');
  const { user, temporaryPassword } = await t.context.users.resetPassword(u.id, testActor);
  t.true(user.mustChangePassword);
  const login = await t.context.auth.login('erin', temporaryPassword, '127.0.0.1');
  t.true(login.mustChangePassword);
  await t.context.users.changeOwnPassword(u.id, { currentPassword: temporaryPassword, password: 'a brand new secret', passwordConfirm: 'a brand new secret' }, testActor);
  t.false(t.context.users.get(u.id).mustChangePassword);
  t.true(await verifyPassword('a brand new secret', t.context.users.credentials('erin')!.passwordHash));
});

test('users: changing your password needs the current one; a wrong one changes nothing', async (t) => {
  const u = await t.context.addUser('frank');
  const before = t.context.users.credentials('frank')!.passwordHash;
  const e = await t.throwsAsync(
    t.context.users.changeOwnPassword(u.id, { currentPassword: 'not it at all', password: 'another secret here', passwordConfirm: 'another secret here' }, testActor),
    { instanceOf: ValidationError },
  );
  t.truthy(e!.fields.currentPassword);
  t.is(t.context.users.credentials('frank')!.passwordHash, before);
});

test('users: changing your password signs out your other sessions but keeps this one', async (t) => {
  const u = await t.context.addUser('gina');
  const here = t.context.sessions.create(u.id, { ip: null, userAgent: null });
  const elsewhere = t.context.sessions.create(u.id, { ip: null, userAgent: null });
  await t.context.users.changeOwnPassword(u.id, { currentPassword: pw, password: 'gina has a new one', passwordConfirm: 'gina has a new one' }, testActor, here.session.id);
  t.true('session' in t.context.sessions.resolve(here.token));
  t.false('session' in t.context.sessions.resolve(elsewhere.token));
});

test('users: lists filter by text, role and status, and page', async (t) => {
  for (let i = 0; i < 30; i++) await t.context.users.create({ username: `agent${String(i).padStart(2, '0')}`, displayName: `Agent ${i}`, role: 'agent', password: pw, passwordConfirm: pw }, testActor);
  await t.context.addUser('sup', 'supervisor');
  const page1 = t.context.users.list({}, 25);
  t.is(page1.total, 31);
  t.is(page1.pages, 2);
  t.is(page1.items.length, 25);
  t.is(t.context.users.list({ page: '2' }, 25).items.length, 6);
  t.is(t.context.users.list({ page: '99' }, 25).page, 2, 'a page past the end shows the last page');
  t.is(t.context.users.list({ role: 'supervisor' }).total, 1);
  t.is(t.context.users.list({ q: 'agent1' }).total, 10);
  t.is(t.context.users.list({ q: '%' }).total, 0, 'LIKE wildcards are taken literally');
  t.is(t.context.users.list({ status: 'disabled' }).total, 0);
  t.is(t.context.users.list({ role: 'bogus', page: 'x' }).total, 31, 'nonsense filters are ignored, not errors');
});

test('users: an unknown id is a not-found error', (t) => {
  t.throws(() => t.context.users.get(999), { instanceOf: NotFoundError });
});
