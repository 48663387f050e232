import { z } from 'zod';
import { fill } from '../template.js';
import { variable } from '../fields.js';
import type { NodeKind } from '../types.js';

const schema = z.object({ variable, value: z.string().max(1000).default('') });

export const set: NodeKind<z.infer<typeof schema>> = {
  kind: 'set',
  label: 'Set variable',
  help: 'Sets a variable (the value may hold ${variables}); later nodes, the agent\'s screen pop and the call record see it.',
  fields: [
    { name: 'variable', label: 'Variable', type: 'text' },
    { name: 'value', label: 'Value', type: 'text' },
  ],
  schema,
  initial: { variable: '', value: '' },
  branches: () => [{ name: 'next', label: 'Then' }],
  prompts: () => [],
  describe: (c) => `\${${c.variable}} = “${c.value}”`,
  async run(c, ctx) {
    ctx.vars[c.variable] = fill(c.value, ctx.vars);
    return { branch: 'next' };
  },
};
