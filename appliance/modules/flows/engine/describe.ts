import type { PromptRef } from './types.js';

/** A prompt in one line: what it says, or which library prompt (the list and the graph show this). */
export function describePrompt(p: PromptRef | null | undefined): string {
  if (!p) return 'no prompt';
  return 'say' in p ? `Say “${p.say.length > 60 ? `${p.say.slice(0, 59)}…` : p.say}”` : `Prompt #${p.promptId}`;
}
