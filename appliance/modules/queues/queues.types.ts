import { z } from 'zod';
import { STRATEGY_NAMES, type Destination, type QueueConfig } from './engine/types.js';

/** Said after every change of routing configuration, so the ACD takes it without dropping live state. */
export interface ConfigChange {
  kind: 'queue' | 'agent';
  id: number;
  removed: boolean;
}

export const DESTINATION_KINDS = ['hangup', 'queue', 'flow', 'extension', 'voicemail'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];
/** The form fields naming a destination's target, by kind ('voicemail' uses the extension's). */
export const TARGET_FIELD = { queue: 'QueueId', flow: 'FlowId', extension: 'ExtensionId', voicemail: 'ExtensionId' } as const;
/** The two places a queue names a destination: field prefixes of the form. */
export const DESTINATION_SLOTS = ['overflow', 'full'] as const;
export type DestinationSlot = (typeof DESTINATION_SLOTS)[number];

export const EXIT_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'] as const;
export const EXIT_KINDS = ['voicemail', 'callback'] as const;
export const MAX_DISPOSITIONS = 20;
export const MAX_DISPOSITION_LENGTH = 40;

/** A queue as stored: what routing reads (QueueConfig), and what the runner plays and reports. */
export interface Queue extends QueueConfig {
  description: string;
  /** A music prompt of the library; null: the default hold music. */
  musicPromptId: number | null;
  /** Seconds between announcements; 0: never. */
  announceEveryS: number;
  announcePromptId: number | null;
  announcePosition: boolean;
  announceWait: boolean;
  /** Codes agents pick in wrap-up, in order. */
  dispositions: string[];
  /** The numbers its agents may show when they dial out (ours, marked as caller IDs). */
  callerIds: string[];
  /** A key the caller may press while waiting, and what it does; null when there is none. */
  exitKey: string | null;
  exitKind: 'voicemail' | 'callback' | null;
  /** The box the exit key leaves a voicemail in. */
  exitVoicemailExtensionId: number | null;
  /** Answered within this many seconds counts as within the service level. */
  serviceLevelS: number;
  /** The recording policy of its calls from the agent's answer (an agent's own policy comes first); null: none. */
  recordingPolicyId: number | null;
  createdAt: string;
  updatedAt: string;
}

const NO_CONTROL = /^[^\p{Cc}]*$/u;

/** A whole number in a range; missing takes the default (short forms), but an emptied field is an error. */
const whole = (min: number, max: number, message: string, fallback: number) =>
  z.preprocess((v) => (v === undefined ? fallback : typeof v === 'string' ? (v.trim() === '' ? NaN : Number(v.trim())) : v), z.number({ error: message }).int(message).min(min, message).max(max, message));
/** Empty: no limit (null). */
const limit = (min: number, max: number, message: string) =>
  z.preprocess((v) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? null : typeof v === 'string' ? Number(v.trim()) : v), z.number({ error: message }).int(message).min(min, message).max(max, message).nullable());
const optionalId = z.preprocess((v) => (v === undefined || v === null || v === '' ? null : typeof v === 'string' ? Number(v) : v), z.number({ error: 'Choose one from the list.' }).int('Choose one from the list.').positive('Choose one from the list.').nullable());
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true || v === '1', z.boolean());

const destinationKind = z.enum(DESTINATION_KINDS, { error: 'Choose where callers go.' }).default('hangup');

/** One per line; blank lines are dropped. */
const dispositionList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(/\r?\n/).map((s) => s.trim()).filter(Boolean) : Array.isArray(v) ? v : []),
  z.array(z.string()).superRefine((codes, ctx) => {
    if (codes.length > MAX_DISPOSITIONS) ctx.addIssue({ code: 'custom', message: `At most ${MAX_DISPOSITIONS} codes (there are ${codes.length}).` });
    const long = codes.find((c) => c.length > MAX_DISPOSITION_LENGTH);
    if (long) ctx.addIssue({ code: 'custom', message: `"${long.slice(0, 20)}…" is longer than ${MAX_DISPOSITION_LENGTH} characters.` });
    const bad = codes.find((c) => !NO_CONTROL.test(c));
    if (bad) ctx.addIssue({ code: 'custom', message: 'Control characters are not allowed.' });
    const seen = new Set<string>();
    for (const c of codes) {
      if (seen.has(c.toLowerCase())) ctx.addIssue({ code: 'custom', message: `"${c}" is listed twice.` });
      seen.add(c.toLowerCase());
    }
  }),
);

