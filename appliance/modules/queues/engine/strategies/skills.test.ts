import test from 'ava';
import { cand, ctx } from '../testing.js';
import { skills } from './skills.js';

test('skills: the highest level first, then longest idle', (t) => {
  t.is(skills.pick([cand(1, { level: 3 }), cand(2, { level: 10, idleSince: 50 }), cand(3, { level: 7 })], ctx()).id, 2);
  t.is(skills.pick([cand(1, { level: 8, idleSince: 50 }), cand(2, { level: 8, idleSince: 10 })], ctx()).id, 2);
});
