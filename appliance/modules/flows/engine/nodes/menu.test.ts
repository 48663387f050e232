import test from 'ava';
import { flow, node, say, sim } from '../testing.js';
import { menu, menuOptions } from './menu.js';

test('menu: keys become branches; a wrong key, then the right one', async (t) => {
  t.deepEqual(menu.branches(menu.schema.parse({ prompt: say('x'), options: '1 Sales\n# Operator' })).map((b) => b.name), ['1', '#', 'failure']);
  const r = await sim(flow([node('m', 'menu', { prompt: say('Press'), options: '1 Sales\n# Operator' }, { 1: 'a', '#': 'b' }), node('a', 'hangup', {}), node('b', 'hangup', {})]), { answers: ['5', '#'] });
  t.deepEqual(r.steps.map((s) => s.node), ['m', 'b']);
  t.deepEqual(r.steps[0]!.digits, ['5', '#']);
});

test('menu: bad keys lists are refused with a reason', (t) => {
  t.regex(menuOptions('1 a\n1 b').problem!, /twice/);
  t.regex(menuOptions('12 Sales').problem!, /one key/);
  t.regex(menuOptions('').problem!, /at least one/);
  const r = menu.schema.safeParse({ prompt: null, options: 'x', tries: 9 });
  t.false(r.success);
});
