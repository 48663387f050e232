import type { Db } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { Ledger } from '../ledger/ledger.js';
import { deriveRecord } from './derive.js';
import { RecordStore } from './records.store.js';
import type { CallRecord } from './records.types.js';

const SLICE_MS = 8;

/**
 * Keeps the call records in step with the ledger. Each entry of a call marks the call; a second later (or on
 * flush) its record is derived again from all of its entries and saved, so a record is never patched, always
 * rebuilt, and a live call shows as in progress.
 */
export class CallRecords {
  readonly store: RecordStore;
  private readonly dirty = new Set<string>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly callsAfter;
  private stopped = false;

  constructor(private readonly d: { db: Db; ledger: Ledger; log: Logger; delayMs?: number }) {
    this.store = new RecordStore(d.db);
    this.callsAfter = d.db.prepare<[string, number], string>('SELECT DISTINCT call_id FROM ledger WHERE call_id > ? ORDER BY call_id LIMIT ?').pluck();
    d.ledger.onAppend((e) => {
      if (e.callId) this.mark(e.callId);
    });
  }

  private mark(callId: string): void {
    if (this.stopped) return;
    this.dirty.add(callId);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.take();
      this.drain();
    }, this.d.delayMs ?? 1000).unref();
  }

  /** The calls marked so far become the batch to derive; later marks wait for the next one. */
  private take(): void {
    for (const id of this.dirty) this.pending.add(id);
    this.dirty.clear();
  }

  /** Derive the batch in slices of a few milliseconds, so that the ACD's and the flows' reactions never wait behind it. */
  private drain(): void {
    this.derive(SLICE_MS);
    if (this.pending.size) setImmediate(() => this.drain()).unref();
  }

  /** Derive and save the records of every call that changed, now. */
  flush(): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.take();
    return this.derive(Infinity);
  }

  private derive(budgetMs: number): number {
    // The database may already be closed when the appliance shuts down; the ledger has it all for a rebuild.
    if (!this.d.db.open) return 0;
    const until = performance.now() + budgetMs;
    let n = 0;
    this.d.db.transaction(() => {
      for (const id of this.pending) {
        this.pending.delete(id);
        try {
          const r = deriveRecord(this.d.ledger.forCall(id));
          if (r) {
            this.store.save(r);
            n++;
          }
        } catch (err) {
          this.d.log.error({ err, callId: id }, 'a call record could not be derived');
        }
        if (performance.now() >= until) break;
      }
    })();
    return n;
  }

  get(callId: string): CallRecord | null {
    return this.store.get(callId);
  }

  /** Throw every record away and derive them all again from the ledger. Returns how many calls were derived. */
  rebuild(): number {
    this.dirty.clear();
    this.pending.clear();
    let n = 0;
    this.d.db.transaction(() => {
      this.store.clear();
      // Call by call, a thousand ids at a time (a statement cannot run while another is being iterated).
      for (let after = '', ids = this.callsAfter.all(after, 1000); ids.length; after = ids.at(-1)!, ids = this.callsAfter.all(after, 1000)) {
        for (const id of ids) {
          const r = deriveRecord(this.d.ledger.forCall(id));
          if (r) {
            this.store.save(r);
            n++;
          }
        }
      }
    })();
    return n;
  }

  stop(): void {
    this.flush();
    this.stopped = true;
  }
}
