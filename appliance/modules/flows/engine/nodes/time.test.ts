import test from 'ava';
import { flow, node, sim } from '../testing.js';
import { time } from './time.js';

const t1 = node('t', 'time', { timezone: 'Asia/Shanghai', hours: 'mon-fri 09:00-18:00', holidays: '2026-10-01 National Day' }, { open: 'o', closed: 'c' });
const ends = [node('o', 'hangup', {}), node('c', 'hangup', {})];

test('time condition: open and closed by the local time of its zone, closed on holidays', async (t) => {
  const at = (iso: string) => sim(flow([t1, ...ends]), { at: Date.parse(iso) }).then((r) => r.steps[0]!.branch);
  t.is(await at('2026-11-23T02:00:00Z'), 'open', 'Monday 10:00 in Shanghai');
  t.is(await at('2026-11-23T11:00:00Z'), 'closed', 'Monday 19:00 in Shanghai');
  t.is(await at('2026-11-22T02:00:00Z'), 'closed', 'Sunday');
  t.is(await at('2026-10-01T02:00:00Z'), 'closed', 'a holiday');
});

test('time condition: a bad zone or hours are refused', (t) => {
  t.false(time.schema.safeParse({ timezone: 'Mars/Base', hours: 'mon 09:00-10:00' }).success);
  t.false(time.schema.safeParse({ timezone: 'UTC', hours: 'mon 10:00-09:00' }).success);
});
