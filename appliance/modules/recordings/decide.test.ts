import test from 'ava';
import { deleteAfter, effectivePolicy, recordingPath, shouldRecord } from './decide.js';
import type { RecordingPolicy } from './recordings.types.js';

const policy = (id: number, extra: Partial<RecordingPolicy> = {}): RecordingPolicy => ({ id, name: `p${id}`, mode: 'always', percent: null, start: 'answer', stereo: true, retentionDays: 90, createdAt: '', updatedAt: '', ...extra });
const known = new Map([1, 2, 3].map((id) => [id, policy(id)]));
const find = (id: number) => known.get(id) ?? null;

test('decide: the agent\'s policy comes first, then the queue\'s, then the number\'s; none: not recorded', (t) => {
  t.like(effectivePolicy({ agent: 1, queue: 2, number: 3 }, find), { policy: { id: 1 }, source: 'agent' });
  t.like(effectivePolicy({ agent: null, queue: 2, number: 3 }, find), { policy: { id: 2 }, source: 'queue' });
  t.like(effectivePolicy({ agent: null, queue: null, number: 3 }, find), { policy: { id: 3 }, source: 'number' });
  t.like(effectivePolicy({ agent: 99, queue: null, number: 3 }, find), { source: 'number' }, 'a policy that no longer exists is skipped');
  t.is(effectivePolicy({ agent: null, queue: null, number: null }, find), null);
});

test('decide: always, never, and a percentage drawn with the injected random number', (t) => {
  t.true(shouldRecord(policy(1), () => 0.99));
  t.false(shouldRecord(policy(1, { mode: 'never' }), () => 0));
  const ten = policy(1, { mode: 'percent', percent: 10 });
  t.true(shouldRecord(ten, () => 0.0999));
  t.false(shouldRecord(ten, () => 0.1));
  let n = 0;
  let x = 0;
  for (let i = 0; i < 1000; i++) if (shouldRecord(ten, () => (x = (x + 0.6180339887) % 1))) n++;
  t.true(n > 90 && n < 110, `${n} of 1000`);
});

test('decide: files by UTC day; retention from the stop, none for 0 days', (t) => {
  t.is(recordingPath(Date.UTC(2026, 11, 31, 23, 59), 'abc', 7), 'recordings/2026/12/31/abc-7.wav');
  t.is(deleteAfter(1000, 2), 1000 + 2 * 86_400_000);
  t.is(deleteAfter(1000, 0), null);
});
