import anyTest, { type TestFn } from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, ValidationError } from '../../errors.js';
import { projectRoot } from '../../paths.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';
import { patternToRegex } from './routes.types.js';

const test = anyTest as TestFn<TestContext>;
// Tests may read the environment: UPDATE_GOLDEN=1 rewrites the golden files.
const updateGolden = process.env.UPDATE_GOLDEN === '1';

async function setup(t: { context: TestContext }) {
  const c = t.context;
  c.extensions.create({ number: '1001', displayName: 'Reception', isEnabled: 'on', callClass: 'national' }, testActor);
  const a = c.trunks.create({ name: 'Carrier A', authMode: 'ip', host: '203.0.113.10', port: '5060', transport: 'udp', allowedCidrs: '203.0.113.10', codecs: 'PCMU', dtmfMode: 'rfc2833', maxCalls: '5', isEnabled: 'on' }, testActor);
  const b = c.trunks.create({ name: 'Carrier B', authMode: 'ip', host: '198.51.100.7', port: '5060', transport: 'udp', allowedCidrs: '198.51.100.7', codecs: 'PCMA', dtmfMode: 'rfc2833', maxCalls: '5', isEnabled: 'on' }, testActor);
  const n = c.numbers.create({ number: '+4930123456', trunkId: String(a.id), isInbound: 'on', destinationKind: 'hangup', isCallerId: 'on' }, testActor);
  return { a, b, n };
}
test.beforeEach(async (t) => {
  t.context = await makeTestContext();
});
test.afterEach.always((t) => t.context.close());

test('routes: dial patterns become anchored regexes of checked characters', (t) => {
  t.is(patternToRegex('0Z.'), '^0[1-9][0-9]+$');
  t.is(patternToRegex('+49NXX'), '^\\+49[2-9][0-9][0-9]$');
  t.true(new RegExp(patternToRegex('00Z.')).test('0044207946000'));
  t.false(new RegExp(patternToRegex('0Z.')).test('0044207946000'));
});

