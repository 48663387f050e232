import { byPosition, first, type Strategy } from './strategy.js';

/** Always from the top of the member list: the highest-placed available member. */
export const sequential: Strategy = {
  name: 'sequential',
  ringsAll: false,
  pick: (candidates) => first(candidates, byPosition),
};
