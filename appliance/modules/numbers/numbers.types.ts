import { z } from 'zod';

export interface NumberRoute {
  id: number;
  number: string;
  trunkId: number;
  isInbound: boolean;
  destinationKind: 'extension' | 'hangup';
  destinationExtensionId: number | null;
  createdAt: string;
  updatedAt: string;
}

const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true || v === '1', z.boolean());
const id = (msg: string) => z.coerce.number({ error: msg }).int(msg).positive(msg);

export const NumberInputSchema = z
  .object({
    // E.164 (+ and 8 to 15 digits) or a carrier's own short form (3 to 15 digits).
    number: z.string({ error: 'Enter the number.' }).trim().regex(/^(\+[1-9][0-9]{7,14}|[0-9]{3,15})$/, 'Use E.164 (+ and country code, e.g. +4930123456) or 3 to 15 digits as the carrier sends it.'),
    trunkId: id('Choose the trunk the number arrives on.'),
    isInbound: checkbox,
    destinationKind: z.enum(['extension', 'hangup'], { error: 'Choose where calls go.' }),
    destinationExtensionId: z.preprocess((v) => (v === '' || v === undefined ? null : v), id('Choose an extension.').nullable()),
  })
  .superRefine((n, ctx) => {
    if (n.destinationKind === 'extension' && !n.destinationExtensionId) ctx.addIssue({ code: 'custom', path: ['destinationExtensionId'], message: 'Choose an extension.' });
  })
  .transform((n) => ({ ...n, destinationExtensionId: n.destinationKind === 'extension' ? n.destinationExtensionId : null }));
export type NumberInput = z.infer<typeof NumberInputSchema>;
