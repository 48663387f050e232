import test from 'ava';
import { ValidationError } from '../../errors.js';
import { parseFilter } from './records.filter.js';
import { dayStart, localDateTime, localDay } from './records.time.js';

const now = Date.UTC(2026, 2, 29, 12, 0, 0);

test('records filter: no dates means the last 7 days up to the end of today, in the zone', (t) => {
  const { criteria, values, cursor } = parseFilter({}, now, 'Europe/Berlin');
  t.deepEqual(values, { from: '2026-03-23', to: '2026-03-29' });
  t.is(criteria.from, Date.UTC(2026, 2, 22, 23, 0, 0), 'midnight in Berlin (winter time)');
  t.is(criteria.to, Date.UTC(2026, 2, 29, 22, 0, 0), 'the next midnight, in summer time');
  t.is(cursor, null);
});

test('records filter: every field is parsed, blanks are ignored, and the cursor is read', (t) => {
  const { criteria, values, cursor } = parseFilter({ from: '2026-03-01', to: '2026-03-01', number: ' +4930 ', agentId: '3', queueId: '', direction: 'outbound', outcome: 'failed', result: 'busy', recorded: '1', before: '1767254400000_abc-1' }, now, 'UTC');
  t.like(criteria, { from: Date.UTC(2026, 2, 1), to: Date.UTC(2026, 2, 2), number: '+4930', agentId: 3, queueId: null, direction: 'outbound', outcome: 'failed', result: 'busy', hasRecording: true });
  t.deepEqual(values, { from: '2026-03-01', to: '2026-03-01', number: '+4930', direction: 'outbound', outcome: 'failed', result: 'busy', agentId: '3', recorded: '1' });
  t.deepEqual(cursor, { startedAt: 1767254400000, callId: 'abc-1', toward: 'older' });
  t.is(parseFilter({ after: 'junk' }, now, 'UTC').cursor, null, 'a cursor that is not ours is the first page');
});

test('records filter: bad input is refused field by field', (t) => {
  const e = t.throws(() => parseFilter({ from: '2026-13-01', number: '+', agentId: '0', outcome: 'won', recorded: 'maybe' }, now, 'UTC'), { instanceOf: ValidationError });
  t.deepEqual(Object.keys(e.fields).sort(), ['agentId', 'number', 'outcome', 'recorded']);
  const d = t.throws(() => parseFilter({ from: '2026-13-01' }, now, 'UTC'), { instanceOf: ValidationError });
  t.is(d.fields.from, 'There is no such day.');
  const o = t.throws(() => parseFilter({ from: '2026-03-02', to: '2026-03-01' }, now, 'UTC'), { instanceOf: ValidationError });
  t.is(o.fields.to, 'The last day cannot be before the first.');
});

test('records time: days and clock times in a zone, across a clock change', (t) => {
  t.is(dayStart('2026-03-29', 'Europe/Berlin'), Date.UTC(2026, 2, 28, 23));
  t.is(dayStart('2026-03-30', 'Europe/Berlin'), Date.UTC(2026, 2, 29, 22));
  t.is(dayStart('2026-02-30', 'UTC'), null);
  t.is(localDay(Date.UTC(2026, 2, 28, 23, 30), 'Europe/Berlin'), '2026-03-29');
  t.is(localDateTime(Date.UTC(2026, 2, 29, 12, 0, 5), 'Asia/Shanghai'), '2026-03-29 20:00:05');
});
