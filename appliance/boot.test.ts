import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { get as httpsGet } from 'node:https';
import { Writable } from 'node:stream';
import { WebSocket } from 'ws';
import { boot } from './boot.js';
import { openDatabase } from './db/database.js';
import { loadMigrations } from './db/migrate.js';
import { BootError } from './errors.js';
import { createLogger } from './logger.js';
import { testConfig } from './test/make-test-context.js';

/** A logger whose JSON lines the test can read. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger('info', stream), lines };
}

const dataDir = () => mkdtempSync(join(tmpdir(), 'callbox-boot-'));

test('boot: a fresh appliance migrates, serves, prints a working setup link and stops cleanly', async (t) => {
  const { log, lines } = capture();
  const config = testConfig(dataDir());
  const app = await boot(config, log);
  const health = (await (await fetch(`${app.url}/healthz`)).json()) as { database: { schemaVersion: number } };
  t.is(health.database.schemaVersion, (await loadMigrations()).at(-1)!.version);
  const setup = lines.find((l) => typeof l.setupUrl === 'string');
  t.truthy(setup, 'the setup link is in the log');
  const link = new URL(setup!.setupUrl as string);
  const page = await fetch(`${app.url}${link.pathname}`);
  t.is(page.status, 200);
  t.regex(await page.text(), /Create the first admin/);
  t.truthy(lines.find((l) => l.msg === 'callbox ready'));
  t.truthy(lines.find((l) => l.msg === 'acd started'), 'the queues run from boot');
  // The browser phones' SIP WebSocket proxy is on the same origin: without a session its upgrade is refused.
  const sip = await new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(`${app.url.replace(/^http/, 'ws')}/sip`, 'sip', { headers: { origin: app.url } });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => reject(new Error('opened without a session')));
  });
  t.is(sip, 401);
  t.false(JSON.stringify(lines).includes(config.session.secret), 'no secret in the log');
  t.false(JSON.stringify(lines).includes(config.esl.password), 'no event-socket password in the log');
  await app.stop();
  await t.throwsAsync(fetch(`${app.url}/healthz`));
});

test('boot: a database written by a newer Callbox stops boot and is left as it was', async (t) => {
  const dir = dataDir();
  const db = openDatabase(join(dir, 'callbox.sqlite'));
  db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, checksum TEXT, applied_at TEXT); INSERT INTO schema_migrations VALUES (42, '0042_future', 'x', 'now');");
  db.close();
  const e = await t.throwsAsync(boot(testConfig(dir), capture().log), { instanceOf: BootError });
  t.regex(e!.message, /schema is at version 42/);
  const after = openDatabase(join(dir, 'callbox.sqlite'));
  t.is((after.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number }).v, 42);
  after.close();
});

test('boot: a corrupt database file stops boot with a clear message', async (t) => {
  const dir = dataDir();
  writeFileSync(join(dir, 'callbox.sqlite'), Buffer.alloc(8192, 7));
  await t.throwsAsync(boot(testConfig(dir), capture().log), { instanceOf: BootError, message: /not a valid SQLite database/ });
});

test('boot: an unusable data directory stops boot naming it', async (t) => {
  const file = join(dataDir(), 'not-a-dir');
  writeFileSync(file, '');
  await t.throwsAsync(boot(testConfig(file), capture().log), { instanceOf: BootError, message: /data directory .*not-a-dir is not writable/ });
});

test('boot: a port in use stops boot saying so, and the database is closed again', async (t) => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  t.teardown(() => blocker.close());
  const port = (blocker.address() as AddressInfo).port;
  const dir = dataDir();
  const e = await t.throwsAsync(boot(testConfig(dir, { http: { host: '127.0.0.1', port } }), capture().log), { instanceOf: BootError });
  t.regex(e!.message, new RegExp(`cannot listen on 127.0.0.1:${port}: the port is in use`));
  // The failed boot released the database: a second boot on a free port works.
  const app = await boot(testConfig(dir), capture().log);
  await app.stop();
  t.pass();
});

test('boot: a broken TLS setting stops boot naming it', async (t) => {
  const cfg = testConfig(dataDir(), { http: { host: '127.0.0.1', port: 0, tls: { certFile: '/nonexistent.pem', keyFile: '/nonexistent.key' } } });
  await t.throwsAsync(boot(cfg, capture().log), { instanceOf: BootError, message: /TLS certificate or key \(http\.tls\)/ });
});

test('boot: with a certificate it serves HTTPS and marks the session cookie Secure', async (t) => {
  const dir = dataDir();
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  if (made.status !== 0) return t.fail('openssl is needed for this test (install.sh uses it too)');
  const app = await boot(testConfig(dir, { http: { host: '127.0.0.1', port: 0, tls: { certFile: cert, keyFile: key } } }), capture().log);
  t.teardown(() => app.stop());
  t.true(app.url.startsWith('https://'));
  const res = await new Promise<{ status: number; cookie: string; hsts: string }>((resolve, reject) => {
    httpsGet(`${app.url}/login`, { rejectUnauthorized: false }, (r) => {
      r.resume();
      resolve({ status: r.statusCode!, cookie: String(r.headers['set-cookie']), hsts: String(r.headers['strict-transport-security']) });
    }).on('error', reject);
  });
  t.is(res.status, 200);
  t.regex(res.cookie, /Secure/);
  t.regex(res.hsts, /max-age=/);
});
