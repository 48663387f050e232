import anyTest, { type TestFn } from 'ava';
import { ImportRejected } from '../../csv.js';
import { ValidationError } from '../../errors.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';

const test = anyTest as TestFn<TestContext>;
test.beforeEach(async (t) => {
  t.context = await makeTestContext();
});
test.afterEach.always((t) => t.context.close());

test('VIP callers: a caller\'s priority is found as sent, with or without +; everyone else waits with 0', (t) => {
  const { vipCallers: svc } = t.context;
  svc.create({ number: '+49 (30) 123-456', priority: '9', note: 'Key account' }, testActor);
  svc.create({ number: '030555', priority: '3' }, testActor);
  t.is(svc.priorityOf('+4930123456'), 9);
  t.is(svc.priorityOf('4930123456'), 9);
  t.is(svc.priorityOf('030555'), 3);
  t.is(svc.priorityOf('+030555'), 3);
  t.is(svc.priorityOf('+4930123457'), 0);
  t.is(svc.priorityOf('anonymous'), 0);
  t.is(svc.priorityOf(''), 0);
});

test('VIP callers: bad input gets field errors and changes nothing; one entry per number', (t) => {
  const { vipCallers: svc } = t.context;
  const v = svc.create({ number: '+4930123456', priority: '5' }, testActor);
  const e = t.throws(() => svc.create({ number: 'call me', priority: '10', note: 'x'.repeat(201) }, testActor), { instanceOf: ValidationError });
  t.deepEqual(Object.keys(e.fields).sort(), ['note', 'number', 'priority']);
  t.regex(t.throws(() => svc.create({ number: '4930123456', priority: '' }, testActor), { instanceOf: ValidationError }).fields.priority!, /1 to 9/);
  t.regex(t.throws(() => svc.create({ number: '4930123456', priority: '2' }, testActor), { instanceOf: ValidationError }).fields.number!, /\+4930123456 is already a VIP caller \(priority 5\)/);
  const other = svc.create({ number: '+4940111', priority: '1' }, testActor);
  t.throws(() => svc.update(other.id, { number: '+4930123456', priority: '1' }, testActor), { instanceOf: ValidationError });
  t.like(svc.update(v.id, { number: '+4930123456', priority: '8', note: 'Upgraded' }, testActor), { priority: 8, note: 'Upgraded' });
  t.is(svc.list({}).total, 2);
  t.deepEqual(svc.list({ q: 'upgr' }).items.map((x) => x.number), ['+4930123456']);
  t.deepEqual(svc.list({ priority: '1' }).items.map((x) => x.number), ['+4940111']);
  svc.delete(other.id, testActor);
  t.is(svc.priorityOf('+4940111'), 0);
  t.deepEqual(t.context.audit.list({}).items.filter((a) => a.entityType === 'vip_caller').map((a) => a.action).reverse(), ['vip_caller.created', 'vip_caller.created', 'vip_caller.updated', 'vip_caller.deleted']);
});

test('VIP callers: a CSV import takes every row or none, naming each problem by line; the export reads back', (t) => {
  const { vipCallers: svc } = t.context;
  svc.create({ number: '+4930123456', priority: '5' }, testActor);
  const e = t.throws(() => svc.importCsv('number,priority,note\n+4930999,7,ok\n4930123456,2,\n+4930999,3,\nabc,0,\n', testActor), { instanceOf: ImportRejected });
  t.deepEqual(e.problems, [
    { line: 3, message: 'number: 4930123456 is already a VIP caller' },
    { line: 4, message: 'number: +4930999 is also on line 2' },
    { line: 5, message: 'number: Enter the number as callers send it: digits, optionally after a + (e.g. +4930123456).' },
    { line: 5, message: 'priority: Choose a priority from 1 to 9.' },
  ]);
  t.is(svc.list({}).total, 1);
  t.is(svc.importCsv('number,priority\n+4930999,7\n0301111,1\n', testActor), 2);
  t.is(svc.exportCsv(), 'number,priority,note\n+4930123456,5,\n+4930999,7,\n0301111,1,\n');
  t.is(svc.priorityOf('4930999'), 7);
});
