import type { EntryRec } from './world.js';

/**
 * One queue's callers in serving order: priority desc, enteredAt asc, arrival seq asc. A sorted array with binary
 * search: a new caller usually goes at the end of their priority, a restored one (older enteredAt) in the middle;
 * either way no decision sorts the queue, and a position is a binary search.
 */
export const servedBefore = (a: EntryRec, b: EntryRec): number =>
  b.call.priority - a.call.priority || a.call.enteredAt - b.call.enteredAt || a.seq - b.seq;

export class WaitingList implements Iterable<EntryRec> {
  private items: EntryRec[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Adds the entry at its place; returns its index (0 = next). */
  insert(e: EntryRec): number {
    const i = this.lowerBound(e);
    this.items.splice(i, 0, e);
    return i;
  }

  remove(e: EntryRec): boolean {
    const i = this.indexOf(e);
    if (i < 0) return false;
    this.items.splice(i, 1);
    return true;
  }

  /** 0 = next in line; -1 when not here. */
  indexOf(e: EntryRec): number {
    const i = this.lowerBound(e);
    return this.items[i] === e ? i : -1;
  }

  /** The first entry (in serving order) that `pred` accepts. */
  find(pred: (e: EntryRec) => boolean): EntryRec | undefined {
    for (const e of this.items) if (pred(e)) return e;
    return undefined;
  }

  [Symbol.iterator](): Iterator<EntryRec> {
    return this.items[Symbol.iterator]();
  }

  /** A copy, safe to iterate while entries leave. */
  toArray(): EntryRec[] {
    return this.items.slice();
  }

  private lowerBound(e: EntryRec): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (servedBefore(this.items[mid]!, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
