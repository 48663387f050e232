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
  createdAt: string;
  updatedAt: string;
}

const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true || v === '1', z.boolean());

// An extension number or an outside number (which then goes out through the routes, with this extension's class).
const forward = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : (v ?? null)),
  z.string().regex(/^\+?[0-9]{2,20}$/, 'Enter an extension or a phone number (digits, optionally after a +).').nullable(),
);

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
}).superRefine((e, ctx) => {
  for (const key of ['forwardAlways', 'forwardBusy', 'forwardNoAnswer'] as const) {
    if (e[key] === e.number) ctx.addIssue({ code: 'custom', path: [key], message: 'An extension cannot forward to itself.' });
  }
});
export type ExtensionInput = z.infer<typeof ExtensionInputSchema>;

export const ExtensionFilterSchema = z.object({
  q: z.string().trim().max(60).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
});
