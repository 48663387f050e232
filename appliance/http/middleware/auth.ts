import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../errors.js';
import type { Role } from '../../modules/users/users.types.js';

/** Any signed-in user, even one who must still change their password (the page where they do it). */
export function requireSignedIn() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!req.user) {
      throw new UnauthorizedError(req.sessionExpired ? 'auth.session_expired' : 'auth.required', {}, {
        message: req.sessionExpired ? 'Your session has ended. Sign in again.' : 'Sign in to continue.',
      });
    }
    next();
  };
}

/** Only signed-in users with one of these roles pass; a user who must change their password goes there first. */
export function requireRole(...roles: Role[]) {
  const signedIn = requireSignedIn();
  return (req: Request, res: Response, next: NextFunction): void => {
    signedIn(req, res, () => undefined);
    if (req.user!.mustChangePassword) {
      throw new UnauthorizedError('auth.password_change_required', {}, { message: 'Choose a new password to continue.' });
    }
    if (roles.length && !roles.includes(req.user!.role)) {
      throw new ForbiddenError('auth.forbidden', { role: req.user!.role }, { message: 'Your role does not give access to this page.' });
    }
    next();
  };
}

/** The landing page of each role. */
export const homeFor = (role: Role): string => (role === 'agent' ? '/agent' : '/admin');
