import test from 'ava';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig } from './config.js';
import { BootError } from './errors.js';

const minimal = { session: { secret: 's'.repeat(32) }, esl: { password: 'eslpassword' } };

function writeConfig(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-config-'));
  const file = join(dir, 'appliance.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

test('config: minimal settings get documented defaults', (t) => {
  const c = parseConfig(minimal);
  t.is(c.dataDir, '/var/lib/callbox');
  t.is(c.http.port, 8080);
  t.is(c.http.host, '0.0.0.0');
  t.is(c.esl.host, '127.0.0.1');
  t.is(c.esl.port, 8021);
  t.is(c.session.idleMinutes, 480);
  t.is(c.login.maxFailuresPerUser, 5);
  t.is(c.freeswitch.confDir, '/etc/freeswitch');
});

test('config: the settings object is frozen', (t) => {
  const c = parseConfig(minimal);
  t.true(Object.isFrozen(c));
  t.true(Object.isFrozen(c.http));
  t.throws(() => {
    (c.http as { port: number }).port = 1;
  });
});

test('config: a missing secret stops boot naming the field', (t) => {
  const e = t.throws(() => parseConfig({ esl: { password: 'eslpassword' } }), { instanceOf: BootError });
  t.regex(e!.message, /session: /);
});

test('config: a short session secret is named with the rule', (t) => {
  const e = t.throws(() => parseConfig({ ...minimal, session: { secret: 'short' } }), { instanceOf: BootError });
  t.regex(e!.message, /session\.secret: must be at least 32 characters/);
});

test('config: an unknown key is refused rather than ignored (a typo must not silently fall back)', (t) => {
  const e = t.throws(() => parseConfig({ ...minimal, http: { prot: 80 } }), { instanceOf: BootError });
  t.regex(e!.message, /http/);
  t.regex(e!.message, /prot/);
});

test('config: file plus environment overrides, and a bad override names its variable', (t) => {
  const file = writeConfig(minimal);
  const c = loadConfig({ CALLBOX_CONFIG: file, CALLBOX_HTTP_PORT: '9090', CALLBOX_DATA_DIR: '/srv/cb', CALLBOX_TRUST_PROXY: 'true' });
  t.is(c.http.port, 9090);
  t.is(c.dataDir, '/srv/cb');
  t.true(c.http.trustProxy);
  const e = t.throws(() => loadConfig({ CALLBOX_CONFIG: file, CALLBOX_HTTP_PORT: 'eighty' }), { instanceOf: BootError });
  t.regex(e!.message, /http\.port \(from CALLBOX_HTTP_PORT\)/);
  const e2 = t.throws(() => loadConfig({ CALLBOX_CONFIG: file, CALLBOX_HTTP_PORT: '70000' }), { instanceOf: BootError });
  t.regex(e2!.message, /http\.port/);
});

test('config: a missing, unreadable or malformed file is reported by path', (t) => {
  const missing = t.throws(() => loadConfig({ CALLBOX_CONFIG: '/nonexistent/appliance.json' }), { instanceOf: BootError });
  t.regex(missing!.message, /\/nonexistent\/appliance\.json: the file does not exist/);
  const bad = t.throws(() => loadConfig({ CALLBOX_CONFIG: writeConfig('{"dataDir": ') }), { instanceOf: BootError });
  t.regex(bad!.message, /not valid JSON/);
  const array = t.throws(() => loadConfig({ CALLBOX_CONFIG: writeConfig('[]') }), { instanceOf: BootError });
  t.regex(array!.message, /must hold a JSON object/);
});

test('config: the log level must be one pino knows', (t) => {
  const file = writeConfig(minimal);
  const e = t.throws(() => loadConfig({ CALLBOX_CONFIG: file, CALLBOX_LOG_LEVEL: 'loud' }), { instanceOf: BootError });
  t.regex(e!.message, /log\.level \(from CALLBOX_LOG_LEVEL\)/);
  chmodSync(file, 0o600);
  t.is(loadConfig({ CALLBOX_CONFIG: file, CALLBOX_LOG_LEVEL: 'debug' }).log.level, 'debug');
});
