import test from 'ava';
import { cand, ctx } from '../testing.js';
import { roundRobin } from './round_robin.js';

const members = [cand(1, { position: 1 }), cand(2, { position: 2 }), cand(3, { position: 3 })];

test('round robin: starts at the top, then continues after the member last offered, wrapping around', (t) => {
  t.is(roundRobin.pick(members, ctx()).id, 1);
  t.is(roundRobin.pick(members, ctx({ lastOffered: { position: 1, id: 1 } })).id, 2);
  t.is(roundRobin.pick(members, ctx({ lastOffered: { position: 3, id: 3 } })).id, 1);
});

test('round robin: a member who is not free is skipped, and position ties go by agent id', (t) => {
  t.is(roundRobin.pick([members[0]!, members[2]!], ctx({ lastOffered: { position: 1, id: 1 } })).id, 3);
  const tied = [cand(7, { position: 1 }), cand(5, { position: 1 })];
  t.is(roundRobin.pick(tied, ctx()).id, 5);
  t.is(roundRobin.pick(tied, ctx({ lastOffered: { position: 1, id: 5 } })).id, 7);
});
