import { z } from 'zod';
import { fill } from '../template.js';
import { variable } from '../fields.js';
import type { NodeKind } from '../types.js';

const OPERATORS = {
  equals: { label: 'equals', test: (a: string, b: string) => a === b },
  not_equals: { label: 'does not equal', test: (a: string, b: string) => a !== b },
  contains: { label: 'contains', test: (a: string, b: string) => a.includes(b) },
  regex: { label: 'matches the regular expression', test: (a: string, b: string) => new RegExp(b).test(a) },
  lt: { label: 'is a number below', test: (a: string, b: string) => numeric(a, b, (x, y) => x < y) },
  gt: { label: 'is a number above', test: (a: string, b: string) => numeric(a, b, (x, y) => x > y) },
  gte: { label: 'is a number at least', test: (a: string, b: string) => numeric(a, b, (x, y) => x >= y) },
  lte: { label: 'is a number at most', test: (a: string, b: string) => numeric(a, b, (x, y) => x <= y) },
} as const;
type Operator = keyof typeof OPERATORS;

/** Numeric comparisons are false when either side is not a number (an empty variable is not zero). */
function numeric(a: string, b: string, f: (x: number, y: number) => boolean): boolean {
  const x = a.trim() === '' ? NaN : Number(a);
  const y = b.trim() === '' ? NaN : Number(b);
  return Number.isFinite(x) && Number.isFinite(y) && f(x, y);
}

const schema = z
  .object({
    variable,
    operator: z.enum(Object.keys(OPERATORS) as [Operator, ...Operator[]], { message: 'Choose how to compare.' }),
    value: z.string().max(500).default(''),
  })
  .superRefine((c, ctx) => {
    if (c.operator !== 'regex') return;
    try {
      if (c.value.length > 200) throw new Error('long');
      new RegExp(c.value);
    } catch {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'Value: a valid regular expression of at most 200 characters.' });
    }
  });

export const condition: NodeKind<z.infer<typeof schema>> = {
  kind: 'condition',
  label: 'Condition',
  help: 'Compares a variable with a value (which may hold ${variables}) and follows Yes or No.',
  fields: [
    { name: 'variable', label: 'Variable', type: 'text' },
    { name: 'operator', label: 'Comparison', type: 'select', options: Object.entries(OPERATORS).map(([value, o]) => ({ value, label: o.label })) },
    { name: 'value', label: 'Value', type: 'text' },
  ],
  schema,
  initial: { variable: '', operator: 'equals', value: '' },
  branches: () => [{ name: 'yes', label: 'Yes' }, { name: 'no', label: 'No' }],
  prompts: () => [],
  describe: (c) => `\${${c.variable}} ${OPERATORS[c.operator].label} “${c.value}”`,
  async run(c, ctx) {
    const yes = OPERATORS[c.operator].test(ctx.vars[c.variable] ?? '', fill(c.value, ctx.vars));
    return { branch: yes ? 'yes' : 'no' };
  },
};
