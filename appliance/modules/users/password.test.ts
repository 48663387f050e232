import test from 'ava';
import { generateTemporaryPassword, hashPassword, verifyPassword } from './password.js';

test('password: a hash verifies its password and no other', async (t) => {
  const h = await hashPassword('correct horse battery');
  t.true(await verifyPassword('correct horse battery', h));
  t.false(await verifyPassword('correct horse batterY', h));
  t.false(await verifyPassword('', h));
});

test('password: hashes are salted scrypt with their parameters recorded', async (t) => {
  const a = await hashPassword('same password');
  const b = await hashPassword('same password');
  t.not(a, b);
  t.regex(a, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
});

test('password: hashes made with other parameters still verify', async (t) => {
  const h = await hashPassword('cheap for this test', { N: 1024, r: 8, p: 1 });
  t.true(h.startsWith('scrypt$1024$'));
  t.true(await verifyPassword('cheap for this test', h));
});

test('password: a malformed stored hash never verifies', async (t) => {
  for (const bad of ['', 'plain', 'scrypt$1$2$3', 'bcrypt$a$b$c$d$e', 'scrypt$x$8$1$c2FsdA==$a2V5']) {
    t.false(await verifyPassword('anything', bad), bad);
  }
});

test('password: temporary passwords are long, grouped and unambiguous', (t) => {
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const p = generateTemporaryPassword();
    t.regex(p, /^[a-zA-Z0-9]{4}(-[a-zA-Z0-9]{4}){3}$/);
    t.notRegex(p, /[0O1lIi5S2Z8B]/);
    seen.add(p);
  }
  t.is(seen.size, 50);
});
