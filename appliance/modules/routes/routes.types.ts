import { z } from 'zod';

export const ROUTE_CLASSES = ['local', 'national', 'international'] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];

export interface OutboundRoute {
  id: number;
  name: string;
  position: number;
  pattern: string;
  strip: number;
  prepend: string;
  callClass: RouteClass;
  trunkIds: number[];
  callerIdNumberId: number;
  isEnabled: boolean;
}

export interface OutboundPolicy {
  allowInternational: boolean;
  premiumPrefixes: string[];
  emergencyNumbers: string[];
  extensionConcurrent: number;
  extensionPerHour: number;
  globalConcurrent: number;
  globalPerHour: number;
}

const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true || v === '1', z.boolean());
const list = (re: RegExp, msg: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : (v ?? [])), z.array(z.string().regex(re, msg)).max(50));
const count = (lo: number, hi: number) => z.coerce.number({ error: `Use ${lo} to ${hi}.` }).int(`Use ${lo} to ${hi}.`).min(lo, `Use ${lo} to ${hi}.`).max(hi, `Use ${lo} to ${hi}.`);

export const RouteInputSchema = z.object({
  name: z.string({ error: 'Enter a name.' }).trim().min(1, 'Enter a name.').max(60).regex(/^[^\p{Cc}<>"]*$/u, 'Quotes, angle brackets and control characters are not allowed.'),
  position: count(1, 999),
  pattern: z
    .string({ error: 'Enter a dial pattern.' })
    .trim()
    .regex(/^\+?[0-9XZN]{1,20}\.?$/, 'Use digits, X (any digit), Z (1-9), N (2-9), an optional leading + and an optional trailing . (more digits).'),
  strip: count(0, 15),
  prepend: z.string().trim().regex(/^\+?[0-9]{0,10}$/, 'Use up to 10 digits, optionally after a +.').default(''),
  callClass: z.enum(ROUTE_CLASSES, { error: 'Choose the kind of calls this route carries.' }),
  trunkIds: z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : (v ?? [])), z.array(z.coerce.number().int().positive()).min(1, 'Choose at least one trunk.').max(5, 'Use at most 5 trunks.')),
  callerIdNumberId: z.coerce.number({ error: 'Choose the number callers see.' }).int().positive('Choose the number callers see.'),
  isEnabled: checkbox,
});
export type RouteInput = z.infer<typeof RouteInputSchema>;

export const PolicyInputSchema = z.object({
  allowInternational: checkbox,
  premiumPrefixes: list(/^\+?[0-9]{2,10}$/, 'Prefixes are 2 to 10 digits, optionally after a +.'),
  emergencyNumbers: list(/^[0-9]{2,6}$/, 'Emergency numbers are 2 to 6 digits.'),
  extensionConcurrent: count(1, 100),
  extensionPerHour: count(1, 10000),
  globalConcurrent: count(1, 10000),
  globalPerHour: count(1, 1000000),
});

/** A dial pattern as an anchored regular expression: it is made only of checked characters. */
export function patternToRegex(pattern: string): string {
  let re = '^';
  for (const ch of pattern) {
    if (ch === '+') re += '\\+';
    else if (ch === 'X') re += '[0-9]';
    else if (ch === 'Z') re += '[1-9]';
    else if (ch === 'N') re += '[2-9]';
    else if (ch === '.') re += '[0-9]+';
    else re += ch;
  }
  return `${re}$`;
}
