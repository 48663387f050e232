import test from 'ava';
import { mulberry32 } from '../prng.js';
import { cand, ctx } from '../testing.js';
import { random } from './random.js';

test('random: the generator decides, and the same seed gives the same choices', (t) => {
  const members = [cand(1), cand(2), cand(3), cand(4)];
  t.is(random.pick(members, ctx({ random: () => 0 })).id, 1);
  t.is(random.pick(members, ctx({ random: () => 0.99 })).id, 4);
  const run = (seed: number) => {
    const r = mulberry32(seed);
    return Array.from({ length: 40 }, () => random.pick(members, ctx({ random: r })).id);
  };
  t.deepEqual(run(7), run(7));
  t.notDeepEqual(run(7), run(8));
  t.deepEqual([...new Set(run(7))].sort(), [1, 2, 3, 4], 'everyone gets some');
});
