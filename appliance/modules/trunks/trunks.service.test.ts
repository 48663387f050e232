import anyTest, { type TestFn } from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../db/database.js';
import { loadMigrations, migrate } from '../../db/migrate.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { silentLogger } from '../../logger.js';
import { projectRoot } from '../../paths.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';

const test = anyTest as TestFn<TestContext>;
test.beforeEach(async (t) => {
  t.context = await makeTestContext();
});
test.afterEach.always((t) => t.context.close());

const ipTrunk = { name: 'Carrier A', authMode: 'ip', host: 'sip.carrier-a.example', port: '5060', transport: 'udp', allowedCidrs: '203.0.113.10 198.51.100.0/24', codecs: ['PCMU', 'PCMA'], dtmfMode: 'rfc2833', maxCalls: '10', isEnabled: 'on' };
const regTrunk = { name: 'Carrier B', authMode: 'registration', host: 'sip.carrier-b.example', port: '5060', transport: 'tcp', username: 'acct123', password: 's3cret-pass', codecs: 'G722', dtmfMode: 'info', maxCalls: '4', isEnabled: 'on' };
const goldenDir = join(projectRoot, 'appliance', 'confgen', '__golden__');
// Tests may read the environment: UPDATE_GOLDEN=1 rewrites the golden files.
const updateGolden = process.env.UPDATE_GOLDEN === '1';

test('trunks and numbers: a carrier, a number to an extension, and the generated gateways, ACLs and dialplan', async (t) => {
  const ext = t.context.extensions.create({ number: '1001', displayName: 'Reception', isEnabled: 'on' }, testActor).extension;
  const a = t.context.trunks.create(ipTrunk, testActor);
  const b = t.context.trunks.create(regTrunk, testActor);
  t.deepEqual(a.allowedCidrs, ['203.0.113.10', '198.51.100.0/24']);
  t.true(b.hasPassword);
  t.context.numbers.create({ number: '+4930123456', trunkId: String(a.id), isInbound: 'on', destinationKind: 'extension', destinationExtensionId: String(ext.id) }, testActor);
  t.context.numbers.create({ number: '0301112222', trunkId: String(b.id), isInbound: 'on', destinationKind: 'hangup' }, testActor);
  const r = await t.context.publisher.publish('test', 'test');
  t.is(r.status, 'applied', r.error ?? '');
  const [secretA, secretB] = t.context.trunks.forConfig().map((x) => x.contactSecret!);
  t.regex(secretB!, /^[0-9a-f]{32}$/);
  t.not(secretA, secretB, 'each trunk has its own contact secret');
  const conf = t.context.config.freeswitch.confDir;
  for (const path of ['sip_profiles/external/gateways.xml', 'dialplan/public.xml', 'dialplan/carrier_check.xml', 'autoload_configs/acl.conf.xml']) {
    // The secret is random: the golden files hold a stand-in for it.
    const text = readFileSync(join(conf, path), 'utf8').replaceAll(secretB!, 'CONTACT-SECRET-B');
    const golden = join(goldenDir, `with-trunks__${path.replaceAll('/', '__')}`);
    if (updateGolden) writeFileSync(golden, text);
    t.is(text, readFileSync(golden, 'utf8'), path);
  }
  const gateways = readFileSync(join(conf, 'sip_profiles/external/gateways.xml'), 'utf8');
  t.regex(gateways, /<gateway name="trunk_1">[\s\S]*name="register" value="false"/);
  t.regex(gateways, /<gateway name="trunk_2">[\s\S]*name="password" value="s3cret-pass"/);
  t.regex(gateways, new RegExp(`<gateway name="trunk_2">[\\s\\S]*name="contact-params" value="callbox-secret=${secretB}"`));
  t.notRegex(gateways, new RegExp(secretA!), 'an IP trunk registers no contact');
  t.notRegex(gateways, /Carrier A/, 'names people typed never reach FreeSWITCH');
});

test('trunks: the migration that brought contact secrets gives every existing trunk its own', async (t) => {
  const db = openDatabase(':memory:');
  const migrations = await loadMigrations();
  const opts = { backupDir: null, clock: t.context.clock, log: silentLogger() };
  await migrate(db, { ...opts, migrations: migrations.filter((m) => m.version < 10) });
  const insert = db.prepare(`INSERT INTO trunks (name, auth_mode, host, port, transport, username, password, max_calls, created_at, updated_at)
    VALUES (?, 'registration', 'sip.carrier.example', 5060, 'udp', 'acct', 'pw', 2, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`);
  insert.run('one');
  insert.run('two');
  await migrate(db, { ...opts, migrations });
  const secrets = db.prepare('SELECT contact_secret FROM trunks ORDER BY id').pluck().all() as string[];
  db.close();
  t.is(secrets.length, 2);
  for (const s of secrets) t.regex(s, /^[0-9a-f]{32}$/);
  t.not(secrets[0], secrets[1]);
});

