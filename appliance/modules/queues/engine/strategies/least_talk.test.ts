import test from 'ava';
import { cand, ctx } from '../testing.js';
import { leastTalk } from './least_talk.js';

test('least talk time: the least talk since login, then longest idle', (t) => {
  t.is(leastTalk.pick([cand(1, { talkMs: 9000 }), cand(2, { talkMs: 1000, calls: 9 }), cand(3, { talkMs: 5000 })], ctx()).id, 2);
  t.is(leastTalk.pick([cand(1, { talkMs: 0, idleSince: 9 }), cand(2, { talkMs: 0, idleSince: 3 })], ctx()).id, 2);
});
