import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError } from '../../errors.js';
import { sameToken } from '../../modules/auth/tokens.js';
import { isMultipart } from '../multipart.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Synchronizer-token CSRF protection: every state-changing request carries the session's token in the form
 * field `_csrf` or the `X-CSRF-Token` header. SameSite=Lax cookies are a second line, not the only one.
 */
export function csrfProtection(o: { multipartPaths?: readonly string[] } = {}) {
  const deferred = new Set(o.multipartPaths ?? []);
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (SAFE.has(req.method)) return next();
    const body = req.body as Record<string, unknown> | undefined;
    const sent = body?._csrf ?? req.get('x-csrf-token');
    // CASE: a file upload without JavaScript. Its body is a stream only the upload's route reads, so that route's
    // reader checks the form's token before it keeps a byte. Only the paths named here; any other multipart post
    // without the header is refused below, as its body was never parsed.
    if (sent === undefined && req.session && deferred.has(req.path) && isMultipart(req)) {
      req.csrfDeferred = true;
      return next();
    }
    if (!req.session || typeof sent !== 'string' || !sameToken(sent, req.session.csrfToken)) {
      throw new ForbiddenError('csrf.invalid', {}, {
        message: 'This form has expired or was not sent from this Callbox console. Go back, reload the page and try again.',
      });
    }
    next();
  };
}
