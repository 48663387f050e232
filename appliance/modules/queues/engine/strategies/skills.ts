import { byIdle, first, type Strategy } from './strategy.js';

/** The highest level in the queue's skill (10 first), then longest idle. */
export const skills: Strategy = {
  name: 'skills',
  ringsAll: false,
  pick: (candidates) => first(candidates, (a, b) => b.level - a.level || byIdle(a, b)),
};
