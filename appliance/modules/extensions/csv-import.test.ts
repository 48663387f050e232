import anyTest, { type TestFn } from 'ava';
import { ImportRejected } from '../../csv.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';

const test = anyTest as TestFn<TestContext>;
test.beforeEach(async (t) => {
  t.context = await makeTestContext();
});
test.afterEach.always((t) => t.context.close());

test('csv: extensions import all at once with a password each, and export without passwords', (t) => {
  const created = t.context.extensions.importCsv('number,name,dnd,enabled,class\n1001,Reception,no,yes,local\n1002,"Sales, North",yes,,\n1003,Spare,,no,international\n', testActor);
  t.is(created.length, 3);
  for (const c of created) t.regex(c.sipPassword, /^[A-Za-z2-9]{20}$/);
  t.true(t.context.extensions.get(created[1]!.extension.id).dnd);
  t.false(t.context.extensions.get(created[2]!.extension.id).isEnabled);
  const csv = t.context.extensions.exportCsv();
  t.is(csv, 'number,name,dnd,enabled,class\n1001,Reception,no,yes,local\n1002,"Sales, North",yes,yes,national\n1003,Spare,no,no,international\n');
  t.is(t.context.audit.list({ action: 'extension.imported' }).total, 1);
});

test('csv: one bad row imports nothing, and every problem is reported by line', (t) => {
  t.context.extensions.create({ number: '1001', displayName: 'Existing', isEnabled: 'on' }, testActor);
  const e = t.throws(() => t.context.extensions.importCsv('number,name,dnd,class\n1002,Good,no,\n1001,Clash,no,\n12x,Bad number,no,\n1003,,maybe,\n1002,Twice,no,\n1004,Far,no,galactic\n', testActor), { instanceOf: ImportRejected });
  t.deepEqual(e!.problems, [
    { line: 3, message: 'number: extension 1001 already exists' },
    { line: 4, message: 'number: Use 2 to 6 digits, not starting with 0.' },
    { line: 5, message: 'dnd: use yes or no' },
    { line: 5, message: 'name: Enter a name.' },
    { line: 6, message: 'number: 1002 is also on line 2' },
    { line: 7, message: 'class: Choose what this extension may call.' },
  ]);
  t.is(t.context.extensions.list({}).total, 1, 'not even the good row');
});

test('csv: files that are not the expected CSV are refused whole', (t) => {
  const cases: [string, RegExp][] = [
    ['', /the file is empty/],
    ['number,name\n', /no rows after the header/],
    ['number,nmae\n1001,x\n', /column "name" is missing/],
    ['number,name,colour\n1001,x,red\n', /unknown column "colour"/],
    ['number,name\n1001,"unclosed\n', /not valid CSV/],
    ['number,name\n1001,a,b\n', /not valid CSV/],
  ];
  for (const [text, message] of cases) {
    const e = t.throws(() => t.context.extensions.importCsv(text, testActor), { instanceOf: ImportRejected }, JSON.stringify(text));
    t.regex(e!.problems.map((p) => p.message).join('; '), message);
  }
});

test('csv: numbers import by trunk name and extension number, all or nothing', (t) => {
  t.context.extensions.create({ number: '1001', displayName: 'Reception', isEnabled: 'on' }, testActor);
  t.context.trunks.create({ name: 'Carrier A', authMode: 'ip', host: '203.0.113.10', port: '5060', transport: 'udp', allowedCidrs: '203.0.113.10', codecs: 'PCMU', dtmfMode: 'rfc2833', maxCalls: '5', isEnabled: 'on' }, testActor);
  const bad = t.throws(() => t.context.numbers.importCsv('number,trunk,destination\n+4930123456,Carrier A,1001\n+4930999999,Carrier Z,1001\n+49301111,Carrier A,7777\nabc,Carrier A,hangup\n', testActor), { instanceOf: ImportRejected });
  t.deepEqual(bad!.problems.map((p) => p.line), [3, 4, 5]);
  t.is(t.context.numbers.list().length, 0);
  t.is(t.context.numbers.importCsv('number,trunk,destination,inbound\n+4930123456,Carrier A,1001,yes\n+4930123457,Carrier A,hangup,no\n', testActor), 2);
  t.is(t.context.numbers.exportCsv(), 'number,trunk,destination,inbound,caller_id,recording_policy,survey,timezone,hours,holidays,after_hours\n+4930123456,Carrier A,1001,yes,yes,,no,,,,hangup\n+4930123457,Carrier A,hangup,no,yes,,no,,,,hangup\n');
});
