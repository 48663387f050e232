import { z } from 'zod';
import { DESTINATION_KINDS, DESTINATION_SLOTS, DESTINATIONS, type DestinationKind } from './destinations.js';
import type { Schedule } from './schedule.js';

export interface NumberRoute {
  id: number;
  number: string;
  trunkId: number;
  isInbound: boolean;
  destinationKind: DestinationKind;
  destinationExtensionId: number | null;
  destinationFlowId: number | null;
  /** Where calls go outside the schedule's hours and on its holidays. */
  afterHoursKind: DestinationKind;
  afterHoursExtensionId: number | null;
  afterHoursFlowId: number | null;
  /** Null: always open. */
  schedule: Schedule | null;
  /** Whether outbound routes may show this number as caller ID. */
  isCallerId: boolean;
  /** The recording policy of calls to this number (agents' and queues' policies are more specific); null: none. */
  recordingPolicyId: number | null;
  /** The post-call survey's switch, which it reads when it exists. */
  hasSurvey: boolean;
  createdAt: string;
  updatedAt: string;
}

const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true || v === '1', z.boolean());
const id = (msg: string) => z.coerce.number({ error: msg }).int(msg).positive(msg);
const kind = z.enum(DESTINATION_KINDS, { error: 'Choose where calls go.' });
const extensionId = z.preprocess((v) => (v === '' || v === undefined ? null : v), id('Choose an extension.').nullable());
const flowId = z.preprocess((v) => (v === '' || v === undefined ? null : v), id('Choose a flow.').nullable());

/** The number's own fields; its schedule is read beside them (schedule-input.ts). */
export const NumberInputSchema = z
  .object({
    // E.164 (+ and 8 to 15 digits) or a carrier's own short form (3 to 15 digits).
    number: z.string({ error: 'Enter the number.' }).trim().regex(/^(\+[1-9][0-9]{7,14}|[0-9]{3,15})$/, 'Use E.164 (+ and country code, e.g. +4930123456) or 3 to 15 digits as the carrier sends it.'),
    trunkId: id('Choose the trunk the number arrives on.'),
    isInbound: checkbox,
    destinationKind: kind,
    destinationExtensionId: extensionId,
    destinationFlowId: flowId,
    afterHoursKind: kind.default('hangup'),
    afterHoursExtensionId: extensionId,
    afterHoursFlowId: flowId,
    isCallerId: checkbox,
    recordingPolicyId: z.preprocess((v) => (v === '' || v === undefined ? null : v), id('Choose a recording policy.').nullable()),
    hasSurvey: checkbox,
  })
  .superRefine((n, ctx) => {
    for (const slot of Object.values(DESTINATION_SLOTS)) {
      if (DESTINATIONS[n[slot.kind]].target === 'extension' && !n[slot.extensionId]) ctx.addIssue({ code: 'custom', path: [slot.extensionId], message: 'Choose an extension.' });
      if (DESTINATIONS[n[slot.kind]].target === 'flow' && !n[slot.flowId]) ctx.addIssue({ code: 'custom', path: [slot.flowId], message: 'Choose a flow.' });
    }
  })
  // A kind without an extension (or flow) keeps none, whatever the form still had selected.
  .transform((n) => ({
    ...n,
    destinationExtensionId: DESTINATIONS[n.destinationKind].target === 'extension' ? n.destinationExtensionId : null,
    afterHoursExtensionId: DESTINATIONS[n.afterHoursKind].target === 'extension' ? n.afterHoursExtensionId : null,
    destinationFlowId: DESTINATIONS[n.destinationKind].target === 'flow' ? n.destinationFlowId : null,
    afterHoursFlowId: DESTINATIONS[n.afterHoursKind].target === 'flow' ? n.afterHoursFlowId : null,
  }));
export type NumberInput = z.infer<typeof NumberInputSchema> & { schedule: Schedule | null };
