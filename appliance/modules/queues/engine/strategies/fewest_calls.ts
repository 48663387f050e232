import { byIdle, first, type Strategy } from './strategy.js';

export const fewestCalls: Strategy = {
  name: 'fewest_calls',
  ringsAll: false,
  pick: (candidates) => first(candidates, (a, b) => a.calls - b.calls || byIdle(a, b)),
};
