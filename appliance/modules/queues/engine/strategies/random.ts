import type { Strategy } from './strategy.js';

export const random: Strategy = {
  name: 'random',
  ringsAll: false,
  pick: (candidates, ctx) => candidates[Math.floor(ctx.random() * candidates.length)] ?? candidates[0]!,
};
