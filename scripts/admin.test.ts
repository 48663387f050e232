import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('./admin.js', import.meta.url));

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-cli-'));
  const config = join(dir, 'appliance.json');
  writeFileSync(config, JSON.stringify({ dataDir: join(dir, 'data'), session: { secret: 'cli-test-secret-0123456789abcdefghij' }, esl: { password: 'eslpassword' } }));
  const run = (args: string[], input = '') =>
    spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', env: { PATH: process.env.PATH, CALLBOX_CONFIG: config } });
  return run;
}

test('admin CLI: setup-link prints a link until an admin exists; create-admin makes one', (t) => {
  const run = setup();
  const link = run(['setup-link']);
  t.is(link.status, 0);
  t.regex(link.stdout, /^http:\/\/<this-server>:8080\/setup\/[A-Za-z0-9_-]{43}\n$/);
  const made = run(['create-admin', 'boss', 'The', 'Boss'], 'a long admin password\n');
  t.is(made.status, 0, made.stderr);
  t.regex(made.stdout, /admin boss created/);
  const after = run(['setup-link']);
  t.is(after.status, 1);
  t.regex(after.stderr, /setup is already complete/);
});

test('admin CLI: a weak password or a taken name is refused with the reason, and nothing is created', (t) => {
  const run = setup();
  const weak = run(['create-admin', 'boss'], 'short\n');
  t.is(weak.status, 1);
  t.regex(weak.stderr, /password: Use at least 10 characters/);
  t.is(run(['setup-link']).status, 0, 'still no admin');
  t.is(run(['create-admin', 'boss'], 'a long admin password\n').status, 0);
  const again = run(['create-admin', 'BOSS'], 'a long admin password\n');
  t.regex(again.stderr, /username: The username "BOSS" is already taken/);
});

test('admin CLI: unknown commands print usage; bad settings are named', (t) => {
  const run = setup();
  t.is(run(['frobnicate']).status, 2);
  const bad = spawnSync(process.execPath, [cli, 'setup-link'], { encoding: 'utf8', env: { PATH: process.env.PATH, CALLBOX_CONFIG: '/nonexistent.json' } });
  t.is(bad.status, 1);
  t.regex(bad.stderr, /cannot read settings file \/nonexistent\.json/);
});
