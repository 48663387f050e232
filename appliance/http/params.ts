import { NotFoundError } from '../errors.js';

/** A route's numeric id; anything else is a page that does not exist. */
export function idParam(raw: string | string[] | undefined, what: string): number {
  const s = Array.isArray(raw) ? raw[0] : raw;
  if (!s || !/^[1-9]\d{0,15}$/.test(s)) throw new NotFoundError(`${what}.not_found`, { id: s }, { message: `No such ${what}.` });
  return Number(s);
}

/** A group of checkboxes with one name posts a string for one ticked box and a list for several: always a list. */
export function listParam(v: unknown): unknown[] {
  return typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
}
