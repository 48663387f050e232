import test from 'ava';
import { flow, node, say, sim } from '../testing.js';
import { collect } from './collect.js';

const c = (extra: Record<string, unknown> = {}) => node('c', 'collect', { prompt: say('Your account'), variable: 'account', min: 4, max: 8, terminator: '#', pattern: '4[0-9]+', ...extra }, { next: 'done' });
const done = node('done', 'play', { prompt: say('Account ${account}') }, { next: 'end' });
const end = node('end', 'hangup', {});

test('collect: stops at the terminator, checks length and pattern, re-asks, and keeps the answer in a variable', async (t) => {
  const r = await sim(flow([c(), done, end]), { answers: ['12#', '51234#', '41234#'] });
  t.is(r.vars.account, '41234');
  t.deepEqual(r.steps[0]!.digits, ['12', '51234', '41234']);
  t.deepEqual(r.steps[1]!.played, ['Account 41234']);
});

test('collect: after the tries it follows "when tries run out"', async (t) => {
  const r = await sim(flow([node('c', 'collect', { prompt: say('x'), variable: 'v', tries: 2 }, { next: 'end', failure: 'f' }), end, node('f', 'hangup', { prompt: say('failed') })]), { answers: ['', ''] });
  t.deepEqual(r.steps.map((s) => s.node), ['c', 'f']);
});

test('collect: bad settings are refused field by field', (t) => {
  const r = collect.schema.safeParse({ prompt: say('x'), variable: '1bad', min: 5, max: 2, pattern: '([' });
  t.false(r.success);
  const paths = r.success ? [] : r.error.issues.map((i) => i.path[0]);
  t.true(paths.includes('variable'));
  t.true(paths.includes('pattern'));
});
