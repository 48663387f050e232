import { byIdle, first, type Strategy } from './strategy.js';

export const leastTalk: Strategy = {
  name: 'least_talk',
  ringsAll: false,
  pick: (candidates) => first(candidates, (a, b) => a.talkMs - b.talkMs || byIdle(a, b)),
};
