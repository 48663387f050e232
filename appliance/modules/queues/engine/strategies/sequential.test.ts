import test from 'ava';
import { cand, ctx } from '../testing.js';
import { sequential } from './sequential.js';

test('sequential: always the highest-placed free member, whoever was offered last', (t) => {
  const members = [cand(3, { position: 3 }), cand(1, { position: 5 }), cand(2, { position: 2, idleSince: 99 })];
  t.is(sequential.pick(members, ctx()).id, 2);
  t.is(sequential.pick(members, ctx({ lastOffered: { position: 2, id: 2 } })).id, 2);
});
