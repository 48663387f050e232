import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { createSessionRepository, type SessionRepository, type SessionRow } from './sessions.repository.js';
import { hashToken, randomToken } from './tokens.js';

export type FlashKind = 'success' | 'error' | 'info';
export interface Flash {
  kind: FlashKind;
  text: string;
}

export interface Session {
  id: number;
  userId: number | null;
  csrfToken: string;
  flash: Flash[];
  lastSeenAt: number;
}

export type Resolved = { session: Session } | { expired: boolean };

/** A visitor who never signs in keeps the session of the login form for this long. */
const ANONYMOUS_MS = 2 * 60 * 60 * 1000;
/** last_seen_at is written at most this often: a page load should not always cost a write. */
const TOUCH_EVERY_MS = 60 * 1000;

/**
 * Server-side sessions in SQLite. The browser holds a random token; the database holds its HMAC, the user,
 * the CSRF token and pending flash messages. Sessions end when idle too long or past their absolute age.
 */
export class SessionService {
  private readonly repo: SessionRepository;
  private readonly idleMs: number;
  private readonly absoluteMs: number;

  constructor(private readonly d: { db: Db; clock: Clock; secret: string; idleMinutes: number; absoluteHours: number }) {
    this.repo = createSessionRepository(d.db);
    this.idleMs = d.idleMinutes * 60 * 1000;
    this.absoluteMs = d.absoluteHours * 60 * 60 * 1000;
  }

  /** A new session; its token goes into the cookie and is never stored. */
  create(userId: number | null, meta: { ip: string | null; userAgent: string | null }, flash: Flash[] = []): { token: string; session: Session } {
    const token = randomToken();
    const now = this.d.clock.now();
    const expiresAt = now + (userId === null ? ANONYMOUS_MS : this.absoluteMs);
    const csrfToken = randomToken();
    const id = this.repo.insert({
      tokenHash: hashToken(this.d.secret, token),
      userId,
      csrfToken,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      now: new Date(now).toISOString(),
      expiresAt: new Date(expiresAt).toISOString(),
    });
    if (flash.length) this.repo.setFlash(id, JSON.stringify(flash));
    return { token, session: { id, userId, csrfToken, flash, lastSeenAt: now } };
  }

  /** Look a cookie's token up. `expired` is true when it named a signed-in session that has since ended. */
  resolve(token: string): Resolved {
    const row = this.repo.findByHash(hashToken(this.d.secret, token));
    if (!row) return { expired: false };
    const now = this.d.clock.now();
    const lastSeen = Date.parse(row.last_seen_at);
    const idleLimit = row.user_id === null ? ANONYMOUS_MS : this.idleMs;
    if (Date.parse(row.expires_at) <= now || now - lastSeen >= idleLimit) {
      this.repo.delete(row.id);
      return { expired: row.user_id !== null };
    }
    if (now - lastSeen >= TOUCH_EVERY_MS) this.repo.touch(row.id, new Date(now).toISOString());
    return { session: toSession(row) };
  }

  destroy(id: number): void {
    this.repo.delete(id);
  }

  /** End every session of a user, except the one named (the page that changed its own password). */
  endAllFor(userId: number, exceptId?: number): number {
    return this.repo.deleteForUser(userId, exceptId ?? null);
  }

  setFlash(id: number, flash: Flash[]): void {
    this.repo.setFlash(id, flash.length ? JSON.stringify(flash) : null);
  }

  countSignedIn(): number {
    return this.repo.countSignedIn(new Date(this.d.clock.now()).toISOString());
  }

  /** Delete ended sessions; run by a scheduled job. */
  purgeExpired(): number {
    const now = this.d.clock.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    return this.repo.purge(iso(now), iso(now - this.idleMs), iso(now - ANONYMOUS_MS));
  }
}

function toSession(r: SessionRow): Session {
  return {
    id: r.id,
    userId: r.user_id,
    csrfToken: r.csrf_token,
    flash: r.flash ? (JSON.parse(r.flash) as Flash[]) : [],
    lastSeenAt: Date.parse(r.last_seen_at),
  };
}
