import { byPosition, first, type Strategy } from './strategy.js';

/** The next member after the one last offered, in (position, id) order, wrapping around to the top. */
export const roundRobin: Strategy = {
  name: 'round_robin',
  ringsAll: false,
  pick: (candidates, ctx) => {
    const last = ctx.lastOffered;
    if (last) {
      const after = candidates.filter((c) => c.position > last.position || (c.position === last.position && c.id > last.id));
      if (after.length > 0) return first(after, byPosition);
    }
    return first(candidates, byPosition);
  },
};
