import anyTest, { type TestFn } from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeClock } from '../../clock.js';
import { openDatabase } from '../../db/database.js';
import { loadMigrations, migrate } from '../../db/migrate.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { silentLogger } from '../../logger.js';
import { projectRoot } from '../../paths.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';

interface Ctx {
  c: TestContext;
  trunkId: string;
  ext: { a: string; b: string };
}
const test = anyTest as TestFn<Ctx>;
// Tests may read the environment: UPDATE_GOLDEN=1 rewrites the golden files.
const updateGolden = process.env.UPDATE_GOLDEN === '1';

test.beforeEach(async (t) => {
  const c = await makeTestContext();
  const a = c.extensions.create({ number: '1001', displayName: 'Reception', isEnabled: 'on' }, testActor).extension;
  const b = c.extensions.create({ number: '1002', displayName: 'Night desk', isEnabled: 'on' }, testActor).extension;
  const trunk = c.trunks.create({ name: 'Carrier A', authMode: 'ip', host: '203.0.113.10', port: '5060', transport: 'udp', allowedCidrs: '203.0.113.10', codecs: 'PCMU', dtmfMode: 'rfc2833', maxCalls: '5', isEnabled: 'on' }, testActor);
  t.context = { c, trunkId: String(trunk.id), ext: { a: String(a.id), b: String(b.id) } };
});
test.afterEach.always((t) => t.context.c.close());

/** A number as the form posts it: Mon–Fri 09:00–17:30 (lunch 12:00–13:00 on Friday), Saturday 10:00–13:00. */
const form = (t: { context: Ctx }, extra: Record<string, string> = {}) => ({
  number: '+4930123456',
  trunkId: t.context.trunkId,
  isInbound: 'on',
  destinationKind: 'extension',
  destinationExtensionId: t.context.ext.a,
  afterHoursKind: 'extension',
  afterHoursExtensionId: t.context.ext.b,
  isCallerId: 'on',
  timezone: 'Europe/Berlin',
  ...Object.fromEntries(['mon', 'tue', 'wed', 'thu'].flatMap((d) => [[`${d}_opens_1`, '09:00'], [`${d}_closes_1`, '17:30']])),
  fri_opens_1: '13:00',
  fri_closes_1: '17:30',
  fri_opens_2: '09:00',
  fri_closes_2: '12:00',
  sat_opens_1: '10:00',
  sat_closes_1: '13:00',
  holidays: '2026-12-25 Christmas Day\n2026-12-26',
  ...extra,
});
const fieldsOf = (e: ValidationError | undefined) => Object.keys(e!.fields).sort();

test('numbers: a schedule is stored and read back; the dialplan checks holidays, then hours, in the number\'s zone', async (t) => {
  const { c } = t.context;
  const n = c.numbers.create(form(t), testActor);
  t.is(n.schedule!.timezone, 'Europe/Berlin');
  t.deepEqual(n.schedule!.hours.filter((h) => h.day === 'fri'), [{ day: 'fri', opens: 540, closes: 720 }, { day: 'fri', opens: 780, closes: 1050 }]);
  t.deepEqual(n.schedule!.holidays, [{ date: '2026-12-25', label: 'Christmas Day' }, { date: '2026-12-26', label: '' }]);
  t.like(n, { afterHoursKind: 'extension', isCallerId: true, recordingPolicyId: null, hasSurvey: false });
  c.numbers.create({ number: '+4930999999', trunkId: t.context.trunkId, isInbound: 'on', destinationKind: 'hangup', timezone: 'America/New_York', hours: 'mon-sun 00:00-24:00', holidays: '2026-07-04' }, testActor);
  const r = await c.publisher.publish('test', 'test');
  t.is(r.status, 'applied', r.error ?? '');
  const conf = c.config.freeswitch.confDir;
  for (const path of ['dialplan/public.xml', 'autoload_configs/timezones.conf.xml']) {
    const text = readFileSync(join(conf, path), 'utf8');
    const golden = join(projectRoot, 'appliance', 'confgen', '__golden__', `with-schedules__${path.replaceAll('/', '__')}`);
    if (updateGolden) writeFileSync(golden, text);
    t.is(text, readFileSync(golden, 'utf8'), path);
  }
  const plan = readFileSync(join(conf, 'dialplan/public.xml'), 'utf8');
  t.regex(plan, /data="timezone=Europe\/Berlin"\/>\s+<action application="transfer" data="\$\{destination_number\} XML callbox_schedule"/);
  t.regex(plan, /<condition year="2026" mon="12" mday="25">/);
  t.regex(plan, /<condition wday="mon,tue,wed,thu" time-of-day="09:00:00-17:29:59">/);
  t.regex(plan, /<condition wday="fri" time-of-day="09:00:00-11:59:59,13:00:00-17:29:59">/);
  t.regex(plan, /<condition wday="mon,tue,wed,thu,fri,sat,sun" time-of-day="00:00:00-23:59:59">/, '24:00 closes at the last second of the day');
  t.regex(plan, /number_1_closed">[\s\S]*?transfer" data="1002 XML internal"/, 'after hours goes to the night desk');
  const zones = readFileSync(join(conf, 'autoload_configs/timezones.conf.xml'), 'utf8');
  t.regex(zones, /<zone name="America\/New_York" value="EST5EDT,M3\.2\.0,M11\.1\.0"\/>/);
  t.regex(zones, /<zone name="Europe\/Berlin" value="CET-1CEST,M3\.5\.0,M10\.5\.0\/3"\/>/);
});

