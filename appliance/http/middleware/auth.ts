import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../errors.js';
import type { Role, User } from '../../modules/users/users.types.js';

function signedInUser(req: Request): User {
  if (req.user) return req.user;
  throw new UnauthorizedError(req.sessionExpired ? 'auth.session_expired' : 'auth.required', {}, {
    message: req.sessionExpired ? 'Your session has ended. Sign in again.' : 'Sign in to continue.',
  });
}

/** Any signed-in user, even one who must still change their password (the page where they do it). */
export function requireSignedIn() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    signedInUser(req);
    next();
  };
}

/** Only signed-in users with one of these roles pass; a user who must change their password goes there first. */
export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const user = signedInUser(req);
    if (user.mustChangePassword) {
      throw new UnauthorizedError('auth.password_change_required', {}, { message: 'Choose a new password to continue.' });
    }
    if (roles.length && !roles.includes(user.role)) {
      throw new ForbiddenError('auth.forbidden', { role: user.role }, { message: 'Your role does not give access to this page.' });
    }
    next();
  };
}

/** The landing page of each role. */
export const homeFor = (role: Role): string => (role === 'agent' ? '/agent' : '/admin');
