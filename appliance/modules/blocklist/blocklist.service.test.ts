import anyTest, { type TestFn } from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, ValidationError } from '../../errors.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';
import { patternRegex } from './blocklist.service.js';

const test = anyTest as TestFn<TestContext>;
test.beforeEach(async (t) => {
  t.context = await makeTestContext();
});
test.afterEach.always((t) => t.context.close());

test('blocklist: patterns become anchored regular expressions built from digits only', (t) => {
  t.is(patternRegex('+4930123456'), '^\\+?4930123456$');
  t.is(patternRegex('+4930*'), '^\\+?4930');
  t.is(patternRegex('anonymous'), '^(anonymous|unknown|0000000000)?$');
  for (const [input, re] of [['+4930123456', /^4930123456$/], ['4930*', /^4930555$/], ['anonymous', /^$/]] as const) {
    t.true(new RegExp(patternRegex(input)).test(re.source.slice(1, -1)), input);
  }
});

test('blocklist: entries are checked, audited and published before numbers', async (t) => {
  const ext = t.context.extensions.create({ number: '1001', displayName: 'Screening', isEnabled: 'on' }, testActor).extension;
  t.context.blocklist.add({ pattern: '+4930*', action: 'reject', note: 'robocalls' }, testActor);
  t.context.blocklist.add({ pattern: 'Anonymous', action: 'extension', destinationExtensionId: String(ext.id) }, testActor);
  for (const bad of [{ pattern: '+49 30', action: 'reject' }, { pattern: '.*', action: 'reject' }, { pattern: '123', action: 'extension' }, { pattern: '+4930*', action: 'reject' }]) {
    t.throws(() => t.context.blocklist.add(bad, testActor), { instanceOf: ValidationError }, JSON.stringify(bad));
  }
  t.deepEqual(t.context.blocklist.list().map((b) => b.pattern), ['+4930*', 'anonymous']);
  t.throws(() => t.context.extensions.delete(ext.id, testActor), { instanceOf: ConflictError, message: /blocked callers anonymous/ });
  await t.context.publisher.publish('test', 'test');
  const plan = readFileSync(join(t.context.config.freeswitch.confDir, 'dialplan', 'public.xml'), 'utf8');
  t.regex(plan, /<extension name="blocked_1">\s+<condition field="caller_id_number" expression="\^\\\+\?4930">\s+<action application="set" data="callbox_blocked=1"\/>\s+<action application="respond" data="603"\/>/);
  t.regex(plan, /<extension name="blocked_2">[\s\S]*transfer" data="1001 XML internal"/);
  t.is(t.context.audit.list({ action: 'blocklist.added' }).total, 2);
  t.context.blocklist.remove(t.context.blocklist.list()[0]!.id, testActor);
  t.is(t.context.blocklist.list().length, 1);
});
