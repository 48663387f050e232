import { z } from 'zod';

/**
 * The call fields a pop can send, named exactly as Huawei CEC sends them (case matters to existing CRM pages):
 * Table 2-1 has the first six, Table 3-1 (POST) adds the last three.
 */
export const CALL_FIELDS = ['callerNum', 'calledNum', 'callid', 'mediaType', 'callType', 'workNo', 'callskill', 'callskillid', 'agentName'] as const;
export type CallField = (typeof CALL_FIELDS)[number];
/** What a GET pop sends when no parameters are mapped (Table 2-1). */
export const GET_DEFAULTS: readonly CallField[] = CALL_FIELDS.slice(0, 6);
/** What a POST pop sends when no parameters are mapped (Table 3-1). */
export const POST_DEFAULTS: readonly CallField[] = CALL_FIELDS;

export const OPEN_MODES = ['embed', 'window'] as const;
export const INTEGRATIONS = ['get', 'post', 'webapi'] as const;
export const TRIGGERS = ['answer', 'ring'] as const;
export type OpenMode = (typeof OPEN_MODES)[number];
export type Integration = (typeof INTEGRATIONS)[number];
export type Trigger = (typeof TRIGGERS)[number];

/** One parameter a pop sends: its name on the page, and where its value comes from. */
export interface PopParam {
  name: string;
  /** call: one of CALL_FIELDS; var: a variable the call's flow collected (Huawei's "attached data"). */
  source: 'call' | 'var';
  key: string;
}

export interface ScreenPop {
  id: number;
  name: string;
  url: string;
  openMode: OpenMode;
  integration: Integration;
  trigger: Trigger;
  isEnabled: boolean;
  sortOrder: number;
  /** Empty: the defaults of the integration are sent. */
  params: PopParam[];
  createdAt: string;
  updatedAt: string;
}

/** The call a pop is built for. mediaType is not here: Callbox calls are voice (1 in URLs, 'audio' in events). */
export interface PopCall {
  callerNum: string;
  calledNum: string;
  callid: string;
  /** 0 inbound, 1 outbound. */
  callType: 0 | 1;
  workNo: string;
  callskill: string;
  callskillid: string;
  agentName: string;
  vars: Record<string, string>;
}

export interface PopLimits {
  maxEnabledPops: number;
  maxParams: number;
}

export interface ClickToCallToken {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Places the call a CRM asked for. The real dialer is wired by the composition root. */
export interface Dialer {
  dial(agentNumber: string, number: string, callerId: string | null, by: string): Promise<{ callId: string }>;
}

/** A parameter name as pages receive it; `origin` is the workbench's own (see pop.ts). */
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;
/** A flow variable's name, as the flow engine stores it. */
export const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
export const PHONE_NUMBER = /^\+?[0-9]{2,20}$/;

const trimmed = (max: number, label: string) => z.string({ error: `Enter ${label}.` }).trim().min(1, `Enter ${label}.`).max(max, `Use at most ${max} characters.`);
const choice = <T extends readonly [string, ...string[]]>(values: T, message: string) => z.enum(values, { error: message });

/** The fields of the pop form apart from its parameter rows, which the service checks row by row. */
export const PopInputSchema = z.object({
  name: trimmed(60, 'a name').regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.'),
  url: trimmed(2000, 'the page address'),
  openMode: choice(OPEN_MODES, 'Choose how the page opens.'),
  integration: choice(INTEGRATIONS, 'Choose how the call data reaches the page.'),
  trigger: choice(TRIGGERS, 'Choose when the page opens.'),
});
export type PopInput = z.infer<typeof PopInputSchema>;

const limit = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? NaN : Number(v.trim())) : v),
    z.number({ error: `Enter a whole number from ${min} to ${max}.` }).int(`Enter a whole number from ${min} to ${max}.`).min(min, `Enter a whole number from ${min} to ${max}.`).max(max, `Enter a whole number from ${min} to ${max}.`),
  );
/** Huawei's tenant limits, with its ranges. */
export const LimitsInputSchema = z.object({ maxEnabledPops: limit(1, 10), maxParams: limit(1, 20) });

export const TokenInputSchema = z.object({ name: trimmed(60, 'a name for the token').regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.') });

/** The body of POST /api/click-to-call. */
export const ClickToCallInputSchema = z.object({
  workNo: z.string({ error: 'workNo (the agent number) is required.' }).trim().regex(/^[0-9A-Za-z_-]{1,20}$/, 'workNo must be an agent number.'),
  number: z.string({ error: 'number is required.' }).trim().regex(PHONE_NUMBER, 'number must be digits, optionally after a + (2 to 20 digits).'),
  callerId: z
    .string()
    .trim()
    .regex(PHONE_NUMBER, 'callerId must be digits, optionally after a + (2 to 20 digits).')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
