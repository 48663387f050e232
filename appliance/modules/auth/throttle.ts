import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';

interface ThrottleRow {
  key: string;
  failures: number;
  window_start: string;
  locked_until: string | null;
}

export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/**
 * Counts failed sign-ins per key (a username, an IP address) in a window; at the limit the key is locked for
 * a while. Counting unknown usernames too means a lockout says nothing about which accounts exist.
 */
export function createLoginThrottle(db: Db, clock: Clock) {
  const get = db.prepare<[string], ThrottleRow>('SELECT * FROM login_throttle WHERE key = ?');
  const put = db.prepare(`INSERT INTO login_throttle (key, failures, window_start, locked_until)
    VALUES (@key, @failures, @windowStart, @lockedUntil)
    ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
    locked_until = excluded.locked_until`);
  const del = db.prepare('DELETE FROM login_throttle WHERE key = ?');
  const purge = db.prepare('DELETE FROM login_throttle WHERE window_start < ? AND (locked_until IS NULL OR locked_until < ?)');

  return {
    /** Seconds until the longest lock among the keys ends, or 0 when none is locked. */
    lockedFor(keys: string[]): number {
      const now = clock.now();
      let worst = 0;
      for (const k of keys) {
        const until = get.get(k)?.locked_until;
        if (until) worst = Math.max(worst, Date.parse(until) - now);
      }
      return worst > 0 ? Math.ceil(worst / 1000) : 0;
    },
    /** Count a failure; true when this failure locked the key. */
    fail(key: string, rule: ThrottleRule): boolean {
      const now = clock.now();
      const row = get.get(key);
      const fresh = !row || now - Date.parse(row.window_start) >= rule.windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const locks = failures >= rule.maxFailures;
      put.run({
        key,
        failures: locks ? 0 : failures,
        windowStart: fresh || locks ? new Date(now).toISOString() : row.window_start,
        lockedUntil: locks ? new Date(now + rule.lockMs).toISOString() : (row?.locked_until ?? null),
      });
      return locks;
    },
    clear(key: string): void {
      del.run(key);
    },
    purge(olderThanMs: number): number {
      const cutoff = new Date(clock.now() - olderThanMs).toISOString();
      return purge.run(cutoff, new Date(clock.now()).toISOString()).changes;
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
