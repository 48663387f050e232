import test from 'ava';
import { scheduleStatus } from './open-now.js';
import { formatHolidays, formatHours, parseHolidays, parseHours, type Schedule } from './schedule.js';

const at = (iso: string) => Date.parse(iso);
const schedule = (timezone: string, hours: string, holidays = ''): Schedule => ({ timezone, hours: parseHours(hours).hours, holidays: parseHolidays(holidays).holidays });

test('schedule: the compact hours text reads back as it was written, grouping days with the same hours', (t) => {
  const text = 'mon-fri 09:00-12:00,13:00-17:30; sat 10:00-13:00; sun 00:00-24:00';
  const { hours, problems } = parseHours(text);
  t.deepEqual(problems, []);
  t.is(hours.length, 12);
  t.is(formatHours(hours), text);
  t.is(formatHours(parseHours('sat 10:00-13:00; mon,wed 09:00-17:00; tue 8:00-12:00; fri 09:00-17:00').hours), 'mon,wed,fri 09:00-17:00; tue 08:00-12:00; sat 10:00-13:00');
  t.is(formatHours(parseHours('mon-tue 09:00-10:00; thu-sun 09:00-10:00').hours), 'mon,tue,thu-sun 09:00-10:00');
  t.is(formatHours([]), '');
});

test('schedule: holidays read from dates with labels, in any separator, and write back sorted', (t) => {
  const { holidays, problems } = parseHolidays('2026-12-26 Boxing Day 2026-12-25; 2027-01-01 New Year\n2026-05-01');
  t.deepEqual(problems, []);
  t.is(formatHolidays(holidays), '2026-05-01; 2026-12-25; 2026-12-26 Boxing Day; 2027-01-01 New Year');
  t.deepEqual(parseHolidays('2028-02-29').problems, [], 'a leap day');
  t.regex(parseHolidays('2027-02-29').problems.join(), /2027-02-29 is not a date/);
});

test('open now: inside an interval of the local weekday, from its opening minute until just before it closes', (t) => {
  const s = schedule('Asia/Tokyo', 'mon-fri 09:00-17:30');
  // Monday 09:00 in Tokyo is Sunday 00:00 UTC: the local weekday decides.
  t.like(scheduleStatus(s, at('2026-03-30T00:00:00Z')), { isOpen: true, why: 'open hours', localTime: 'Mon 2026-03-30 09:00' });
  t.like(scheduleStatus(s, at('2026-03-29T23:59:59Z')), { isOpen: false, why: 'outside hours' });
  t.true(scheduleStatus(s, at('2026-03-30T08:29:59Z')).isOpen);
  t.false(scheduleStatus(s, at('2026-03-30T08:30:00Z')).isOpen, '17:30 is closed');
  t.false(scheduleStatus(s, at('2026-04-04T01:00:00Z')).isOpen, 'Saturday');
  t.like(scheduleStatus(null, 0), { isOpen: true, why: 'no schedule', localTime: null });
});

test('open now: a holiday closes the whole local day, whatever the date is in UTC', (t) => {
  const s = schedule('Pacific/Auckland', 'mon-sun 00:00-24:00', '2026-12-25 Christmas Day');
  // 11:00 UTC on the 24th is already 00:00 on the 25th in Auckland (NZDT, UTC+13).
  t.like(scheduleStatus(s, at('2026-12-24T11:00:00Z')), { isOpen: false, why: 'holiday', holiday: { date: '2026-12-25', label: 'Christmas Day' } });
  t.true(scheduleStatus(s, at('2026-12-24T10:59:59Z')).isOpen);
  t.true(scheduleStatus(s, at('2026-12-25T11:00:00Z')).isOpen, 'the 26th there');
});

test('open now: across the spring daylight-saving change the wall clock decides, and the skipped hour never opens', (t) => {
  // Berlin: 2026-03-29 02:00 CET jumps to 03:00 CEST at 01:00 UTC.
  const s = schedule('Europe/Berlin', 'sun 01:30-02:30; sun 03:00-03:30');
  t.like(scheduleStatus(s, at('2026-03-29T00:45:00Z')), { isOpen: true, localTime: 'Sun 2026-03-29 01:45' });
  t.like(scheduleStatus(s, at('2026-03-29T00:59:59Z')), { isOpen: true });
  t.like(scheduleStatus(s, at('2026-03-29T01:00:00Z')), { isOpen: true, localTime: 'Sun 2026-03-29 03:00' }, 'straight into the 03:00 interval');
  t.like(scheduleStatus(s, at('2026-03-29T01:30:00Z')), { isOpen: false, localTime: 'Sun 2026-03-29 03:30' });
  // New York: a Sunday interval after the change (2026-03-08 07:00 UTC) uses EDT, UTC-4.
  const ny = schedule('America/New_York', 'sun 09:00-17:00');
  t.true(scheduleStatus(ny, at('2026-03-08T13:00:00Z')).isOpen, '09:00 EDT');
  t.false(scheduleStatus(ny, at('2026-03-08T12:59:59Z')).isOpen, '08:59 EDT');
  t.true(scheduleStatus(ny, at('2026-03-01T14:00:00Z')).isOpen, '09:00 EST a week before');
  t.false(scheduleStatus(ny, at('2026-03-01T13:30:00Z')).isOpen, '08:30 EST');
});

test('open now: in the autumn the repeated hour is open both times it happens', (t) => {
  // Berlin: 2026-10-25 03:00 CEST goes back to 02:00 CET at 01:00 UTC; 02:00–02:30 happens twice.
  const s = schedule('Europe/Berlin', 'sun 02:00-02:30');
  t.like(scheduleStatus(s, at('2026-10-25T00:15:00Z')), { isOpen: true, localTime: 'Sun 2026-10-25 02:15' });
  t.like(scheduleStatus(s, at('2026-10-25T00:45:00Z')), { isOpen: false, localTime: 'Sun 2026-10-25 02:45' });
  t.like(scheduleStatus(s, at('2026-10-25T01:15:00Z')), { isOpen: true, localTime: 'Sun 2026-10-25 02:15' });
  t.like(scheduleStatus(s, at('2026-10-25T01:45:00Z')), { isOpen: false, localTime: 'Sun 2026-10-25 02:45' });
});
