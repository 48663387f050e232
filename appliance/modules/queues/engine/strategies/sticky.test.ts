import test from 'ava';
import { cand, ctx } from '../testing.js';
import { sticky } from './sticky.js';

const members = [cand(1, { idleSince: 5 }), cand(2, { idleSince: 9 })];

test('sticky: the caller\'s last agent when free, otherwise the longest idle', (t) => {
  t.is(sticky.pick(members, ctx({ lastAgent: () => 2 })).id, 2);
  t.is(sticky.pick(members, ctx({ lastAgent: () => 7 })).id, 1, 'their agent is not free');
  t.is(sticky.pick(members, ctx()).id, 1, 'a new caller');
});
