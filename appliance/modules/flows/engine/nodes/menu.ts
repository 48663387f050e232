import { z } from 'zod';
import { ask, question } from '../ask.js';
import { describePrompt } from '../describe.js';
import { lines, optionalPrompt, questionFields, requiredPrompt, timeoutSeconds, tries } from '../fields.js';
import type { NodeKind } from '../types.js';

export interface MenuOption {
  key: string;
  label: string;
}

/** "1 Sales" per line: a key (0–9, *, #), then what it is for. */
export function menuOptions(text: string): { options: MenuOption[]; problem: string | null } {
  const options: MenuOption[] = [];
  for (const line of lines(text)) {
    const m = /^([0-9*#])(?:\s+(.*))?$/.exec(line);
    if (!m) return { options, problem: `“${line}”: start each line with one key (0–9, * or #), then a label.` };
    if (options.some((o) => o.key === m[1])) return { options, problem: `Key ${m[1]} is listed twice.` };
    options.push({ key: m[1]!, label: (m[2] ?? '').slice(0, 60) });
  }
  return options.length ? { options, problem: null } : { options, problem: 'List at least one key.' };
}

const schema = z.object({
  prompt: requiredPrompt,
  options: z.string().max(2000).superRefine((s, ctx) => {
    const { problem } = menuOptions(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  timeoutSeconds: timeoutSeconds(5),
  tries,
  noInputPrompt: optionalPrompt,
  noMatchPrompt: optionalPrompt,
});

export const menu: NodeKind<z.infer<typeof schema>> = {
  kind: 'menu',
  label: 'Menu',
  help: 'Asks the caller to press a key and follows that key\'s branch. After the last try it follows “When tries run out”, or the flow\'s escalation.',
  fields: [questionFields('Prompt')[0]!, { name: 'options', label: 'Keys', type: 'textarea', help: 'One per line: a key, then a label, e.g. “1 Sales”. A new key gets its own “go to” choice once saved.' }, ...questionFields('').slice(1)],
  schema,
  initial: { prompt: null, options: '1 \n2 ', timeoutSeconds: 5, tries: 3 },
  branches: (c) => [...menuOptions(c.options).options.map((o) => ({ name: o.key, label: o.label ? `${o.key} ${o.label}` : o.key })), { name: 'failure', label: 'When tries run out' }],
  prompts: (c) => [c.prompt, c.noInputPrompt, c.noMatchPrompt].filter((p) => p !== null),
  describe: (c) => `${describePrompt(c.prompt)} · keys ${menuOptions(c.options).options.map((o) => o.key).join(' ')}`,
  async run(c, ctx) {
    const keys = new Set(menuOptions(c.options).options.map((o) => o.key));
    const answer = await ask(ctx, {
      ...question(c),
      max: 1,
      terminator: '',
      accepts: (d) => keys.has(d),
    });
    return 'digits' in answer ? { branch: answer.digits } : { escalate: answer.failed };
  },
};