test('routes: a national route with failover and caller ID, emergency numbers, premium and class guards in the dialplan', async (t) => {
  const { a, b, n } = await setup(t);
  t.context.routes.create({ name: 'National', position: '1', pattern: '0Z.', strip: '1', prepend: '+49', callClass: 'national', trunkIds: [String(a.id), String(b.id)], callerIdNumberId: String(n.id), isEnabled: 'on' }, testActor);
  t.context.routes.create({ name: 'International', position: '2', pattern: '00Z.', strip: '0', prepend: '', callClass: 'international', trunkIds: String(a.id), callerIdNumberId: String(n.id), isEnabled: 'on' }, testActor);
  const r = await t.context.publisher.publish('test', 'test');
  t.is(r.status, 'applied', r.error ?? '');
  const conf = t.context.config.freeswitch.confDir;
  const plan = readFileSync(join(conf, 'dialplan', 'internal.xml'), 'utf8');
  const golden = join(projectRoot, 'appliance', 'confgen', '__golden__', 'with-routes__dialplan__internal.xml');
  if (updateGolden) writeFileSync(golden, plan);
  t.is(plan, readFileSync(golden, 'utf8'));
  t.regex(plan, /bridge" data="sofia\/gateway\/trunk_1\/\+49\$\{destination_number:1\}\|sofia\/gateway\/trunk_2\/\+49\$\{destination_number:1\}"/);
  t.regex(plan, /<extension name="route_2">[\s\S]*?transfer" data="international XML callbox_blocked"/, 'international is blocked by the default policy');
  t.regex(plan, /<extension name="emergency">/);
  t.regex(plan, /<extension name="premium">/);
  t.regex(readFileSync(join(conf, 'directory', 'default.xml'), 'utf8'), /callbox_call_class" value="national"/);
  t.context.routes.setPolicy({ allowInternational: 'on', premiumPrefixes: '0900', emergencyNumbers: '112 911', extensionConcurrent: '3', extensionPerHour: '20', globalConcurrent: '8', globalPerHour: '100' }, testActor);
  await t.context.publisher.publish('test', 'test');
  const allowed = readFileSync(join(conf, 'dialplan', 'internal.xml'), 'utf8');
  t.notRegex(allowed, /international XML callbox_blocked/);
  // The policy's per-extension limit is every extension's unless it has its own (the directory carries it).
  t.regex(allowed, /limit" data="hash callbox_out ext_\$\{callbox_extension\} \$\{callbox_out_concurrent\} limit XML callbox_blocked"/);
  t.regex(allowed, /set" data="callbox_out_concurrent=3" inline="true"/);
  t.regex(allowed, /<condition field="destination_number" expression="\^\(112\|911\)\$">/);
});

test('routes: bad routes and policies are refused by field and change nothing', async (t) => {
  const { a } = await setup(t);
  const e = t.throws(() => t.context.routes.create({ name: 'x', position: '1', pattern: '0[1-9].*', strip: '20', prepend: 'abc', callClass: 'galactic', trunkIds: [], callerIdNumberId: '' }, testActor), { instanceOf: ValidationError });
  t.deepEqual(Object.keys(e!.fields).sort(), ['callClass', 'callerIdNumberId', 'pattern', 'prepend', 'strip', 'trunkIds']);
  const unknown = t.throws(() => t.context.routes.create({ name: 'x', position: '1', pattern: '0Z.', strip: '5', prepend: '', callClass: 'national', trunkIds: ['99'], callerIdNumberId: '77' }, testActor), { instanceOf: ValidationError });
  t.deepEqual(Object.keys(unknown!.fields).sort(), ['callerIdNumberId', 'strip', 'trunkIds']);
  t.is(t.context.routes.list().length, 0);
  const p = t.throws(() => t.context.routes.setPolicy({ premiumPrefixes: '0900 x9', emergencyNumbers: '1;2', extensionConcurrent: '0', extensionPerHour: '1', globalConcurrent: '1', globalPerHour: '1' }, testActor), { instanceOf: ValidationError });
  t.deepEqual(Object.keys(p!.fields).sort(), ['emergencyNumbers', 'extensionConcurrent', 'premiumPrefixes']);
  t.false(t.context.routes.policy().allowInternational);
  t.truthy(a);
});

test('routes: trunks and numbers a route uses cannot be deleted', async (t) => {
  const { a, n } = await setup(t);
  t.context.routes.create({ name: 'National', position: '1', pattern: '0Z.', strip: '1', prepend: '+49', callClass: 'national', trunkIds: String(a.id), callerIdNumberId: String(n.id), isEnabled: 'on' }, testActor);
  t.throws(() => t.context.trunks.delete(a.id, testActor), { instanceOf: ConflictError, message: /number \+4930123456, outbound route National use it/ });
  t.throws(() => t.context.numbers.delete(n.id, testActor), { instanceOf: ConflictError, message: /outbound route National shows it as caller ID/ });
});

test('routes: calls the switch refused are kept with the reason, from the hangup event', async (t) => {
  await setup(t);
  const base = { uuid: 'u', callUuid: null, direction: 'inbound' as const, channelName: 'sofia/internal/1001@x', callerNumber: '1001', callerName: '', destination: 'class', context: 'callbox_blocked', otherUuid: null, loopbackUuid: null, at: t.context.clock.now(), cause: 'CALL_REJECTED', causeQ850: 21, disposition: 'send_refuse', createdAt: null, answeredAt: null, hungupAt: null, billsec: 0, duration: 0, media: null };
  t.context.sw.emit('channel.hungup', { ...base, vars: { blocked_reason: 'premium', dialed: '09001234567', extension: '1001' } });
  t.context.sw.emit('channel.hungup', { ...base, vars: {} });
  const blocked = t.context.routes.recentBlocked();
  t.is(blocked.length, 1);
  t.like(blocked[0], { extension: '1001', dialed: '09001234567', reason: 'premium', why: 'premium-rate numbers are blocked' });
});
