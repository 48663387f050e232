import anyTest, { type TestFn } from 'ava';
import { TooManyRequestsError, UnauthorizedError } from '../../errors.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';

const test = anyTest as TestFn<TestContext>;
test.beforeEach(async (t) => {
  t.context = await makeTestContext({ login: { maxFailuresPerUser: 3, maxFailuresPerIp: 6, windowMinutes: 15, lockoutMinutes: 10 } });
  await t.context.addUser('alice');
});
test.afterEach.always((t) => t.context.close());

const pw = 'correct horse battery';

test('auth: the right password signs in and records the time', async (t) => {
  const u = await t.context.auth.login('alice', pw, '10.0.0.1');
  t.is(u.username, 'alice');
  t.truthy(u.lastLoginAt);
  t.is(t.context.audit.list({ action: 'auth.login' }).total, 1);
});

test('auth: a username is matched without regard to case or surrounding spaces', async (t) => {
  t.is((await t.context.auth.login('  ALICE ', pw, '10.0.0.1')).username, 'alice');
});

test('auth: a wrong password and an unknown user get the same answer', async (t) => {
  const wrong = await t.throwsAsync(t.context.auth.login('alice', 'nope nope nope', '10.0.0.1'), { instanceOf: UnauthorizedError });
  const unknown = await t.throwsAsync(t.context.auth.login('nobody', pw, '10.0.0.1'), { instanceOf: UnauthorizedError });
  t.is(wrong!.message, unknown!.message);
  t.is(wrong!.code, 'auth.invalid');
  t.is(t.context.audit.list({ action: 'auth.login_failed' }).total, 2);
});

test('auth: non-string input is a failed sign-in, not a crash', async (t) => {
  await t.throwsAsync(t.context.auth.login({ $ne: 1 }, ['x'], null), { instanceOf: UnauthorizedError });
});

test('auth: repeated failures lock the account, even against the right password, until the lock ends', async (t) => {
  for (let i = 0; i < 2; i++) await t.throwsAsync(t.context.auth.login('alice', 'wrong password!', '10.0.0.1'), { code: 'auth.invalid' });
  const third = await t.throwsAsync(t.context.auth.login('alice', 'wrong password!', '10.0.0.1'), { instanceOf: TooManyRequestsError });
  t.is(third!.retryAfterSeconds, 600);
  const locked = await t.throwsAsync(t.context.auth.login('alice', pw, '10.0.0.2'), { instanceOf: TooManyRequestsError });
  t.regex(locked!.message, /Try again in 10 minute/);
  t.is(t.context.audit.list({ action: 'auth.locked' }).total, 1);
  t.context.clock.advance(10 * 60 * 1000 + 1);
  t.is((await t.context.auth.login('alice', pw, '10.0.0.2')).username, 'alice');
});

test('auth: a lockout survives a restart because it is kept in the database', async (t) => {
  for (let i = 0; i < 3; i++) await t.throwsAsync(t.context.auth.login('alice', 'wrong password!', '10.0.0.1'));
  const { AuthService } = await import('./auth.service.js');
  const restarted = new AuthService({ ...t.context, log: t.context.log, limits: t.context.config.login });
  await t.throwsAsync(restarted.login('alice', pw, '10.0.0.9'), { instanceOf: TooManyRequestsError });
});

test('auth: unknown usernames lock too, so a lockout tells nothing about who exists', async (t) => {
  for (let i = 0; i < 2; i++) await t.throwsAsync(t.context.auth.login('ghost', 'x'.repeat(12), '10.0.0.1'), { code: 'auth.invalid' });
  await t.throwsAsync(t.context.auth.login('ghost', 'x'.repeat(12), '10.0.0.1'), { instanceOf: TooManyRequestsError });
});

test('auth: one address guessing many usernames is locked out', async (t) => {
  for (let i = 0; i < 5; i++) await t.throwsAsync(t.context.auth.login(`user${i}`, 'guess guess', '203.0.113.7'), { code: 'auth.invalid' });
  await t.throwsAsync(t.context.auth.login('user9', 'guess guess', '203.0.113.7'), { instanceOf: TooManyRequestsError });
  await t.throwsAsync(t.context.auth.login('alice', pw, '203.0.113.7'), { instanceOf: TooManyRequestsError });
  t.is((await t.context.auth.login('alice', pw, '198.51.100.1')).username, 'alice', 'other addresses are not affected');
});

test('auth: failures outside the window do not add up', async (t) => {
  for (let i = 0; i < 2; i++) await t.throwsAsync(t.context.auth.login('alice', 'wrong password!', '10.0.0.1'));
  t.context.clock.advance(16 * 60 * 1000);
  await t.throwsAsync(t.context.auth.login('alice', 'wrong password!', '10.0.0.1'), { code: 'auth.invalid' });
});

test('auth: a disabled account cannot sign in', async (t) => {
  await t.context.addUser('root', 'admin');
  const bob = await t.context.addUser('bob');
  t.context.users.setDisabled(bob.id, true, testActor);
  await t.throwsAsync(t.context.auth.login('bob', pw, '10.0.0.1'), { code: 'auth.disabled' });
});

test('auth: the throttle purge forgets old failures but keeps live locks', async (t) => {
  for (let i = 0; i < 3; i++) await t.throwsAsync(t.context.auth.login('alice', 'wrong password!', '10.0.0.1'));
  t.is(t.context.auth.purgeThrottle(), 0);
  t.context.clock.advance(25 * 60 * 60 * 1000);
  t.true(t.context.auth.purgeThrottle() >= 1);
});
