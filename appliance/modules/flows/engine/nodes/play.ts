import { z } from 'zod';
import { requiredPrompt } from '../fields.js';
import { describePrompt } from '../describe.js';
import type { NodeKind } from '../types.js';

const schema = z.object({ prompt: requiredPrompt });

export const play: NodeKind<z.infer<typeof schema>> = {
  kind: 'play',
  label: 'Play',
  help: 'Plays a prompt from the library, or speaks text (with ${variables}) in the flow\'s voice.',
  fields: [{ name: 'prompt', label: 'Prompt', type: 'prompt' }],
  schema,
  initial: { prompt: null },
  branches: () => [{ name: 'next', label: 'Then' }],
  prompts: (c) => [c.prompt],
  describe: (c) => describePrompt(c.prompt),
  async run(c, ctx) {
    await ctx.play(c.prompt);
    return { branch: 'next' };
  },
};