test('numbers: without a schedule a number is always open and its after-hours destination is unused', (t) => {
  const n = t.context.c.numbers.create(form(t, { timezone: '', holidays: '', ...Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].flatMap((d) => [[`${d}_opens_1`, ''], [`${d}_closes_1`, ''], [`${d}_opens_2`, ''], [`${d}_closes_2`, '']])) }), testActor);
  t.is(n.schedule, null);
  t.like(t.context.c.numbers.openNow(n), { isOpen: true, why: 'no schedule' });
});

test('numbers: bad time ranges are refused on their weekday row and nothing is saved', (t) => {
  const { c } = t.context;
  const e = t.throws(() => c.numbers.create(form(t, { mon_opens_1: '17:30', mon_closes_1: '09:00', tue_opens_2: '12:00', tue_closes_2: '13:00', wed_opens_1: '9am', thu_closes_1: '' }), testActor), { instanceOf: ValidationError });
  t.deepEqual(fieldsOf(e), ['hours_mon', 'hours_thu', 'hours_tue', 'hours_wed']);
  t.regex(e!.fields.hours_mon!, /Monday 17:30-09:00: closes before it opens/);
  t.regex(e!.fields.hours_tue!, /Tuesday: 09:00-17:30 and 12:00-13:00 overlap/);
  t.regex(e!.fields.hours_wed!, /Give both an opening and a closing time/);
  t.regex(e!.fields.hours_thu!, /Give both an opening and a closing time/);
  t.is(c.numbers.list().length, 0);
  const touching = c.numbers.create(form(t, { sun_opens_1: '08:00', sun_closes_1: '12:00', sun_opens_2: '12:00', sun_closes_2: '00:00' }), testActor);
  t.deepEqual(touching.schedule!.hours.filter((h) => h.day === 'sun').map((h) => [h.opens, h.closes]), [[480, 720], [720, 1440]], 'intervals that touch do not overlap; 00:00 closes at midnight');
});

test('numbers: the compact hours text is checked like the form: syntax, order, overlaps, at most four a day', (t) => {
  const { c } = t.context;
  const text = (hours: string) => t.throws(() => c.numbers.create(form(t, { hours }), testActor), { instanceOf: ValidationError })!.fields.hours!;
  t.regex(text('weekdays 09:00-17:00'), /write days \(mon-fri, sat, mon,wed\) then times/);
  t.regex(text('mon 9-17'), /write times as HH:MM-HH:MM/);
  t.regex(text('mon 09:00-25:00'), /write times as HH:MM-HH:MM/);
  t.regex(text('mon-fri 12:00-08:00'), /"12:00-08:00": closes before it opens/);
  t.is(text('mon-fri 09:00-17:00; fri 16:00-18:00'), 'fri: 09:00-17:00 and 16:00-18:00 overlap.');
  t.is(text('mon-fri 09:00-12:00,11:00-13:00'), 'mon-fri: 09:00-12:00 and 11:00-13:00 overlap.', 'once for the days written together');
  t.regex(text('sat 01:00-02:00,03:00-04:00,05:00-06:00,07:00-08:00,09:00-10:00'), /sat: at most 4 opening intervals a day/);
  const wrapped = c.numbers.create(form(t, { hours: 'FRI-mon 10:00-14:00' }), testActor);
  t.deepEqual(wrapped.schedule!.hours.map((h) => h.day), ['mon', 'fri', 'sat', 'sun'], 'a range may wrap the week end');
});

