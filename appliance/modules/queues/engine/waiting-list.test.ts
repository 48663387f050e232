import test from 'ava';
import fc from 'fast-check';
import { call } from './testing.js';
import { servedBefore, WaitingList } from './waiting-list.js';
import type { EntryRec } from './world.js';

const entry = (seq: number, priority: number, enteredAt: number): EntryRec => ({ call: call(`c${seq}`, 1, { priority, enteredAt }), seq, offers: [], tried: null, maxWait: null });

test('property: inserts and removals in any order keep (priority desc, enteredAt asc, seq asc); indexOf finds each', (t) => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 200 }), (specs) => {
      const list = new WaitingList();
      const kept: EntryRec[] = [];
      specs.forEach(([p, at, remove], i) => {
        const e = entry(i, p, at);
        list.insert(e);
        kept.push(e);
        if (remove && i % 2 === 0) {
          const victim = kept.splice(Math.floor(kept.length / 2), 1)[0]!;
          t.true(list.remove(victim));
          t.false(list.remove(victim));
        }
      });
      const sorted = [...kept].sort(servedBefore);
      t.deepEqual(list.toArray(), sorted);
      sorted.forEach((e, i) => t.is(list.indexOf(e), i));
      t.is(list.indexOf(entry(9999, 0, 0)), -1);
    }),
    { numRuns: 200 },
  );
});
