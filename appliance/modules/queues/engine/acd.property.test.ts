import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { Checked, cmdsArb, worldArb } from './testing-model.js';

// The invariants are checked by Checked after every event (see testing-model.ts): no agent holds two offers; a
// caller rings one agent at a time except in ring all (a callback: always one); a caller who left is never offered
// again; offers go only to available, qualified members; no offerable caller is passed over within a queue; the
// decisions account for every state change; and no available agent sits next to an unoffered caller.

/** fast-check keeps the failure in `cause`, which ava does not print. */
function holds(t: ExecutionContext, run: () => void): void {
  try {
    run();
    t.pass();
  } catch (err) {
    t.fail(`${String(err)}\n${String((err as Error).cause)}`);
  }
}

for (const dense of [false, true]) {
  const worlds = dense ? 'dense worlds (every agent in every queue, no skills)' : 'any world';
  test(`property: the routing invariants hold after every event of any sequence, ${worlds}`, (t) => {
    holds(t, () =>
      fc.assert(
        fc.property(worldArb(dense), cmdsArb(120), fc.nat(1000), (world, cmds, seed) => {
          const c = new Checked(world, seed);
          for (const cmd of cmds) c.run(cmd);
        }),
        { numRuns: 300 },
      ),
    );
  });

  test(`property: liveness, ${worlds}: once everyone works, every caller who can be served is answered, overflowed or abandoned`, (t) => {
    holds(t, () =>
      fc.assert(
        fc.property(worldArb(dense), cmdsArb(80), fc.nat(1000), (world, cmds, seed) => {
          const c = new Checked(world, seed);
          for (const cmd of cmds) c.run(cmd);
          const stuck = () => c.acd.waiting().filter((x) => c.servable(x.queueId));
          for (let round = 0; round < 300 && stuck().length > 0; round++) c.fairRound();
          if (stuck().length > 0) throw new Error(`still waiting: ${JSON.stringify(stuck())}`);
        }),
        { numRuns: 200 },
      ),
    );
  });
}
