import test from 'ava';
import { cand, ctx } from '../testing.js';
import { ringAll } from './ring_all.js';

test('ring all rings everyone; the one it picks (for a callback) is the longest idle', (t) => {
  t.true(ringAll.ringsAll);
  t.is(ringAll.pick([cand(1, { idleSince: 9 }), cand(2, { idleSince: 3 })], ctx()).id, 2);
});
