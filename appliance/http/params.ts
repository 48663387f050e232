import { NotFoundError } from '../errors.js';

/** A route's numeric id; anything else is a page that does not exist. */
export function idParam(raw: string | string[] | undefined, what: string): number {
  const s = Array.isArray(raw) ? raw[0] : raw;
  if (!s || !/^[1-9]\d{0,15}$/.test(s)) throw new NotFoundError(`${what}.not_found`, { id: s }, { message: `No such ${what}.` });
  return Number(s);
}