test('trunks: each kind needs its own fields; bad hosts, addresses and limits are refused by field', (t) => {
  const ip = t.throws(() => t.context.trunks.create({ ...ipTrunk, allowedCidrs: '' }, testActor), { instanceOf: ValidationError });
  t.truthy(ip!.fields.allowedCidrs);
  const reg = t.throws(() => t.context.trunks.create({ ...regTrunk, username: '' }, testActor), { instanceOf: ValidationError });
  t.truthy(reg!.fields.username);
  const noPass = t.throws(() => t.context.trunks.create({ ...regTrunk, password: '' }, testActor), { instanceOf: ValidationError });
  t.truthy(noPass!.fields.password);
  const bad = t.throws(() => t.context.trunks.create({ ...ipTrunk, host: 'bad host;', allowedCidrs: '10.0.0.0/33 nope', port: '99999', maxCalls: '0', codecs: [] }, testActor), { instanceOf: ValidationError });
  t.deepEqual(Object.keys(bad!.fields).sort(), ['allowedCidrs', 'codecs', 'host', 'maxCalls', 'port']);
  const inject = t.throws(() => t.context.trunks.create({ ...regTrunk, username: 'a"><x', password: 'p" onload="' }, testActor), { instanceOf: ValidationError });
  t.truthy(inject!.fields.username);
  t.truthy(inject!.fields.password);
  t.is(t.context.trunks.list().length, 0);
});

test('trunks: a blank password on edit keeps the stored one', (t) => {
  const b = t.context.trunks.create(regTrunk, testActor);
  t.context.trunks.update(b.id, { ...regTrunk, password: '', maxCalls: '8' }, testActor);
  const cfg = t.context.trunks.forConfig()[0]!;
  t.is(cfg.password, 's3cret-pass');
  t.is(cfg.maxCalls, 8);
});

test('trunks and extensions in use cannot be deleted or disabled; the refusal names the user', (t) => {
  const ext = t.context.extensions.create({ number: '1001', displayName: 'Reception', isEnabled: 'on' }, testActor).extension;
  const a = t.context.trunks.create(ipTrunk, testActor);
  t.context.numbers.create({ number: '+4930123456', trunkId: String(a.id), isInbound: 'on', destinationKind: 'extension', destinationExtensionId: String(ext.id) }, testActor);
  const del = t.throws(() => t.context.trunks.delete(a.id, testActor), { instanceOf: ConflictError });
  t.regex(del!.message, /number \+4930123456 uses it/);
  t.throws(() => t.context.trunks.update(a.id, { ...ipTrunk, isEnabled: undefined }, testActor), { instanceOf: ConflictError });
  const delExt = t.throws(() => t.context.extensions.delete(ext.id, testActor), { instanceOf: ConflictError });
  t.regex(delExt!.message, /number \+4930123456 sends calls to it/);
  t.throws(() => t.context.extensions.update(ext.id, { number: '1001', displayName: 'Reception' }, testActor), { instanceOf: ConflictError, message: /cannot be disabled/ });
  t.true(t.context.extensions.get(ext.id).isEnabled);
  t.is(t.context.trunks.list().length, 1);
});

test('numbers: format, trunk and destination are checked; duplicates refused', (t) => {
  const a = t.context.trunks.create(ipTrunk, testActor);
  const bad = t.throws(() => t.context.numbers.create({ number: '+49 30 123', trunkId: '99', isInbound: 'on', destinationKind: 'extension' }, testActor), { instanceOf: ValidationError });
  t.truthy(bad!.fields.number);
  t.truthy(bad!.fields.destinationExtensionId);
  const missing = t.throws(() => t.context.numbers.create({ number: '+4930123456', trunkId: '99', isInbound: 'on', destinationKind: 'extension', destinationExtensionId: '42' }, testActor), { instanceOf: ValidationError });
  t.deepEqual(Object.keys(missing!.fields).sort(), ['destinationExtensionId', 'trunkId']);
  t.context.numbers.create({ number: '+4930123456', trunkId: String(a.id), isInbound: 'on', destinationKind: 'hangup' }, testActor);
  t.throws(() => t.context.numbers.create({ number: '+4930123456', trunkId: String(a.id), isInbound: 'on', destinationKind: 'hangup' }, testActor), { code: 'number.taken' });
});

test('trunks: live status and a ping history come from gateway events', (t) => {
  const a = t.context.trunks.create(ipTrunk, testActor);
  const at = t.context.clock.now();
  t.context.sw.emit('gateway.state', { gateway: `trunk_${a.id}`, state: 'NOREG', pingStatus: 'UP', status: null, phrase: null, at });
  t.context.sw.emit('gateway.state', { gateway: `trunk_${a.id}`, state: 'NOREG', pingStatus: 'DOWN', status: 408, phrase: 'Request Timeout', at: at + 30_000 });
  const live = t.context.trunks.get(a.id).live!;
  t.is(live.pingStatus, 'DOWN');
  t.deepEqual(live.history.map((h) => h.status), ['UP', 'DOWN']);
  t.is(live.lastFailure, '408 Request Timeout');
});
