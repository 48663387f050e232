import test from 'ava';
import fc from 'fast-check';
import { RANK, TimerHeap } from './timers.js';

test('timers fire in (time, rank, creation) order; cancelled ones never fire nor show in peek', (t) => {
  const heap = new TimerHeap();
  const fired: string[] = [];
  heap.add(20, RANK.cooldown, () => fired.push('cooldown@20'));
  heap.add(20, RANK.guard, () => fired.push('guard@20'));
  const gone = heap.add(5, RANK.guard, () => fired.push('cancelled'));
  heap.add(10, RANK.maxWait, () => fired.push('maxWait@10'));
  heap.add(20, RANK.guard, () => fired.push('guard@20 second'));
  heap.cancel(gone);
  heap.cancel(gone);
  t.is(heap.peek()?.at, 10);
  t.is(heap.size, 4);
  t.is(heap.popDue(9), undefined);
  for (let x = heap.popDue(20); x; x = heap.popDue(20)) x.fire();
  t.deepEqual(fired, ['maxWait@10', 'guard@20', 'guard@20 second', 'cooldown@20']);
  t.is(heap.peek(), undefined);
});

test('property: whatever is added and cancelled, the live timers come out in order and the heap stays small', (t) => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 3 }), fc.boolean()), { maxLength: 400 }), (specs) => {
      const heap = new TimerHeap();
      const live = specs.map(([at, rank, cancel]) => ({ t: heap.add(at, rank, () => undefined), cancel }));
      for (const x of live) if (x.cancel) heap.cancel(x.t);
      const expected = live.filter((x) => !x.cancel).map((x) => x.t).sort((a, b) => a.at - b.at || a.rank - b.rank || a.seq - b.seq);
      t.is(heap.size, expected.length);
      const out = [];
      for (let x = heap.popDue(Infinity); x; x = heap.popDue(Infinity)) out.push(x);
      t.deepEqual(out, expected);
    }),
  );
});
