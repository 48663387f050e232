import { z } from 'zod';
import { fill } from '../template.js';
import type { NodeKind } from '../types.js';
import { PRIORITY_MAX, PRIORITY_MIN } from '../../../queues/engine/types.js';

const TARGETS = { queue: 'A queue', extension: 'An extension', external: 'An external number (through the outbound routes)', flow: 'Another flow' } as const;
const PRIORITIES = Array.from({ length: PRIORITY_MAX - PRIORITY_MIN + 1 }, (_, i) => ({ value: String(i), label: i === 0 ? '0 · normal' : i === PRIORITY_MAX ? `${i} · highest` : String(i) }));
type Target = keyof typeof TARGETS;

/** What an external number may be once its variables are filled in: digits with an optional +. */
export const EXTERNAL_NUMBER = /^\+?[0-9]{2,20}$/;

const id = z.preprocess((v) => (v === '' || v === null || v === undefined ? null : Number(v)), z.number().int().positive().nullable()).default(null);

const schema = z
  .object({
    target: z.enum(Object.keys(TARGETS) as [Target, ...Target[]], { message: 'Choose where to transfer.' }),
    extensionId: id,
    number: z.string().trim().max(100).default(''),
    flowId: id,
    queueId: id,
    priority: z.preprocess((v) => (v === '' || v === undefined ? 0 : Number(v)), z.number({ message: 'Priority: 0 to 9.' }).int().min(PRIORITY_MIN, { message: 'Priority: 0 to 9.' }).max(PRIORITY_MAX, { message: 'Priority: 0 to 9.' })).default(0),
  })
  .superRefine((c, ctx) => {
    if (c.target === 'extension' && !c.extensionId) ctx.addIssue({ code: 'custom', path: ['extensionId'], message: 'Choose an extension.' });
    if (c.target === 'queue' && !c.queueId) ctx.addIssue({ code: 'custom', path: ['queueId'], message: 'Choose a queue.' });
    if (c.target === 'flow' && !c.flowId) ctx.addIssue({ code: 'custom', path: ['flowId'], message: 'Choose a flow.' });
    if (c.target === 'external' && !(EXTERNAL_NUMBER.test(c.number) || /^\+?[0-9]*\$\{[A-Za-z][A-Za-z0-9_]{0,39}\}[0-9]*$/.test(c.number))) {
      ctx.addIssue({ code: 'custom', path: ['number'], message: 'Number: digits with an optional +, or a ${variable} that holds them.' });
    }
  });

export const transfer: NodeKind<z.infer<typeof schema>> = {
  kind: 'transfer',
  label: 'Transfer',
  help: 'Sends the call to a queue (with a priority: higher is served first), to an extension, to an external number (the outbound routes and their limits apply), or to another flow\'s published version.',
  fields: [
    { name: 'target', label: 'Transfer to', type: 'select', options: Object.entries(TARGETS).map(([value, label]) => ({ value, label })) },
    { name: 'queueId', label: 'Queue', type: 'select', optionsFrom: 'queues' },
    { name: 'priority', label: 'Priority in the queue', type: 'select', options: PRIORITIES, help: 'VIP callers (Queues → VIP callers) get their own priority if it is higher.' },
    { name: 'extensionId', label: 'Extension', type: 'select', optionsFrom: 'extensions' },
    { name: 'number', label: 'External number', type: 'text', help: 'e.g. +4930123456 or ${callback_number}' },
    { name: 'flowId', label: 'Flow', type: 'select', optionsFrom: 'flows' },
  ],
  schema,
  initial: { target: 'queue', queueId: '', priority: '0', extensionId: '', number: '', flowId: '' },
  branches: () => [],
  prompts: () => [],
  check(c, l) {
    if (c.target === 'extension' && l.extensionNumber(c.extensionId!) === null) return { extensionId: 'That extension no longer exists.' };
    if (c.target === 'flow' && l.flowName(c.flowId!) === null) return { flowId: 'That flow no longer exists.' };
    if (c.target === 'queue' && l.queueName(c.queueId!) === null) return { queueId: 'That queue no longer exists.' };
    return {};
  },
  describe(c, l) {
    if (c.target === 'extension') return `To extension ${l.extensionNumber(c.extensionId!) ?? '?'}`;
    if (c.target === 'flow') return `To flow ${l.flowName(c.flowId!) ?? '?'}`;
    if (c.target === 'queue') return `To queue ${l.queueName(c.queueId!) ?? '?'}${c.priority ? ` (priority ${c.priority})` : ''}`;
    return `To ${c.number}`;
  },
  async run(c, ctx) {
    if (c.target === 'flow') return { flow: c.flowId! };
    if (c.target === 'queue') {
      const name = ctx.lookups.queueName(c.queueId!);
      if (name === null) throw new Error(`queue #${c.queueId} no longer exists`);
      await ctx.io.transfer({ kind: 'queue', queueId: c.queueId!, priority: c.priority });
      return { end: 'transfer', detail: `queue ${name}` };
    }
    if (c.target === 'extension') {
      const extension = ctx.lookups.extensionNumber(c.extensionId!);
      if (!extension) throw new Error(`extension #${c.extensionId} no longer exists`);
      await ctx.io.transfer({ kind: 'extension', extension });
      return { end: 'transfer', detail: `extension ${extension}` };
    }
    const number = fill(c.number, ctx.vars);
    // A variable can hold anything a caller typed or a web service said: only a plain number leaves the flow.
    if (!EXTERNAL_NUMBER.test(number)) throw new Error(`“${number}” is not a number to transfer to`);
    await ctx.io.transfer({ kind: 'external', number });
    return { end: 'transfer', detail: number };
  },
};
