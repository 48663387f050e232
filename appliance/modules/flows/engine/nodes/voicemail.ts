import { z } from 'zod';
import { integer } from '../fields.js';
import type { NodeKind } from '../types.js';

const schema = z.object({ extensionId: integer('Extension', 1, Number.MAX_SAFE_INTEGER) });

export const voicemail: NodeKind<z.infer<typeof schema>> = {
  kind: 'voicemail',
  label: 'Voicemail',
  help: 'The caller leaves a message in an extension\'s voicemail box.',
  fields: [{ name: 'extensionId', label: 'Box of extension', type: 'select', optionsFrom: 'extensions' }],
  schema,
  initial: { extensionId: '' },
  branches: () => [],
  prompts: () => [],
  check: (c, l) => (l.voicemailBox(c.extensionId) === null ? { extensionId: 'Choose an extension that has a voicemail box.' } : {}),
  describe: (c, l) => `Voicemail ${l.voicemailBox(c.extensionId) ?? `(extension #${c.extensionId} has no box)`}`,
  async run(c, ctx) {
    const extension = ctx.lookups.voicemailBox(c.extensionId);
    if (!extension) throw new Error(`extension #${c.extensionId} has no voicemail box any more`);
    await ctx.io.voicemail(extension);
    return { end: 'voicemail', detail: extension };
  },
};
