import test from 'ava';
import { flow, node, sim } from '../testing.js';
import { set } from './set.js';

test('set: a value with variables', async (t) => {
  const r = await sim(flow([node('s', 'set', { variable: 'greeting', value: 'hi ${caller_number}' }, { next: 'e' }), node('e', 'hangup', {})]));
  t.is(r.vars.greeting, 'hi +4930111');
  t.false(set.schema.safeParse({ variable: 'has space', value: '' }).success);
});
