import test from 'ava';
import { cand, ctx } from '../testing.js';
import { longestIdle } from './longest_idle.js';

test('longest idle: the agent free the longest, ties by agent id', (t) => {
  t.is(longestIdle.pick([cand(1, { idleSince: 30 }), cand(2, { idleSince: 10 }), cand(3, { idleSince: 20 })], ctx()).id, 2);
  t.is(longestIdle.pick([cand(5, { idleSince: 10 }), cand(4, { idleSince: 10 })], ctx()).id, 4);
  t.false(longestIdle.ringsAll);
});
