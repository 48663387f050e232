import anyTest, { type TestFn } from 'ava';
import { makeTestContext, type TestContext } from '../../test/make-test-context.js';

const test = anyTest as TestFn<TestContext>;
test.beforeEach(async (t) => {
  t.context = await makeTestContext({ session: { secret: 'another-test-secret-0123456789abcdef', idleMinutes: 30, absoluteHours: 8 } });
});
test.afterEach.always((t) => t.context.close());
const meta = { ip: '127.0.0.1', userAgent: 'test' };
const MIN = 60 * 1000;

test('sessions: a token resolves to its session; the database holds only a keyed hash of it', async (t) => {
  const u = await t.context.addUser('alice');
  const { token, session } = t.context.sessions.create(u.id, meta);
  const r = t.context.sessions.resolve(token);
  t.true('session' in r && r.session.id === session.id && r.session.userId === u.id);
  const stored = t.context.db.prepare('SELECT token_hash FROM sessions WHERE id = ?').get(session.id) as { token_hash: string };
  t.not(stored.token_hash, token);
  t.regex(stored.token_hash, /^[0-9a-f]{64}$/);
  t.deepEqual(t.context.sessions.resolve('not-a-real-token-at-all-00000'), { expired: false });
});

test('sessions: an idle session ends and says it expired', async (t) => {
  const u = await t.context.addUser('alice');
  const { token } = t.context.sessions.create(u.id, meta);
  t.context.clock.advance(29 * MIN);
  t.true('session' in t.context.sessions.resolve(token), 'activity within the idle limit');
  t.context.clock.advance(29 * MIN);
  t.true('session' in t.context.sessions.resolve(token), 'the last visit reset the idle clock');
  t.context.clock.advance(31 * MIN);
  t.deepEqual(t.context.sessions.resolve(token), { expired: true });
  t.deepEqual(t.context.sessions.resolve(token), { expired: false }, 'the ended session is gone');
});

test('sessions: a busy session still ends at its absolute age', async (t) => {
  const u = await t.context.addUser('alice');
  const { token } = t.context.sessions.create(u.id, meta);
  for (let i = 0; i < 16; i++) {
    t.context.clock.advance(29 * MIN);
    t.true('session' in t.context.sessions.resolve(token));
  }
  t.context.clock.advance(20 * MIN);
  t.deepEqual(t.context.sessions.resolve(token), { expired: true });
});

test('sessions: flash messages are kept until taken', (t) => {
  const { token, session } = t.context.sessions.create(null, meta, [{ kind: 'info', text: 'hello' }]);
  const r = t.context.sessions.resolve(token);
  t.true('session' in r && r.session.flash[0]!.text === 'hello');
  t.context.sessions.setFlash(session.id, []);
  const r2 = t.context.sessions.resolve(token);
  t.true('session' in r2 && r2.session.flash.length === 0);
});

test('sessions: the purge removes ended sessions only', async (t) => {
  const u = await t.context.addUser('alice');
  t.context.sessions.create(null, meta);
  t.context.sessions.create(u.id, meta);
  t.context.clock.advance(25 * MIN);
  const live = t.context.sessions.create(u.id, meta);
  t.context.clock.advance(10 * MIN);
  t.is(t.context.sessions.purgeExpired(), 1, 'the first signed-in session was idle for 35 minutes');
  t.context.clock.advance(90 * MIN);
  t.is(t.context.sessions.purgeExpired(), 2, 'the anonymous one (2 h) and the second signed-in one (idle)');
  t.false('session' in t.context.sessions.resolve(live.token));
});

test('sessions: the signed-in count ignores anonymous sessions', async (t) => {
  const u = await t.context.addUser('alice');
  t.context.sessions.create(null, meta);
  t.context.sessions.create(u.id, meta);
  t.is(t.context.sessions.countSignedIn(), 1);
});
