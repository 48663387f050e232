import type { Flash, FlashKind, Session } from '../modules/auth/sessions.service.js';
import type { Actor, User } from '../modules/users/users.types.js';

declare global {
  namespace Express {
    interface Request {
      id: string;
      session?: Session;
      user?: User;
      /** The request carried the cookie of a signed-in session that has since ended. */
      sessionExpired: boolean;
      /** A multipart form whose `_csrf` field the upload reader checks (csrf.ts, multipart.ts). */
      csrfDeferred?: boolean;
      /** Start a new session (new token, new CSRF token), ending the current one: sign-in rotates. */
      startSession(userId: number | null, flash?: Flash[]): Session;
      /** A session for a page that shows a form to an anonymous visitor. */
      ensureSession(): Session;
      endSession(): void;
      flash(kind: FlashKind, text: string): void;
      actor(): Actor;
    }
  }
}
export {};
