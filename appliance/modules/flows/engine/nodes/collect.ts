import { z } from 'zod';
import { ask, question } from '../ask.js';
import { describePrompt } from '../describe.js';
import { integer, optionalPrompt, questionFields, requiredPrompt, timeoutSeconds, tries, variable } from '../fields.js';
import type { NodeKind } from '../types.js';

/** A pattern the whole answer must match; checked to compile, and short so it cannot be made slow. */
const pattern = z.string().trim().max(100, 'Pattern: at most 100 characters.').default('').superRefine((p, ctx) => {
  if (!p) return;
  try {
    new RegExp(`^(?:${p})$`);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'Pattern: not a valid regular expression.' });
  }
});

const schema = z
  .object({
    prompt: requiredPrompt,
    variable,
    min: integer('Fewest digits', 1, 30, 1),
    max: integer('Most digits', 1, 30, 10),
    terminator: z.enum(['#', '*', ''], { message: 'Ends with: #, * or nothing.' }).default('#'),
    pattern,
    timeoutSeconds: timeoutSeconds(5),
    tries,
    noInputPrompt: optionalPrompt,
    noMatchPrompt: optionalPrompt,
  })
  .refine((c) => c.max >= c.min, { message: 'Most digits: at least the fewest.', path: ['max'] });

export const collect: NodeKind<z.infer<typeof schema>> = {
  kind: 'collect',
  label: 'Collect digits',
  help: 'Collects a number (an account, a PIN) into a variable; a wrong length or pattern asks again.',
  fields: [
    questionFields('Prompt')[0]!,
    { name: 'variable', label: 'Into variable', type: 'text' },
    { name: 'min', label: 'Fewest digits', type: 'number' },
    { name: 'max', label: 'Most digits', type: 'number' },
    { name: 'terminator', label: 'Ends with', type: 'select', options: [{ value: '#', label: '#' }, { value: '*', label: '*' }, { value: '', label: 'Nothing (waits for the most digits or the timeout)' }] },
    { name: 'pattern', label: 'Must match (regular expression)', type: 'text', help: 'Optional, e.g. 4[0-9]{7} for an account number.' },
    ...questionFields('').slice(1),
  ],
  schema,
  initial: { prompt: null, variable: 'account', min: 1, max: 10, terminator: '#', pattern: '', timeoutSeconds: 5, tries: 3 },
  branches: () => [{ name: 'next', label: 'Then' }, { name: 'failure', label: 'When tries run out' }],
  prompts: (c) => [c.prompt, c.noInputPrompt, c.noMatchPrompt].filter((p) => p !== null),
  describe: (c) => `${describePrompt(c.prompt)} → \${${c.variable}}`,
  async run(c, ctx) {
    const re = c.pattern ? new RegExp(`^(?:${c.pattern})$`) : null;
    const answer = await ask(ctx, {
      ...question(c),
      max: c.max,
      terminator: c.terminator,
      accepts: (d) => /^[0-9*#]+$/.test(d) && d.length >= c.min && d.length <= c.max && (!re || re.test(d)),
    });
    if (!('digits' in answer)) return { escalate: answer.failed };
    ctx.vars[c.variable] = answer.digits;
    return { branch: 'next' };
  },
};
