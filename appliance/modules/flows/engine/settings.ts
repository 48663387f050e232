import { z } from 'zod';
import { integer, optionalPrompt } from './fields.js';
import type { FlowSettings, PromptRef } from './types.js';

/** The voices a flow may speak with: espeak-ng's, by language (Mandarin is `cmn`). */
export const LANGUAGES = {
  en: { label: 'English', voices: { 'en-us': 'English (US)', 'en-gb': 'English (UK)' } },
  zh: { label: 'Mandarin Chinese', voices: { cmn: 'Mandarin' } },
} as const satisfies Record<string, { label: string; voices: Record<string, string> }>;
export type Language = keyof typeof LANGUAGES;

export const DEFAULT_SETTINGS: FlowSettings = {
  language: 'en',
  voice: 'en-us',
  rate: 160,
  volume: 100,
  maxSteps: 50,
  noInput: { prompts: [{ say: 'Sorry, I did not hear anything.' }, { say: 'Please press a key on your phone.' }], then: { action: 'fallback' } },
  noMatch: { prompts: [{ say: 'Sorry, that is not one of the choices.' }, { say: 'Please listen to the choices and try again.' }], then: { action: 'fallback' } },
};

const then = z.preprocess(
  (v) => (typeof v === 'string' ? (v.startsWith('node:') ? { action: 'node', node: v.slice(5) } : { action: v }) : v),
  z.discriminatedUnion('action', [z.object({ action: z.literal('hangup') }), z.object({ action: z.literal('fallback') }), z.object({ action: z.literal('node'), node: z.string().min(1) })], { message: 'Choose what happens after the last try.' }),
);

const escalation = z.object({ prompts: z.array(optionalPrompt).max(2).transform((ps) => ps.filter((p): p is PromptRef => p !== null)), then });

export const settingsSchema = z
  .object({
    language: z.enum(Object.keys(LANGUAGES) as [Language, ...Language[]], { message: 'Choose a language.' }),
    voice: z.string(),
    rate: integer('Speaking rate', 80, 300, 160),
    volume: integer('Volume', 10, 200, 100),
    maxSteps: integer('Most steps per call', 5, 500, 50),
    noInput: escalation,
    noMatch: escalation,
  })
  .superRefine((s, ctx) => {
    if (!(s.voice in LANGUAGES[s.language].voices)) ctx.addIssue({ code: 'custom', path: ['voice'], message: `Choose a voice that speaks ${LANGUAGES[s.language].label}.` });
  });

/** The settings form: flat fields, escalations as two prompts and an action each. */
export function readSettingsForm(form: Record<string, unknown>): unknown {
  const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string).trim() : '');
  const prompt = (k: string) => (str(`${k}_prompt`) ? { promptId: Number(str(`${k}_prompt`)) } : str(`${k}_say`) ? { say: str(`${k}_say`) } : null);
  const esc = (k: 'noInput' | 'noMatch') => ({ prompts: [prompt(`${k}1`), prompt(`${k}2`)], then: str(`${k}Then`) });
  return { language: str('language'), voice: str('voice'), rate: str('rate'), volume: str('volume'), maxSteps: str('maxSteps'), noInput: esc('noInput'), noMatch: esc('noMatch') };
}

export function settingsFormValues(s: FlowSettings): Record<string, string> {
  const out: Record<string, string> = { language: s.language, voice: s.voice, rate: String(s.rate), volume: String(s.volume), maxSteps: String(s.maxSteps) };
  for (const k of ['noInput', 'noMatch'] as const) {
    s[k].prompts.forEach((p, i) => {
      out[`${k}${i + 1}_prompt`] = 'promptId' in p ? String(p.promptId) : '';
      out[`${k}${i + 1}_say`] = 'say' in p ? p.say : '';
    });
    const t = s[k].then;
    out[`${k}Then`] = t.action === 'node' ? `node:${t.node}` : t.action;
  }
  return out;
}