/**
 * The queue form. Field names are the form's; the output is the queue's configuration. A destination is a kind
 * and one picker per kind of target; the picker of the chosen kind must be filled, the others are ignored.
 */
export const QueueInputSchema = z
  .object({
    name: z.string({ error: 'Enter a name.' }).trim().min(1, 'Enter a name.').max(60, 'Use at most 60 characters.').regex(NO_CONTROL, 'Control characters are not allowed.'),
    description: z.string().trim().max(300, 'Use at most 300 characters.').regex(NO_CONTROL, 'Control characters are not allowed.').default(''),
    strategy: z.enum(STRATEGY_NAMES as [string, ...string[]], { error: 'Choose how calls are given to agents.' }).default('longest_idle'),
    skillId: optionalId,
    musicPromptId: optionalId,
    announceEveryS: z.preprocess(
      (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? 0 : typeof v === 'string' ? Number(v.trim()) : v),
      z.number({ error: 'Use 0 (never) or 15 to 600 seconds.' }).int('Use 0 (never) or 15 to 600 seconds.').refine((n) => n === 0 || (n >= 15 && n <= 600), 'Use 0 (never) or 15 to 600 seconds.'),
    ),
    announcePromptId: optionalId,
    announcePosition: checkbox,
    announceWait: checkbox,
    ringTimeoutS: whole(1, 90, 'Use 1 to 90 seconds.', 20),
    wrapUp: z.enum(['timed', 'until_ready'], { error: 'Choose how wrap-up ends.' }).default('timed'),
    wrapUpS: z.preprocess((v) => (v === undefined ? 10 : v), z.unknown()),
    requireDisposition: checkbox,
    dispositions: dispositionList,
    callerIds: z.preprocess(
      (v) => (typeof v === 'string' ? v.split(/[\r\n,]+/).map((x) => x.trim()).filter(Boolean) : Array.isArray(v) ? v : []),
      z.array(z.string().regex(/^\+?[0-9]{2,20}$/, 'One number per line: digits, optionally after a +.')).max(20, 'At most 20 numbers.'),
    ),
    missesBeforeBreak: whole(1, 10, 'Use 1 to 10.', 1),
    stickyWindowMin: whole(1, 43200, 'Use 1 to 43,200 minutes (30 days).', 1440),
    maxWaitS: limit(10, 86400, 'Use 10 to 86,400 seconds, or leave empty for no limit.'),
    overflowKind: destinationKind,
    overflowQueueId: optionalId,
    overflowFlowId: optionalId,
    overflowExtensionId: optionalId,
    maxLength: limit(1, 10000, 'Use 1 to 10,000 callers, or leave empty for no limit.'),
    fullKind: destinationKind,
    fullQueueId: optionalId,
    fullFlowId: optionalId,
    fullExtensionId: optionalId,
    noAgents: z.enum(['wait', 'overflow'], { error: 'Choose what happens when nobody is logged in.' }).default('wait'),
    exitKey: z.preprocess((v) => (v === undefined || v === '' ? null : v), z.enum(EXIT_KEYS, { error: 'Choose a key from the list.' }).nullable()),
    exitKind: z.preprocess((v) => (v === undefined || v === '' ? null : v), z.enum(EXIT_KINDS, { error: 'Choose what the key does.' }).nullable()),
    exitExtensionId: optionalId,
    serviceLevelS: whole(1, 3600, 'Use 1 to 3,600 seconds.', 20),
    recordingPolicyId: optionalId,
  })
  .superRefine((q, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const form = q as Record<string, unknown>;
    for (const slot of DESTINATION_SLOTS) {
      const kind = form[`${slot}Kind`] as DestinationKind;
      if (kind !== 'hangup' && form[`${slot}${TARGET_FIELD[kind]}`] === null) issue(`${slot}${TARGET_FIELD[kind]}`, kind === 'queue' ? 'Choose a queue.' : kind === 'flow' ? 'Choose a flow.' : 'Choose an extension.');
    }
    if (q.wrapUp === 'timed') {
      const raw = q.wrapUpS;
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN;
      if (!(Number.isInteger(n) && n >= 0 && n <= 600)) issue('wrapUpS', 'Use 0 to 600 seconds (0: straight back to ready).');
    }
    if (q.announceEveryS > 0 && !q.announcePromptId && !q.announcePosition && !q.announceWait) issue('announceEveryS', 'Choose what to announce: a prompt, the caller\'s position or the expected wait (or 0 for no announcements).');
    if (q.requireDisposition && q.dispositions.length === 0) issue('dispositions', 'List the codes agents choose from: a disposition cannot be required without them.');
    if (q.exitKey !== null && q.exitKind === null) issue('exitKind', 'Choose what the key does.');
    if (q.exitKind !== null && q.exitKey === null) issue('exitKey', 'Choose the key callers press.');
    if (q.exitKind === 'voicemail' && q.exitExtensionId === null) issue('exitExtensionId', 'Choose the extension whose voicemail box takes the message.');
    if (q.strategy === 'skills' && q.skillId === null) issue('skillId', 'Skills-based routing ranks agents by their level in the required skill: choose one.');
  })
  .transform((q) => {
    const form = q as Record<string, unknown>;
    const destination = (slot: DestinationSlot): Destination => {
      const kind = form[`${slot}Kind`] as DestinationKind;
      const target = kind === 'hangup' ? 0 : (form[`${slot}${TARGET_FIELD[kind]}`] as number);
      if (kind === 'queue') return { kind, queueId: target };
      if (kind === 'flow') return { kind, flowId: target };
      if (kind === 'extension' || kind === 'voicemail') return { kind, extensionId: target };
      return { kind: 'hangup' };
    };
    const exit = q.exitKey !== null && q.exitKind !== null;
    return {
      name: q.name,
      description: q.description,
      strategy: q.strategy as Queue['strategy'],
      skillId: q.skillId,
      musicPromptId: q.musicPromptId,
      announceEveryS: q.announceEveryS,
      announcePromptId: q.announcePromptId,
      announcePosition: q.announcePosition,
      announceWait: q.announceWait,
      ringTimeoutS: q.ringTimeoutS,
      wrapUpS: q.wrapUp === 'timed' ? Number(q.wrapUpS) : null,
      requireDisposition: q.requireDisposition,
      dispositions: q.dispositions,
      callerIds: [...new Set(q.callerIds)],
      missesBeforeBreak: q.missesBeforeBreak,
      stickyWindowS: q.stickyWindowMin * 60,
      maxWaitS: q.maxWaitS,
      overflow: destination('overflow'),
      maxLength: q.maxLength,
      whenFull: destination('full'),
      noAgents: q.noAgents,
      exitKey: exit ? q.exitKey : null,
      exitKind: exit ? q.exitKind : null,
      exitVoicemailExtensionId: exit && q.exitKind === 'voicemail' ? q.exitExtensionId : null,
      serviceLevelS: q.serviceLevelS,
      recordingPolicyId: q.recordingPolicyId,
    };
  });
export type QueueInput = z.infer<typeof QueueInputSchema>;

export const QueueFilterSchema = z.object({
  q: z.string().trim().max(60).optional().catch(undefined),
  strategy: z.enum(STRATEGY_NAMES as [string, ...string[]]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
});
export type QueueFilter = z.infer<typeof QueueFilterSchema>;
