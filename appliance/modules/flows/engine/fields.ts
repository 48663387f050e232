import { z } from 'zod';
import { VARIABLE_NAME } from './template.js';
import type { FieldSpec, PromptRef } from './types.js';

// Schema pieces the node kinds share, so the same rule reads the same everywhere.

export const promptRef = z.union([z.object({ promptId: z.number().int().positive() }).strict(), z.object({ say: z.string().trim().min(1, 'Say something.').max(1000, 'At most 1,000 characters.') }).strict()]);
export const requiredPrompt = z.union([promptRef, z.null(), z.undefined()]).refine((p) => p != null, 'Choose a prompt or type what to say.').transform((p) => p as PromptRef);
export const optionalPrompt = promptRef.nullable().default(null);

export const variable = z.string().trim().regex(VARIABLE_NAME, 'A variable name: a letter, then letters, digits or _ (at most 40).');

export const integer = (label: string, lo: number, hi: number, initial?: number) => {
  const base = z.coerce.number({ message: `${label}: a whole number.` }).int(`${label}: a whole number.`).min(lo, `${label}: at least ${lo}.`).max(hi, `${label}: at most ${hi}.`);
  return initial === undefined ? base : z.preprocess((v) => (v === '' || v === undefined || v === null ? initial : v), base);
};

export const text = (max: number, label = 'This') => z.string().max(max, `${label}: at most ${max} characters.`).default('');

export const tries = integer('Tries', 1, 5, 3);
export const timeoutSeconds = (initial: number) => integer('Timeout', 1, 60, initial);

/** Lines of a textarea, trimmed, blank lines dropped. */
export const lines = (s: string): string[] => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

/** The prompt fields of a question, in the order the forms show them. */
export const questionFields = (what: string): FieldSpec[] => [
  { name: 'prompt', label: what, type: 'prompt' },
  { name: 'timeoutSeconds', label: 'Seconds to wait for a key', type: 'number' },
  { name: 'tries', label: 'Tries', type: 'number', help: 'How many times to ask before giving up.' },
  { name: 'noInputPrompt', label: 'When nothing is pressed', type: 'prompt', help: "Empty: the flow's no-input escalation." },
  { name: 'noMatchPrompt', label: 'When a wrong key is pressed', type: 'prompt', help: "Empty: the flow's no-match escalation." },
];

/**
 * Flat form values → the raw object a kind's schema reads: numbers stay strings (the schemas coerce, so a
 * field error can say what was wrong), checkboxes become booleans, a prompt field is a library prompt
 * (`<name>_prompt`) or text to speak (`<name>_say`), or null.
 */
export function readFields(fields: FieldSpec[], form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
  for (const f of fields) {
    if (f.type === 'checkbox') out[f.name] = form[f.name] === 'on' || form[f.name] === 'true';
    else if (f.type === 'prompt') {
      const id = str(`${f.name}_prompt`).trim();
      const say = str(`${f.name}_say`).trim();
      out[f.name] = id ? { promptId: Number(id) } : say ? { say } : null;
    } else out[f.name] = str(f.name);
  }
  return out;
}

/** A stored config → flat form values (the reverse of readFields). */
export function formValues(fields: FieldSpec[], config: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = config[f.name];
    if (f.type === 'prompt') {
      const p = v as PromptRef | null | undefined;
      out[`${f.name}_prompt`] = p && 'promptId' in p ? String(p.promptId) : '';
      out[`${f.name}_say`] = p && 'say' in p ? p.say : '';
    } else if (f.type === 'checkbox') out[f.name] = v ? 'on' : '';
    else out[f.name] = v === undefined || v === null ? '' : String(v);
  }
  return out;
}
