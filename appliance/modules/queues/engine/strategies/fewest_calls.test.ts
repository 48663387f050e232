import test from 'ava';
import { cand, ctx } from '../testing.js';
import { fewestCalls } from './fewest_calls.js';

test('fewest calls: the fewest answered since login, then longest idle', (t) => {
  t.is(fewestCalls.pick([cand(1, { calls: 4 }), cand(2, { calls: 1 }), cand(3, { calls: 2 })], ctx()).id, 2);
  t.is(fewestCalls.pick([cand(1, { calls: 1, idleSince: 50 }), cand(2, { calls: 1, idleSince: 20 })], ctx()).id, 2);
});
