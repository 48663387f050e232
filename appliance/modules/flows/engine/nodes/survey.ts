import { z } from 'zod';
import { ask, question } from '../ask.js';
import { describePrompt } from '../describe.js';
import { integer, optionalPrompt, questionFields, requiredPrompt, timeoutSeconds, tries, variable } from '../fields.js';
import type { NodeKind } from '../types.js';

const schema = z
  .object({
    prompt: requiredPrompt,
    lowest: integer('Lowest key', 0, 9, 1),
    highest: integer('Highest key', 0, 9, 5),
    variable: variable.default('survey'),
    thanks: optionalPrompt,
    timeoutSeconds: timeoutSeconds(5),
    tries: tries,
    noInputPrompt: optionalPrompt,
    noMatchPrompt: optionalPrompt,
  })
  .refine((c) => c.highest > c.lowest, { message: 'Highest key: above the lowest.', path: ['highest'] });

export const survey: NodeKind<z.infer<typeof schema>> = {
  kind: 'survey',
  label: 'Survey',
  help: 'Asks for a score (e.g. 1 to 5) and keeps it on the call for reports.',
  fields: [
    questionFields('Question')[0]!,
    { name: 'lowest', label: 'Lowest key', type: 'number' },
    { name: 'highest', label: 'Highest key', type: 'number' },
    { name: 'variable', label: 'Into variable', type: 'text' },
    { name: 'thanks', label: 'Thank you (optional)', type: 'prompt' },
    ...questionFields('').slice(1),
  ],
  schema,
  initial: { prompt: null, lowest: 1, highest: 5, variable: 'survey', timeoutSeconds: 5, tries: 2 },
  branches: () => [{ name: 'next', label: 'Then' }, { name: 'failure', label: 'When tries run out' }],
  prompts: (c) => [c.prompt, c.thanks, c.noInputPrompt, c.noMatchPrompt].filter((p) => p !== null),
  describe: (c) => `${describePrompt(c.prompt)} · ${c.lowest}–${c.highest}`,
  async run(c, ctx) {
    const answer = await ask(ctx, {
      ...question(c),
      max: 1,
      terminator: '',
      accepts: (d) => /^[0-9]$/.test(d) && Number(d) >= c.lowest && Number(d) <= c.highest,
    });
    if (!('digits' in answer)) return { escalate: answer.failed };
    ctx.vars[c.variable] = answer.digits;
    ctx.survey(answer.digits);
    await ctx.play(c.thanks);
    return { branch: 'next' };
  },
};
