import { byIdle, first, type Strategy } from './strategy.js';

/** Every candidate rings; a callback, which must reach one agent only, goes to the longest idle. */
export const ringAll: Strategy = {
  name: 'ring_all',
  ringsAll: true,
  pick: (candidates) => first(candidates, byIdle),
};
