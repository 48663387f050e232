import { z } from 'zod';

export const CALL_CLASSES = ['internal', 'local', 'national', 'international'] as const;
export type CallClass = (typeof CALL_CLASSES)[number];

export interface Extension {
  id: number;
  number: string;
  displayName: string;
  dnd: boolean;
  isEnabled: boolean;
  /** What it may dial outside: internal only, local, national, or international (when the policy allows). */
  callClass: CallClass;
  /** Where calls go instead: always, when busy (or on do-not-disturb), when not answered in time. */
  forwardAlways: string | null;
  forwardBusy: string | null;
  forwardNoAnswer: string | null;
  noAnswerSeconds: number;
  /** A voicemail box takes calls it does not (busy, no answer, do-not-disturb) unless forwarding does. */
  voicemailEnabled: boolean;
  /** Whether a PIN is set; the PIN itself stays out of everything but the generated directory. */
  hasVoicemailPin: boolean;
  /** Own outbound limits; null follows the outbound policy. */
  outConcurrent: number | null;
  outPerHour: number | null;
  /** Browser phone allowed: its agent's page may register as this extension through the controller's SIP proxy. */
  browserPhone: boolean;
  createdAt: string;
  updatedAt: string;
}

const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true || v === '1', z.boolean());

// An extension number or an outside number (which then goes out through the routes, with this extension's class).
const forward = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : (v ?? null)),
  z.string().regex(/^\+?[0-9]{2,20}$/, 'Enter an extension or a phone number (digits, optionally after a +).').nullable(),
);

// Empty means "follow the policy".
const limit = (max: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined || v === null ? null : v),
    z.coerce.number({ error: `Use 1 to ${max}, or leave empty to follow the outbound policy.` }).int(`Use 1 to ${max}, or leave empty to follow the outbound policy.`).min(1, `Use 1 to ${max}, or leave empty to follow the outbound policy.`).max(max, `Use 1 to ${max}, or leave empty to follow the outbound policy.`).nullable(),
  );

/** Why a PIN is refused, or null: 4 to 10 digits that are not trivially guessed. */
export function pinProblem(pin: string, extension: string): string | null {
  if (!/^[0-9]{4,10}$/.test(pin)) return 'Use 4 to 10 digits.';
  if (/^(.)\1+$/.test(pin)) return 'Not one digit repeated: that is the first PIN anyone tries.';
  const steps = [...pin].slice(1).map((d, i) => Number(d) - Number(pin[i]));
  if (steps.every((s) => s === 1) || steps.every((s) => s === -1)) return 'Not a run of digits like 1234: that is the second PIN anyone tries.';
  if (pin === extension) return 'Not the extension number itself.';
  return null;
}

export const ExtensionInputSchema = z.object({
  number: z
    .string({ error: 'Enter an extension number.' })
    .trim()
    .regex(/^[1-9][0-9]{1,5}$/, 'Use 2 to 6 digits, not starting with 0.'),
  displayName: z
    .string({ error: 'Enter a name.' })
    .trim()
    .min(1, 'Enter a name.')
    .max(60, 'Use at most 60 characters.')
    // The name travels as caller ID in SIP headers and in the generated XML: printable text only.
    .regex(/^[^\p{Cc}"<>\\]*$/u, 'Quotes, angle brackets, backslashes and control characters are not allowed.'),
  dnd: checkbox,
  isEnabled: checkbox,
  callClass: z.enum(CALL_CLASSES, { error: 'Choose what this extension may call.' }).default('national'),
  forwardAlways: forward,
  forwardBusy: forward,
  forwardNoAnswer: forward,
  noAnswerSeconds: z.coerce.number().int('Use 5 to 120 seconds.').min(5, 'Use 5 to 120 seconds.').max(120, 'Use 5 to 120 seconds.').default(20),
  voicemailEnabled: checkbox,
  // Write-only: empty keeps the PIN the box has.
  voicemailPin: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), z.string().optional()),
  outConcurrent: limit(100),
  outPerHour: limit(10000),
  browserPhone: checkbox,
}).superRefine((e, ctx) => {
  if (e.voicemailPin !== undefined) {
    const problem = pinProblem(e.voicemailPin, e.number);
    if (problem) ctx.addIssue({ code: 'custom', path: ['voicemailPin'], message: problem });
  }
  for (const key of ['forwardAlways', 'forwardBusy', 'forwardNoAnswer'] as const) {
    if (e[key] === e.number) ctx.addIssue({ code: 'custom', path: [key], message: 'An extension cannot forward to itself.' });
  }
});
export type ExtensionInput = z.infer<typeof ExtensionInputSchema>;

export const ExtensionFilterSchema = z.object({
  q: z.string().trim().max(60).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
});
