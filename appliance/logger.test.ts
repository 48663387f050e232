import test from 'ava';
import { Writable } from 'node:stream';
import { createLogger } from './logger.js';

function capture() {
  let out = '';
  const stream = new Writable({
    write(c: Buffer, _e, done) {
      out += c.toString();
      done();
    },
  });
  return { log: createLogger('debug', stream), text: () => out };
}

test('logger: passwords, secrets, tokens and cookies are redacted wherever they sit', (t) => {
  const { log, text } = capture();
  log.info({ config: { esl: { password: 'esl-pw-123' }, session: { secret: 'sess-secret-456' } } }, 'settings');
  log.child({ module: 'auth' }).info({ user: { password: 'hunter2hunter2' }, token: 'tok-789' }, 'login');
  log.info({ req: { headers: { cookie: 'callbox_sid=abc', authorization: 'Basic xyz' } } }, 'request');
  for (const secret of ['esl-pw-123', 'sess-secret-456', 'hunter2hunter2', 'tok-789', 'callbox_sid=abc', 'Basic xyz']) {
    t.false(text().includes(secret), secret);
  }
  t.true(text().includes('[redacted]'));
  t.true(text().includes('"module":"auth"'));
});
