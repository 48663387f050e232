import test from 'ava';
import { flow, node, sim } from '../testing.js';
import { condition } from './condition.js';

const run = async (operator: string, left: string, value: string) => {
  const r = await sim(flow([node('s', 'set', { variable: 'x', value: left }, { next: 'c' }), node('c', 'condition', { variable: 'x', operator, value }, { yes: 'y', no: 'n' }), node('y', 'hangup', {}), node('n', 'hangup', {})]));
  return r.steps[1]!.branch;
};

test('condition: each comparison', async (t) => {
  t.is(await run('equals', 'gold', 'gold'), 'yes');
  t.is(await run('not_equals', 'gold', 'gold'), 'no');
  t.is(await run('contains', 'gold member', 'member'), 'yes');
  t.is(await run('regex', '4123', '^4\\d+$'), 'yes');
  t.is(await run('gt', '10', '9'), 'yes', 'numbers, not text (which would say "10" < "9")');
  t.is(await run('lt', '', '5'), 'no', 'an empty variable is not a number');
  t.is(await run('gte', '5', '5'), 'yes');
  t.is(await run('lte', '6', '5'), 'no');
  t.is(await run('equals', '+4930111', '${caller_number}'), 'yes', 'the value may hold variables');
});

test('condition: a bad regular expression is refused', (t) => {
  t.false(condition.schema.safeParse({ variable: 'x', operator: 'regex', value: '([' }).success);
  t.false(condition.schema.safeParse({ variable: 'x', operator: 'like', value: '' }).success);
});
