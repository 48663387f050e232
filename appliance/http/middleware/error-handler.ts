import type { NextFunction, Request, Response } from 'express';
import { AppError, TooManyRequestsError } from '../../errors.js';
import type { Logger } from '../../logger.js';

interface Problem {
  status: number;
  code: string;
  message: string;
}

const TITLES: Record<number, string> = {
  403: 'Not allowed',
  404: 'Page not found',
  409: 'Not possible right now',
  413: 'Too large',
  429: 'Too many attempts',
};

const wantsJson = (req: Request) => req.path.startsWith('/api/') || req.path === '/healthz' || !req.accepts('html');

/** The one place errors become responses: a page for people, `{code, message}` for /api and JSON clients. */
export function errorHandler(log: Logger, bodyLimitKb: number) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const p = toProblem(err, bodyLimitKb);
    if (p.status >= 500) log.error({ err, reqId: req.id, method: req.method, url: req.originalUrl }, 'request failed');
    else log.debug({ code: p.code, reqId: req.id, url: req.originalUrl }, 'request refused');
    if (res.headersSent) return void res.end();
    if (err instanceof TooManyRequestsError) res.set('Retry-After', String(err.retryAfterSeconds));

    if (wantsJson(req)) {
      res.status(p.status).json({ code: p.code, message: p.message, ...(p.status >= 500 ? { requestId: req.id } : {}) });
      return;
    }
    if (p.status === 401 && req.method === 'GET') {
      if (p.code === 'auth.password_change_required') return void res.redirect(303, '/account/password');
      req.flash('info', p.message);
      return void res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    }
    if (p.status === 401) {
      req.flash('info', p.message);
      return void res.redirect(303, '/login');
    }
    const view = p.status === 404 ? 'errors/404' : p.status >= 500 ? 'errors/500' : 'errors/error';
    res.status(p.status).render(view, {
      title: TITLES[p.status] ?? (p.status >= 500 ? 'Something went wrong' : 'Request refused'),
      problem: p,
      requestId: req.id,
      layout: req.user && !req.user.mustChangePassword ? (req.user.role === 'agent' ? 'agent' : 'admin') : 'public',
    });
  };
}

function toProblem(err: unknown, bodyLimitKb: number): Problem {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message };
  const e = err as { status?: number; type?: string; message?: string };
  // body-parser's errors carry a status and a type: too large, malformed JSON, bad charset.
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    if (e.type === 'entity.too.large') {
      return { status: 413, code: 'request.too_large', message: `The request is too large (the limit is ${bodyLimitKb} KB). Nothing was saved.` };
    }
    return { status: e.status, code: `request.${e.type ?? 'invalid'}`.replace(/\s+/g, '_'), message: 'The request could not be read. Nothing was saved.' };
  }
  return { status: 500, code: 'internal', message: 'An unexpected error occurred. It has been logged.' };
}
