import anyTest, { type TestFn } from 'ava';
import { ConflictError, ValidationError } from '../../errors.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';

const test = anyTest as TestFn<TestContext>;
test.beforeEach(async (t) => {
  t.context = await makeTestContext();
});
test.afterEach.always((t) => t.context.close());

test('break reasons: the system reason first, then by name; added, renamed, disabled and enabled, deleted', (t) => {
  const { breakReasons: svc, audit } = t.context;
  t.deepEqual(svc.list().map((r) => [r.name, r.isSystem, r.isEnabled]), [['Missed call', true, true], ['Break', false, true], ['Lunch', false, true], ['Meeting', false, true], ['Training', false, true]]);
  const coaching = svc.create({ name: ' Coaching ' }, testActor);
  t.is(coaching.name, 'Coaching');
  t.throws(() => svc.create({ name: 'lunch' }, testActor), { instanceOf: ValidationError });
  t.throws(() => svc.create({ name: '' }, testActor), { instanceOf: ValidationError });
  t.throws(() => svc.create({ name: 'x'.repeat(61) }, testActor), { instanceOf: ValidationError });
  const lunch = svc.list().find((r) => r.name === 'Lunch')!;
  t.throws(() => svc.rename(lunch.id, { name: 'Coaching' }, testActor), { instanceOf: ValidationError });
  t.is(svc.rename(lunch.id, { name: 'Lunch break' }, testActor).name, 'Lunch break');
  svc.setEnabled(coaching.id, false, testActor);
  t.deepEqual(svc.enabled(), ['Missed call', 'Break', 'Lunch break', 'Meeting', 'Training']);
  svc.setEnabled(coaching.id, false, testActor);
  svc.setEnabled(coaching.id, true, testActor);
  t.true(svc.enabled().includes('Coaching'));
  svc.delete(coaching.id, testActor);
  t.false(svc.list().some((r) => r.name === 'Coaching'));
  t.deepEqual(audit.list({}).items.filter((e) => e.entityType === 'break_reason').map((e) => e.action).reverse(), ['break_reason.created', 'break_reason.renamed', 'break_reason.disabled', 'break_reason.enabled', 'break_reason.deleted']);
});

test('break reasons: "Missed call" cannot be renamed, disabled or deleted', (t) => {
  const { breakReasons: svc } = t.context;
  const missed = svc.list()[0]!;
  const message = /Missed call is the system's own break reason .* it cannot be/;
  t.throws(() => svc.rename(missed.id, { name: 'Missed' }, testActor), { instanceOf: ConflictError, message });
  t.throws(() => svc.setEnabled(missed.id, false, testActor), { instanceOf: ConflictError, message });
  t.throws(() => svc.delete(missed.id, testActor), { instanceOf: ConflictError, message });
  t.like(svc.get(missed.id), { name: 'Missed call', isEnabled: true, isSystem: true });
  t.is(t.context.audit.list({}).items.filter((e) => e.entityType === 'break_reason').length, 0);
});
