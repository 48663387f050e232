import type { StrategyName } from '../types.js';
import { fewestCalls } from './fewest_calls.js';
import { leastTalk } from './least_talk.js';
import { longestIdle } from './longest_idle.js';
import { random } from './random.js';
import { ringAll } from './ring_all.js';
import { roundRobin } from './round_robin.js';
import { sequential } from './sequential.js';
import { skills } from './skills.js';
import { sticky } from './sticky.js';
import type { Strategy } from './strategy.js';

/** Every routing strategy by name. A new strategy is one file and one entry here (and in STRATEGIES, types.ts). */
export const STRATEGY_REGISTRY: Readonly<Record<StrategyName, Strategy>> = {
  longest_idle: longestIdle,
  round_robin: roundRobin,
  fewest_calls: fewestCalls,
  least_talk: leastTalk,
  ring_all: ringAll,
  sequential,
  random,
  skills,
  sticky,
};

export type { Candidate, PickContext, Strategy } from './strategy.js';
