import test from 'ava';
import { STRATEGY_NAMES } from '../types.js';
import { STRATEGY_REGISTRY } from './index.js';

test('registry: every strategy of the contract has its plug-in, under its own name; only ring all rings everyone', (t) => {
  t.deepEqual(Object.keys(STRATEGY_REGISTRY).sort(), [...STRATEGY_NAMES].sort());
  for (const name of STRATEGY_NAMES) t.is(STRATEGY_REGISTRY[name].name, name);
  t.deepEqual(STRATEGY_NAMES.filter((n) => STRATEGY_REGISTRY[n].ringsAll), ['ring_all']);
});
