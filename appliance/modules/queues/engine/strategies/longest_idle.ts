import { byIdle, first, type Strategy } from './strategy.js';

export const longestIdle: Strategy = {
  name: 'longest_idle',
  ringsAll: false,
  pick: (candidates) => first(candidates, byIdle),
};
