import type { Db } from './database.js';

/**
 * Group commit for the hot writers (the ledger, the leg tracker). A commit costs ~100 µs on a small server's disk,
 * more than everything else an event does, so the writes of one turn of the event loop share a transaction that
 * is committed as soon as the turn ends. Reads on this connection see the writes at once; other connections (and a
 * crash) see them a moment later, after at most one turn. Other code's transactions nest inside as savepoints.
 */
export function inTurnTransaction(db: Db): void {
  if (db.inTransaction) return;
  db.exec('BEGIN');
  setImmediate(() => {
    if (db.open && db.inTransaction) db.exec('COMMIT');
  });
}
