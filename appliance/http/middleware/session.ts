import type { CookieOptions, NextFunction, Request, Response } from 'express';
import type { SessionService } from '../../modules/auth/sessions.service.js';
import type { UserService } from '../../modules/users/users.service.js';

export const SESSION_COOKIE = 'callbox_sid';

/** Attach the session and the signed-in user to each request, and the helpers that change them. */
export function sessionMiddleware(d: { sessions: SessionService; users: UserService; secureCookies: boolean; absoluteHours: number }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    req.sessionExpired = false;
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) {
      const r = d.sessions.resolve(token);
      if ('session' in r) {
        req.session = r.session;
        if (r.session.userId !== null) {
          const user = d.users.find(r.session.userId);
          // CASE: the account was disabled or deleted while signed in: the session ends now.
          if (user && !user.isDisabled) req.user = user;
          else {
            d.sessions.destroy(r.session.id);
            delete req.session;
            req.sessionExpired = true;
          }
        }
      } else {
        req.sessionExpired = r.expired;
      }
    }

    const meta = () => ({ ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null });
    req.startSession = (userId, flash = []) => {
      if (req.session) d.sessions.destroy(req.session.id);
      const { token: fresh, session } = d.sessions.create(userId, meta(), flash);
      req.session = session;
      const opts: CookieOptions = { httpOnly: true, sameSite: 'lax', secure: d.secureCookies, path: '/' };
      // Signed-in sessions outlive a browser restart up to their absolute age; anonymous ones do not.
      if (userId !== null) opts.maxAge = d.absoluteHours * 3600 * 1000;
      res.cookie(SESSION_COOKIE, fresh, opts);
      return session;
    };
    req.ensureSession = () => req.session ?? req.startSession(null);
    req.endSession = () => {
      if (req.session) d.sessions.destroy(req.session.id);
      delete req.session;
      delete req.user;
      res.clearCookie(SESSION_COOKIE, { path: '/' });
    };
    req.flash = (kind, text) => {
      const s = req.ensureSession();
      s.flash.push({ kind, text });
      d.sessions.setFlash(s.id, s.flash);
    };
    req.actor = () => ({ userId: req.user?.id ?? null, name: req.user?.username ?? 'anonymous', ip: req.ip ?? null });

    // Flash messages are shown by the next page rendered, then forgotten.
    const render = res.render.bind(res);
    res.render = ((view: string, options?: object, cb?: (err: Error, html: string) => void) => {
      const s = req.session;
      if (s && s.flash.length) {
        res.locals.flash = s.flash;
        s.flash = [];
        d.sessions.setFlash(s.id, []);
      }
      res.locals.csrfToken = req.session?.csrfToken;
      render(view, options ?? {}, cb);
    }) as Response['render'];
    next();
  };
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(v) ? v : undefined;
    }
  }
  return undefined;
}
