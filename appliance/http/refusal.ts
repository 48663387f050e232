import type { Request, Response } from 'express';
import { ConflictError } from '../errors.js';

/**
 * Make a change that may be refused because something still uses what it touches (ConflictError): then
 * the refusal, which names the users, is shown on the page the request came from. True when it was done.
 */
export function unlessRefused(req: Request, res: Response, back: string, change: () => void): boolean {
  try {
    change();
    return true;
  } catch (e) {
    if (!(e instanceof ConflictError)) throw e;
    req.flash('error', e.message);
    res.redirect(303, back);
    return false;
  }
}
