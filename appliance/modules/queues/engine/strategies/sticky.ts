import { byIdle, first, type Strategy } from './strategy.js';

/** The agent who last answered this caller (within the queue's sticky window) when they are a candidate, else longest idle. */
export const sticky: Strategy = {
  name: 'sticky',
  ringsAll: false,
  pick: (candidates, ctx) => {
    const last = ctx.lastAgent();
    return (last !== null && candidates.find((c) => c.id === last)) || first(candidates, byIdle);
  },
};
