import anyTest, { type TestFn } from 'ava';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { makeTestContext, type TestContext } from '../../test/make-test-context.js';

const test = anyTest as TestFn<TestContext>;
test.beforeEach(async (t) => {
  t.context = await makeTestContext();
});
test.afterEach.always((t) => t.context.close());
const admin = { username: 'owner', displayName: 'The Owner', password: 'first admin secret', passwordConfirm: 'first admin secret' };

test('setup: with no admin a link is issued, and it creates the first admin once', async (t) => {
  const token = t.context.setup.issueToken()!;
  t.truthy(token);
  const u = await t.context.setup.complete(token, admin, '127.0.0.1');
  t.is(u.role, 'admin');
  t.false(t.context.setup.isNeeded());
  t.is(t.context.setup.issueToken(), null, 'no link once an admin exists');
  await t.throwsAsync(t.context.setup.complete(token, { ...admin, username: 'second' }, null), { instanceOf: ConflictError });
  t.is(t.context.users.list({}).total, 1);
  t.is(t.context.audit.list({ action: 'setup.completed' }).total, 1);
});

test('setup: the role cannot be chosen by the form', async (t) => {
  const token = t.context.setup.issueToken()!;
  const u = await t.context.setup.complete(token, { ...admin, role: 'agent' }, null);
  t.is(u.role, 'admin');
});

test('setup: bad input keeps the link usable', async (t) => {
  const token = t.context.setup.issueToken()!;
  await t.throwsAsync(t.context.setup.complete(token, { ...admin, password: 'short', passwordConfirm: 'short' }, null), { instanceOf: ValidationError });
  t.is(t.context.users.list({}).total, 0);
  t.is((await t.context.setup.complete(token, admin, null)).username, 'owner');
});

test('setup: an unknown, replaced or expired link is refused', async (t) => {
  t.throws(() => t.context.setup.check('made-up-token'), { instanceOf: NotFoundError });
  const old = t.context.setup.issueToken()!;
  const fresh = t.context.setup.issueToken()!;
  t.throws(() => t.context.setup.check(old), { instanceOf: NotFoundError }, 'a newer link replaces the old one');
  t.notThrows(() => t.context.setup.check(fresh));
  t.context.clock.advance(24 * 60 * 60 * 1000 + 1);
  t.throws(() => t.context.setup.check(fresh), { instanceOf: NotFoundError });
});
