import { systemClock } from '../../../clock.js';
import type { Db } from '../../../db/database.js';
import type { SwitchPort } from '../../../freeswitch/switch.port.js';
import { silentLogger } from '../../../logger.js';
import { Ledger } from '../../ledger/ledger.js';
import { LegTracker } from '../leg-tracker.js';
import { CallRecords } from '../records.service.js';
import type { CallRecord } from '../records.types.js';

/**
 * For the real-switch tier: the leg tracker and the call records over a test's database. Records are read by
 * rebuilding them from the ledger first, since the test's other modules write entries through their own ledgers:
 * what a test checks is what the ledger says, which is the contract anyway.
 */
export function recordsOnSwitch(sw: SwitchPort, db: Db) {
  const ledger = new Ledger(db);
  const records = new CallRecords({ db, ledger, log: silentLogger() });
  const tracker = new LegTracker({ sw, ledger, db, clock: systemClock, log: silentLogger() });
  tracker.start();
  return {
    ledger,
    record(callId: string): CallRecord | null {
      records.rebuild();
      return records.get(callId);
    },
    /** The records of calls that began at or after `since` (ms), oldest first. */
    since(since: number): CallRecord[] {
      records.rebuild();
      const ids = db.prepare<[number], string>('SELECT call_id FROM call_records WHERE started_at >= ? ORDER BY started_at, call_id').pluck().all(since);
      return ids.map((id) => records.get(id)!);
    },
    stop() {
      tracker.stop();
      records.stop();
    },
  };
}
