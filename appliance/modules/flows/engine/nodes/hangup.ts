import { z } from 'zod';
import { describePrompt } from '../describe.js';
import { optionalPrompt } from '../fields.js';
import type { NodeKind } from '../types.js';

const schema = z.object({ prompt: optionalPrompt });

export const hangup: NodeKind<z.infer<typeof schema>> = {
  kind: 'hangup',
  label: 'Hang up',
  help: 'Ends the call, after an optional goodbye.',
  fields: [{ name: 'prompt', label: 'Goodbye (optional)', type: 'prompt' }],
  schema,
  initial: { prompt: null },
  branches: () => [],
  prompts: (c) => (c.prompt ? [c.prompt] : []),
  describe: (c) => (c.prompt ? describePrompt(c.prompt) : 'End the call'),
  async run(c, ctx) {
    await ctx.play(c.prompt);
    await ctx.io.hangup();
    return { end: 'hangup', detail: 'hang up node' };
  },
};
