import type { NodeContext, PromptRef } from './types.js';

export interface Question {
  prompt: PromptRef | null;
  /** The node's own prompts after a failure; without them the flow's escalation prompts play. */
  noInputPrompt: PromptRef | null;
  noMatchPrompt: PromptRef | null;
  tries: number;
  max: number;
  timeoutMs: number;
  terminator: string;
  /** Whether an answer is acceptable (a menu's keys, a pattern, a survey's range). */
  accepts(digits: string): boolean;
}

/** The parts of a question every asking node configures the same way (fields.ts questionFields). */
export function question(c: { prompt: PromptRef; noInputPrompt: PromptRef | null; noMatchPrompt: PromptRef | null; tries: number; timeoutSeconds: number }) {
  return { prompt: c.prompt, noInputPrompt: c.noInputPrompt, noMatchPrompt: c.noMatchPrompt, tries: c.tries, timeoutMs: c.timeoutSeconds * 1000 };
}

export type Answer = { digits: string } | { failed: 'noInput' | 'noMatch' };

/**
 * Ask until the caller gives an acceptable answer or the tries run out. After the k-th failure the node's own
 * prompt for that failure plays, or else the flow's k-th escalation prompt, and the question is asked again.
 */
export async function ask(ctx: NodeContext, q: Question): Promise<Answer> {
  let failed: 'noInput' | 'noMatch' = 'noInput';
  for (let attempt = 1; attempt <= q.tries; attempt++) {
    // Listen for one key or more: a short answer must come back to be heard as a wrong one, not as silence.
    const digits = await ctx.io.collect(ctx.audio(q.prompt), { min: 1, max: q.max, timeoutMs: q.timeoutMs, terminator: q.terminator });
    if (digits !== '') ctx.noteDigits(digits);
    if (digits !== '' && q.accepts(digits)) return { digits };
    failed = digits === '' ? 'noInput' : 'noMatch';
    ctx.note(failed === 'noInput' ? 'no input' : `no match: ${digits}`);
    if (attempt === q.tries) break;
    const own = failed === 'noInput' ? q.noInputPrompt : q.noMatchPrompt;
    await ctx.play(own ?? ctx.settings[failed].prompts[attempt - 1] ?? null);
  }
  return { failed };
}
