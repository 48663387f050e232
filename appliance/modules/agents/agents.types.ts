import { z } from 'zod';

/** The phone queue calls ring: an extension (desk phone or browser phone), or a number outside. */
export type AgentDevice = { kind: 'extension'; extensionId: number; extension: string } | { kind: 'external'; number: string };

/** An agent as the runner and the pages see it; the PIN's hash never leaves the repository. */
export interface AgentRecord {
  id: number;
  userId: number;
  /** The user's display name. */
  name: string;
  username: string;
  /** What the agent types, with the PIN, to log in from a phone. */
  number: string;
  device: AgentDevice;
  hasPin: boolean;
  /** The agent's own recording policy: it comes before the queue's and the number's; null: none. */
  recordingPolicyId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface AgentSkill {
  skillId: number;
  /** 1-10; 10 is the best. */
  level: number;
}

export interface Membership {
  queueId: number;
  /** The agent's place among the queue's members (1 = first), for the sequential strategy. */
  position: number;
}

/** The routing state as the runner last saved it (restored after a restart; the ledger has the history). */
export type { SavedAgentState } from '../queues/acd.source.js';

export const PIN_MIN = 4;
export const PIN_MAX = 8;

/** Why a PIN is refused, or null: 4 to 8 digits that are not the first ones anybody tries. */
export function pinProblem(pin: string, agentNumber: string): string | null {
  if (!/^[0-9]{4,8}$/.test(pin)) return `Use ${PIN_MIN} to ${PIN_MAX} digits.`;
  if (/^(.)\1+$/.test(pin)) return 'Not one digit repeated: that is the first PIN anyone tries.';
  const steps = [...pin].slice(1).map((d, i) => Number(d) - Number(pin[i]));
  if (steps.every((s) => s === 1) || steps.every((s) => s === -1)) return 'Not a run of digits like 1234: that is the second PIN anyone tries.';
  if (pin === agentNumber) return 'Not the agent number: it is typed right before the PIN.';
  return null;
}

const id = (message: string) =>
  z.preprocess((v) => (v === '' || v === undefined || v === null ? null : typeof v === 'string' ? Number(v) : v), z.number({ error: message }).int(message).positive(message).nullable());

/** The agent's own fields; the PIN is only read here when the agent is created (afterwards: set a new PIN). */
export const AgentInputSchema = z
  .object({
    userId: id('Choose the user who works as this agent.'),
    number: z
      .string({ error: 'Enter an agent number.' })
      .trim()
      .regex(/^[0-9]{3,8}$/, 'Use 3 to 8 digits.'),
    deviceKind: z.enum(['extension', 'external'], { error: 'Choose the phone queue calls ring.' }),
    extensionId: id('Choose an extension.'),
    externalNumber: z.preprocess(
      (v) => (typeof v === 'string' ? v.replace(/[\s().-]/g, '') : v),
      z.string().regex(/^(\+?[0-9]{3,20})?$/, 'Enter a phone number: digits, optionally after a + (e.g. +4917012345678).').default(''),
    ),
    pin: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), z.string().optional()),
    recordingPolicyId: id('Choose a recording policy.'),
  })
  .superRefine((a, ctx) => {
    if (a.userId === null) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'Choose the user who works as this agent.' });
    if (a.deviceKind === 'extension' && a.extensionId === null) ctx.addIssue({ code: 'custom', path: ['extensionId'], message: 'Choose an extension.' });
    if (a.deviceKind === 'external' && !a.externalNumber) ctx.addIssue({ code: 'custom', path: ['externalNumber'], message: 'Enter the number to ring.' });
    const problem = a.pin === undefined ? null : pinProblem(a.pin, a.number);
    if (problem) ctx.addIssue({ code: 'custom', path: ['pin'], message: problem });
  })
  // The device that is not chosen keeps nothing, whatever the form still had in it.
  .transform((a) => ({
    userId: a.userId!,
    number: a.number,
    device: a.deviceKind === 'extension' ? ({ kind: 'extension', extensionId: a.extensionId! } as const) : ({ kind: 'external', number: a.externalNumber } as const),
    pin: a.pin,
    recordingPolicyId: a.recordingPolicyId,
  }));
export type AgentInput = z.infer<typeof AgentInputSchema>;

export const AgentFilterSchema = z.object({
  q: z.string().trim().max(60).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
});
export type AgentFilter = z.infer<typeof AgentFilterSchema>;
