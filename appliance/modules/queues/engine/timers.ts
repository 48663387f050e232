/**
 * The engine's timers: a binary min-heap ordered by (at, rank, seq). Cancelling only marks a timer dead (lazy
 * deletion), so cancelling is O(1); dead timers are dropped when they reach the top, and the heap is rebuilt when
 * they outnumber the live ones (an answered offer leaves its guard behind, and most offers are answered).
 */

/** Same-time timers fire in this order: offer guards, wrap-up ends, max waits, cooldown ends. */
export const RANK = { guard: 0, wrapUp: 1, maxWait: 2, cooldown: 3 } as const;

export interface Timer {
  readonly at: number;
  readonly rank: number;
  readonly seq: number;
  /** Cancelled, or already fired. */
  dead: boolean;
  readonly fire: () => void;
}

const before = (a: Timer, b: Timer) => a.at - b.at || a.rank - b.rank || a.seq - b.seq;

export class TimerHeap {
  private heap: Timer[] = [];
  private seq = 0;
  private deadInHeap = 0;

  add(at: number, rank: number, fire: () => void): Timer {
    const t: Timer = { at, rank, seq: ++this.seq, dead: false, fire };
    this.heap.push(t);
    this.up(this.heap.length - 1);
    return t;
  }

  cancel(t: Timer | null): void {
    if (!t || t.dead) return;
    t.dead = true;
    this.deadInHeap++;
    if (this.deadInHeap > 64 && this.deadInHeap * 2 > this.heap.length) this.compact();
  }

  /** The earliest live timer, if any. */
  peek(): Timer | undefined {
    this.dropDeadTop();
    return this.heap[0];
  }

  /** Removes and returns the earliest live timer if it is due at `now`; it is marked dead (fired). */
  popDue(now: number): Timer | undefined {
    const top = this.peek();
    if (!top || top.at > now) return undefined;
    this.pop();
    top.dead = true;
    return top;
  }

  /** Live timers (for tests and the bench). */
  get size(): number {
    return this.heap.length - this.deadInHeap;
  }

  private dropDeadTop(): void {
    while (this.heap.length > 0 && this.heap[0]!.dead) {
      this.pop();
      this.deadInHeap--;
    }
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private compact(): void {
    this.heap = this.heap.filter((t) => !t.dead);
    this.deadInHeap = 0;
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private up(i: number): void {
    const h = this.heap;
    const t = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (before(t, h[p]!) >= 0) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = t;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const t = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(h[r]!, h[l]!) < 0 ? r : l;
      if (before(h[c]!, t) >= 0) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = t;
  }
}
