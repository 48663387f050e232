import { z } from 'zod';

export const POLICY_MODES = ['always', 'never', 'percent'] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];
/** call: from the moment the number answers (the IVR too); answer: from the agent's answer. */
export const POLICY_STARTS = ['call', 'answer'] as const;
export type PolicyStart = (typeof POLICY_STARTS)[number];

/** Which calls are recorded and how. Numbers, queues and agents each may name one; the most specific applies. */
export interface RecordingPolicy {
  id: number;
  name: string;
  mode: PolicyMode;
  /** 1-99 for a percent policy, else null. */
  percent: number | null;
  start: PolicyStart;
  /** Customer on the left channel, agent (or IVR) on the right. */
  stereo: boolean;
  /** Days a recording is kept; 0: until deleted by hand. */
  retentionDays: number;
  createdAt: string;
  updatedAt: string;
}

export const RECORDING_STATUSES = ['recording', 'stored', 'failed', 'deleted'] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

export interface Recording {
  id: number;
  callId: string;
  /** The customer's leg, which FreeSWITCH records. */
  legUuid: string;
  policyId: number | null;
  agentId: number | null;
  /** Relative to the data directory. */
  path: string;
  format: 'wav' | 'mp3';
  stereo: boolean;
  status: RecordingStatus;
  isPaused: boolean;
  startedAt: number;
  stoppedAt: number | null;
  durationMs: number | null;
  sizeBytes: number | null;
  deleteAfter: number | null;
  error: string | null;
}

const NO_CONTROL = /^[^\p{Cc}]*$/u;
const whole = (min: number, max: number, message: string) =>
  z.preprocess((v) => (typeof v === 'string' ? (v.trim() === '' ? NaN : Number(v.trim())) : v), z.number({ error: message }).int(message).min(min, message).max(max, message));

/** The policy form. A percent is asked for only when the mode is percent, and kept only then. */
export const PolicyInputSchema = z
  .object({
    name: z.string({ error: 'Enter a name.' }).trim().min(1, 'Enter a name.').max(60, 'Use at most 60 characters.').regex(NO_CONTROL, 'Control characters are not allowed.'),
    mode: z.enum(POLICY_MODES, { error: 'Choose which calls are recorded.' }),
    percent: z.unknown().optional(),
    start: z.enum(POLICY_STARTS, { error: 'Choose when recording starts.' }).default('answer'),
    stereo: z.preprocess((v) => v === 'on' || v === 'true' || v === true || v === '1', z.boolean()),
    retentionDays: whole(0, 3650, 'Use 1 to 3,650 days, or 0 to keep recordings until deleted by hand.'),
  })
  .superRefine((p, ctx) => {
    if (p.mode !== 'percent') return;
    const n = typeof p.percent === 'number' ? p.percent : typeof p.percent === 'string' && p.percent.trim() !== '' ? Number(p.percent.trim()) : NaN;
    if (!(Number.isInteger(n) && n >= 1 && n <= 99)) ctx.addIssue({ code: 'custom', path: ['percent'], message: 'Use 1 to 99 percent (or choose always or never).' });
  })
  .transform((p) => ({
    name: p.name,
    mode: p.mode,
    percent: p.mode === 'percent' ? Number(String(p.percent).trim()) : null,
    start: p.start,
    stereo: p.stereo,
    retentionDays: p.retentionDays,
  }));
export type PolicyInput = z.infer<typeof PolicyInputSchema>;

export const SettingsInputSchema = z.object({
  minFreeMb: whole(0, 10_485_760, 'Use 0 to 10,485,760 MB (0 turns the guard off).'),
});

/** Where a recording's decision came from, most specific first. */
export type PolicySource = 'agent' | 'queue' | 'number';
