import { Router, type Request } from 'express';
import { AppError, TooManyRequestsError, UnauthorizedError, ValidationError } from '../../errors.js';
import { homeFor, requireSignedIn } from '../../http/middleware/auth.js';
import type { UserService } from '../users/users.service.js';
import type { AuthService } from './auth.service.js';
import type { SetupService } from './setup.service.js';

/** Only a local path may follow sign-in: never another site, never a protocol-relative URL. */
export function safeNext(next: unknown, fallback: string): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) && !next.startsWith('/login') ? next : fallback;
}

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

export function authRoutes(d: { auth: AuthService; setup: SetupService; users: UserService }): Router {
  const r = Router();

  r.get('/login', (req, res) => {
    if (req.user) return res.redirect(303, homeFor(req.user.role));
    req.ensureSession();
    res.render('auth/login', { title: 'Sign in', layout: 'public', next: req.query.next, values: {} });
  });

  r.post('/login', async (req, res) => {
    const b = body(req);
    try {
      const user = await d.auth.login(b.username, b.password, req.ip ?? null);
      req.startSession(user.id);
      res.redirect(303, user.mustChangePassword ? '/account/password' : safeNext(b.next, homeFor(user.role)));
    } catch (e) {
      if (!(e instanceof UnauthorizedError || e instanceof TooManyRequestsError)) throw e;
      if (e instanceof TooManyRequestsError) res.set('Retry-After', String(e.retryAfterSeconds));
      res.status(e.status).render('auth/login', {
        title: 'Sign in',
        layout: 'public',
        next: b.next,
        values: { username: typeof b.username === 'string' ? b.username : '' },
        formError: e.message,
      });
    }
  });

  r.post('/logout', (req, res) => {
    req.endSession();
    req.startSession(null, [{ kind: 'success', text: 'You have signed out.' }]);
    res.redirect(303, '/login');
  });

  r.get('/setup/:token', (req, res) => {
    try {
      d.setup.check(req.params.token);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return res.status(e.status).render('auth/setup-invalid', { title: 'First-run setup', layout: 'public', message: e.message });
    }
    req.ensureSession();
    res.render('auth/setup', { title: 'First-run setup', layout: 'public', values: {}, token: req.params.token });
  });

  r.post('/setup/:token', async (req, res) => {
    try {
      const user = await d.setup.complete(req.params.token, body(req), req.ip ?? null);
      req.startSession(user.id, [{ kind: 'success', text: `Welcome, ${user.displayName}. Your admin account is ready.` }]);
      res.redirect(303, '/admin');
    } catch (e) {
      if (e instanceof ValidationError) {
        return res.status(422).render('auth/setup', { title: 'First-run setup', layout: 'public', values: body(req), errors: e.fields, token: req.params.token });
      }
      if (!(e instanceof AppError)) throw e;
      res.status(e.status).render('auth/setup-invalid', { title: 'First-run setup', layout: 'public', message: e.message });
    }
  });

  r.get('/account/password', requireSignedIn(), (req, res) => {
    res.render('account/password', { title: 'Change password', layout: layoutFor(req), mustChange: req.user!.mustChangePassword });
  });

  r.post('/account/password', requireSignedIn(), async (req, res) => {
    try {
      await d.users.changeOwnPassword(req.user!.id, body(req), req.actor(), req.session!.id);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return res.status(422).render('account/password', { title: 'Change password', layout: layoutFor(req), errors: e.fields, mustChange: req.user!.mustChangePassword });
    }
    req.flash('success', 'Your password has been changed. Other sessions of your account were signed out.');
    res.redirect(303, homeFor(req.user!.role));
  });

  return r;
}

const layoutFor = (req: Request) => (req.user!.mustChangePassword ? 'public' : req.user!.role === 'agent' ? 'agent' : 'admin');
