import anyTest, { type TestFn } from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError, ValidationError } from '../../errors.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';
import { generateSipPassword } from './extensions.service.js';

const test = anyTest as TestFn<TestContext>;
test.beforeEach(async (t) => {
  t.context = await makeTestContext();
});
test.afterEach.always((t) => t.context.close());

const ann = { number: '1001', displayName: 'Ann', isEnabled: 'on' };

test('extensions: a new extension gets a strong SIP password once, is audited, and reaches the directory', async (t) => {
  const { extension, sipPassword } = t.context.extensions.create(ann, testActor);
  t.is(extension.number, '1001');
  t.true(extension.isEnabled);
  t.false(extension.dnd);
  t.regex(sipPassword, /^[A-Za-z2-9]{20}$/);
  t.is(t.context.audit.list({ action: 'extension.created' }).total, 1);
  t.false(JSON.stringify(t.context.audit.list({}).items).includes(sipPassword), 'the password is not in the audit log');
  const r = await t.context.publisher.publish('test', 'test');
  t.is(r.status, 'applied');
  const dir = readFileSync(join(t.context.config.freeswitch.confDir, 'directory', 'default.xml'), 'utf8');
  t.regex(dir, /<user id="1001">/);
  t.true(dir.includes(`value="${sipPassword}"`));
});

test('extensions: every change asks for a publish (debounced into one)', async (t) => {
  const { extension } = t.context.extensions.create(ann, testActor);
  t.context.extensions.update(extension.id, { ...ann, displayName: 'Ann B' }, testActor);
  await new Promise((r) => setTimeout(r, 800));
  const revisions = t.context.publisher.revisions(1);
  t.is(revisions.total, 1);
  t.regex(revisions.items[0]!.reason, /extension 1001 created, extension 1001 updated/);
});

test('extensions: bad input is refused field by field and changes nothing', (t) => {
  const e = t.throws(() => t.context.extensions.create({ number: '0123', displayName: 'Eve "<sip:x>"' }, testActor), { instanceOf: ValidationError });
  t.truthy(e!.fields.number);
  t.truthy(e!.fields.displayName);
  for (const number of ['1', '1234567', '12a', '1001; rm', '']) t.throws(() => t.context.extensions.create({ ...ann, number }, testActor), { instanceOf: ValidationError }, number);
  t.is(t.context.extensions.list({}).total, 0);
});

test('extensions: numbers are unique, on create and on renumbering', (t) => {
  t.context.extensions.create(ann, testActor);
  const bob = t.context.extensions.create({ ...ann, number: '1002', displayName: 'Bob' }, testActor).extension;
  t.throws(() => t.context.extensions.create(ann, testActor), { code: 'extension.number_taken' });
  t.throws(() => t.context.extensions.update(bob.id, { ...ann, displayName: 'Bob' }, testActor), { code: 'extension.number_taken' });
  t.is(t.context.extensions.get(bob.id).number, '1002');
});

test('extensions: a password reset changes the password and only shows it once', (t) => {
  const { extension, sipPassword } = t.context.extensions.create(ann, testActor);
  const reset = t.context.extensions.resetPassword(extension.id, testActor);
  t.not(reset.sipPassword, sipPassword);
  t.is(t.context.extensions.forConfig()[0]!.sipPassword, reset.sipPassword);
});

test('extensions: disabled ones leave the directory; deleting removes them; unknown ids are not found', async (t) => {
  const { extension } = t.context.extensions.create(ann, testActor);
  t.context.extensions.update(extension.id, { number: '1001', displayName: 'Ann' }, testActor);
  t.false(t.context.extensions.get(extension.id).isEnabled, 'an unchecked box means disabled');
  await t.context.publisher.publish('test', 'test');
  t.notRegex(readFileSync(join(t.context.config.freeswitch.confDir, 'directory', 'default.xml'), 'utf8'), /1001/);
  t.context.extensions.delete(extension.id, testActor);
  t.throws(() => t.context.extensions.get(extension.id), { instanceOf: NotFoundError });
});

test('extensions: registered phones show on their extension, from events and from the switch list', (t) => {
  const { extension } = t.context.extensions.create(ann, testActor);
  const base = { profile: 'internal', user: '1001', domain: 'x', contact: '"" <sip:1001@192.0.2.7:5070>', callId: 'c1', networkIp: '192.0.2.7', networkPort: 5070, userAgent: 'Yealink T54W', status: 'Registered(UDP)', at: t.context.clock.now() };
  t.context.sw.emit('registration.registered', { ...base, expires: 3600 });
  const devices = t.context.extensions.get(extension.id).devices;
  t.is(devices.length, 1);
  t.is(devices[0]!.userAgent, 'Yealink T54W');
  t.is(devices[0]!.address, '192.0.2.7:5070');
  t.context.clock.advance(3601 * 1000);
  t.is(t.context.extensions.get(extension.id).devices.length, 0, 'an expired registration is gone');
  t.context.sw.emit('registration.registered', { ...base, at: t.context.clock.now(), expires: 60 });
  t.context.sw.emit('registration.unregistered', { ...base, expires: 0 });
  t.is(t.context.extensions.get(extension.id).devices.length, 0);
});

test('extensions: generated SIP passwords are uniform over an unambiguous alphabet', (t) => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const p = generateSipPassword();
    t.regex(p, /^[a-km-zA-HJ-NP-Z2-9]{20}$/);
    seen.add(p);
  }
  t.is(seen.size, 200);
});

test('extensions: forwarding takes an extension or a phone number, never itself, and reaches the dialplan', async (t) => {
  const bad = t.throws(() => t.context.extensions.create({ ...ann, forwardAlways: '1001', forwardBusy: 'front desk', noAnswerSeconds: '500' }, testActor), { instanceOf: ValidationError });
  t.deepEqual(Object.keys(bad!.fields).sort(), ['forwardAlways', 'forwardBusy', 'noAnswerSeconds']);
  const { extension } = t.context.extensions.create({ ...ann, forwardBusy: '1002', forwardNoAnswer: '+4930123456', noAnswerSeconds: '15' }, testActor);
  t.like(t.context.extensions.get(extension.id), { forwardBusy: '1002', forwardNoAnswer: '+4930123456', forwardAlways: null, noAnswerSeconds: 15 });
  await t.context.publisher.publish('test', 'test');
  const plan = readFileSync(join(t.context.config.freeswitch.confDir, 'dialplan', 'internal.xml'), 'utf8');
  t.regex(plan, /call_timeout=15"/);
  t.regex(plan, /transfer" data="1001 XML callbox_forward"/);
  t.regex(plan, /<extension name="forward_1001_busy">[\s\S]*?expression="\^USER_BUSY\$">[\s\S]*?callbox_call_class=national"[\s\S]*?transfer" data="1002 XML internal"/);
  t.regex(plan, /<extension name="forward_1001_no_answer">[\s\S]*?transfer" data="\+4930123456 XML internal"/);
  t.regex(plan, /max_session_transfers=6/);
});