test('numbers: holidays must be real dates, once each, with short plain labels', (t) => {
  const { c } = t.context;
  const holidays = (h: string) => t.throws(() => c.numbers.create(form(t, { holidays: h }), testActor), { instanceOf: ValidationError })!.fields.holidays!;
  t.regex(holidays('2026-02-30'), /2026-02-30 is not a date/);
  t.regex(holidays('2026-13-01 New month'), /2026-13-01 is not a date/);
  t.regex(holidays('Christmas 2026-12-25'), /start with a date/);
  t.regex(holidays('2026-12-25\n2026-12-25 again'), /2026-12-25 is listed twice/);
  t.regex(holidays('2026-12-25 <b>Xmas</b>'), /a label is at most 60 characters, without ; < > "/);
  t.regex(holidays('1999-12-31'), /years 2000 to 2099/);
  const n = c.numbers.create(form(t, { holidays: '2026-12-26 Boxing Day 2026-12-25 Christmas; 2027-01-01' }), testActor);
  t.deepEqual(n.schedule!.holidays.map((h) => `${h.date}|${h.label}`), ['2026-12-25|Christmas', '2026-12-26|Boxing Day', '2027-01-01|']);
});

test('numbers: the time zone must be one FreeSWITCH can follow; hours need a zone and a zone needs hours', (t) => {
  const { c } = t.context;
  const zone = (timezone: string, extra: Record<string, string> = {}) => t.throws(() => c.numbers.create(form(t, { timezone, ...extra }), testActor), { instanceOf: ValidationError })!.fields;
  t.regex(zone('Mars/Olympus_Mons').timezone!, /Choose a time zone from the list/);
  t.regex(zone('../../etc/passwd').timezone!, /Choose a time zone from the list/);
  t.regex(zone('europe/berlin').timezone!, /Choose a time zone from the list/, 'spelled as the tz database does');
  t.regex(zone('').timezone!, /Choose the time zone of these hours/);
  t.regex(zone('Europe/Berlin', { hours: '' }).hours!, /Add opening hours/);
  t.is(c.numbers.list().length, 0);
  t.is(c.numbers.create(form(t, { timezone: 'Asia/Kolkata' }), testActor).schedule!.timezone, 'Asia/Kolkata', 'aliases Intl knows are kept as written');
});

test('numbers: an after-hours destination must exist; an extension used after hours cannot be deleted', (t) => {
  const { c } = t.context;
  const missing = t.throws(() => c.numbers.create(form(t, { afterHoursExtensionId: '999' }), testActor), { instanceOf: ValidationError });
  t.deepEqual(fieldsOf(missing), ['afterHoursExtensionId']);
  t.deepEqual(fieldsOf(t.throws(() => c.numbers.create(form(t, { afterHoursExtensionId: '' }), testActor), { instanceOf: ValidationError })), ['afterHoursExtensionId']);
  t.deepEqual(fieldsOf(t.throws(() => c.numbers.create(form(t, { afterHoursKind: 'queue' }), testActor), { instanceOf: ValidationError })), ['afterHoursKind']);
  const n = c.numbers.create(form(t), testActor);
  t.throws(() => c.extensions.delete(Number(t.context.ext.b), testActor), { instanceOf: ConflictError, message: /number \+4930123456 \(after hours\) sends calls to it/ });
  c.numbers.update(n.id, form(t, { afterHoursKind: 'hangup' }), testActor);
  t.is(c.numbers.get(n.id).afterHoursExtensionId, null, 'hang up keeps no extension');
  c.extensions.delete(Number(t.context.ext.b), testActor);
});

test('numbers: caller-ID use cannot be turned off while a route shows the number; routes may only choose numbers offered as caller ID', (t) => {
  const { c, trunkId } = t.context;
  const n = c.numbers.create(form(t), testActor);
  const quiet = c.numbers.create(form(t, { number: '+4930555000', isCallerId: '' }), testActor);
  const route = { name: 'National', position: '1', pattern: '0Z.', strip: '1', prepend: '+49', callClass: 'national', trunkIds: trunkId, isEnabled: 'on' };
  const refused = t.throws(() => c.routes.create({ ...route, callerIdNumberId: String(quiet.id) }, testActor), { instanceOf: ValidationError });
  t.regex(refused!.fields.callerIdNumberId!, /Number \+4930555000 is not offered as caller ID/);
  t.deepEqual(c.numbers.callerIds().map((x) => x.number), ['+4930123456']);
  const r = c.routes.create({ ...route, callerIdNumberId: String(n.id) }, testActor);
  const e = t.throws(() => c.numbers.update(n.id, form(t, { isCallerId: '', hasSurvey: 'on' }), testActor), { instanceOf: ConflictError });
  t.is(e!.message, 'Number +4930123456 cannot stop being offered as caller ID: outbound route National shows it as caller ID.');
  t.like(c.numbers.get(n.id), { isCallerId: true, hasSurvey: false }, 'the refused change changed nothing');
  c.routes.delete(r.id, testActor);
  t.false(c.numbers.update(n.id, form(t, { isCallerId: '' }), testActor).isCallerId);
});

test('numbers: the recording policy and the survey switch are stored and change nothing in the dialplan', async (t) => {
  const { c } = t.context;
  const policy = c.recordingPolicies.options()[0]!.id;
  const n = c.numbers.create(form(t, { recordingPolicyId: String(policy), hasSurvey: 'on' }), testActor);
  t.like(c.numbers.get(n.id), { recordingPolicyId: policy, hasSurvey: true });
  t.deepEqual(c.recordingPolicies.list()[0]!.usedBy, ['number +4930123456']);
  t.like(t.throws(() => c.numbers.update(n.id, form(t, { recordingPolicyId: '999' }), testActor), { instanceOf: ValidationError })!.fields, { recordingPolicyId: 'Choose an existing recording policy.' });
  await c.publisher.publish('test', 'test');
  const before = readFileSync(join(c.config.freeswitch.confDir, 'dialplan/public.xml'), 'utf8');
  c.numbers.update(n.id, form(t), testActor);
  t.like(c.numbers.get(n.id), { recordingPolicyId: null, hasSurvey: false });
  t.is((await c.publisher.publish('test', 'test')).status, 'unchanged');
  t.is(readFileSync(join(c.config.freeswitch.confDir, 'dialplan/public.xml'), 'utf8'), before);
});

test('numbers: open now follows the app clock in the number\'s zone', (t) => {
  const { c } = t.context;
  const n = c.numbers.create(form(t), testActor);
  // Thursday 2026-01-01 09:00 UTC is 10:00 in Berlin.
  t.like(c.numbers.openNow(n), { isOpen: true, why: 'open hours', localTime: 'Thu 2026-01-01 10:00' });
  c.clock.set(Date.UTC(2026, 0, 1, 16, 30));
  t.like(c.numbers.openNow(n), { isOpen: false, why: 'outside hours' });
  c.clock.set(Date.UTC(2026, 11, 25, 10, 0));
  t.like(c.numbers.openNow(n), { isOpen: false, why: 'holiday', holiday: { date: '2026-12-25', label: 'Christmas Day' } });
});

test('numbers CSV: export and import carry the schedule, the switches and the after-hours destination', (t) => {
  const { c } = t.context;
  c.numbers.create(form(t, { recordingPolicyId: String(c.recordingPolicies.idByName('Record all calls')) }), testActor);
  c.numbers.create({ number: '0301112222', trunkId: t.context.trunkId, isInbound: 'on', destinationKind: 'hangup', isCallerId: '' }, testActor);
  const csv = c.numbers.exportCsv();
  t.is(csv, [
    'number,trunk,destination,inbound,caller_id,recording_policy,survey,timezone,hours,holidays,after_hours',
    '+4930123456,Carrier A,1001,yes,yes,Record all calls,no,Europe/Berlin,"mon-thu 09:00-17:30; fri 09:00-12:00,13:00-17:30; sat 10:00-13:00",2026-12-25 Christmas Day; 2026-12-26,1002',
    '0301112222,Carrier A,hangup,yes,no,,no,,,,hangup',
    '',
  ].join('\n'));
  for (const n of c.numbers.list()) c.numbers.delete(n.id, testActor);
  t.is(c.numbers.importCsv(csv, testActor), 2);
  t.is(c.numbers.exportCsv(), csv);
  t.is(c.numbers.importCsv('number,trunk,destination\n+4930777777,Carrier A,1001\n', testActor), 1, 'the first columns alone still import');
  t.like(c.numbers.list().find((n) => n.number === '+4930777777'), { isCallerId: true, recordingPolicyId: null, hasSurvey: false, schedule: null, afterHoursKind: 'hangup' });
});

test('numbers CSV: every bad cell is reported by line and column, and nothing is imported', (t) => {
  const { c } = t.context;
  const e = t.throws(() => c.numbers.importCsv([
    'number,trunk,destination,caller_id,timezone,hours,holidays,after_hours',
    '+4930100001,Nobody,1001,yes,Europe/Berlin,mon-fri 09:00-17:00,,1002',
    '+4930100002,Carrier A,1001,maybe,Europe/Berlin,mon-fri 17:00-09:00,2026-02-30,9999',
    '+4930100003,Carrier A,1001,yes,Mars/Base,mon 09:00-12:00,,hangup',
    '+4930100004,Carrier A,1001,yes,,mon 09:00-12:00,,hangup',
    '+4930100005,Carrier A,1001,yes,Europe/Berlin,mon 09:00-12:00; mon 11:00-13:00,2026-12-25,hangup',
    '+4930100005,Carrier A,1001,yes,,,,',
  ].join('\n'), testActor), { code: 'import.rejected' });
  const problems = (e as unknown as { problems: { line: number; message: string }[] }).problems.map((p) => `${p.line} ${p.message}`);
  t.deepEqual(problems, [
    '2 trunk: no trunk is named "Nobody"',
    '3 after_hours: "9999" is not an extension number, "voicemail" and an extension number, "flow" and a flow\'s name, or "hangup"',
    '3 caller_id: use yes or no',
    '3 hours: "17:00-09:00": closes before it opens (hours cannot run past midnight: end at 24:00 and open again at 00:00 the next day).',
    '3 holidays: 2026-02-30 is not a date (YYYY-MM-DD, years 2000 to 2099).',
    '4 timezone: Choose a time zone from the list (IANA names such as Europe/Berlin).',
    '5 timezone: Choose the time zone of these hours, or clear the hours and holidays for a number that always takes calls.',
    '6 hours: mon: 09:00-12:00 and 11:00-13:00 overlap.',
    '7 number: +4930100005 is also on line 6',
  ]);
  t.is(c.numbers.list().length, 0);
});

test('numbers: numbers from before schedules existed stay offered as caller ID, without a schedule, hanging up after hours', async (t) => {
  const db = openDatabase(':memory:');
  t.teardown(() => db.close());
  const all = await loadMigrations();
  const o = { backupDir: null, clock: createFakeClock(), log: silentLogger() };
  await migrate(db, { ...o, migrations: all.filter((m) => m.version < 9) });
  db.exec(`INSERT INTO trunks (id, name, auth_mode, host, port, transport, max_calls, created_at, updated_at) VALUES (1, 'A', 'ip', 'h', 5060, 'udp', 5, 'x', 'x');
    INSERT INTO numbers (number, trunk_id, destination_kind, created_at, updated_at) VALUES ('+4930123456', 1, 'hangup', 'x', 'x');`);
  await migrate(db, { ...o, migrations: all });
  t.deepEqual(db.prepare('SELECT timezone, after_hours_kind, after_hours_extension_id, is_caller_id, recording_policy_id, has_survey FROM numbers').get(), {
    timezone: null, after_hours_kind: 'hangup', after_hours_extension_id: null, is_caller_id: 1, recording_policy_id: null, has_survey: 0,
  });
});
