import type { z } from 'zod';
import { ValidationError } from './errors.js';

/** Parse input at a service boundary; a zod failure becomes a ValidationError naming each bad field once. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, code = 'validation.failed'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(code, fieldErrors(result.error), 'Some fields need attention.');
}

/** A zod failure as one message per form field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    // Forms are flat: an error inside a list field (premiumPrefixes.2) belongs to the field itself.
    const key = issue.path.length ? String(issue.path[0]) : '_form';
    fields[key] ??= issue.message;
  }
  return fields;
}

/** HTML forms send strings; an unchecked checkbox sends nothing. */
export const formBoolean = (v: unknown): boolean => v === 'on' || v === 'true' || v === '1' || v === true;
