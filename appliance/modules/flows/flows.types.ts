import { z } from 'zod';
import type { FlowDefinition, Step } from './engine/types.js';

export const FALLBACK_KINDS = ['extension', 'voicemail', 'hangup'] as const;
export type FallbackKind = (typeof FALLBACK_KINDS)[number];

export interface Flow {
  id: number;
  name: string;
  description: string;
  draft: FlowDefinition;
  fallbackKind: FallbackKind;
  fallbackExtensionId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface FlowVersion {
  flowId: number;
  version: number;
  definition: FlowDefinition;
  publishedAt: string;
  publishedBy: string;
}

export interface FlowRun {
  id: number;
  callUuid: string;
  flowId: number;
  version: number;
  numberId: number | null;
  caller: string;
  called: string;
  startedAt: string;
  endedAt: string | null;
  outcome: string | null;
  detail: string | null;
  path: Step[];
  vars: Record<string, string>;
  survey: string | null;
}

const id = z.preprocess((v) => (v === '' || v === null || v === undefined ? null : Number(v)), z.number().int().positive().nullable());

/** The flow's own fields (its nodes and settings are edited separately). */
export const FlowInfoSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the flow a name.').max(60, 'At most 60 characters.').regex(/^[^<>"]*$/, 'No <, > or ".'),
    description: z.string().trim().max(500, 'At most 500 characters.').default(''),
    fallbackKind: z.enum(FALLBACK_KINDS, { message: 'Choose where calls go when the flow cannot run.' }),
    fallbackExtensionId: id.default(null),
  })
  .superRefine((f, ctx) => {
    if (f.fallbackKind !== 'hangup' && !f.fallbackExtensionId) ctx.addIssue({ code: 'custom', path: ['fallbackExtensionId'], message: 'Choose the extension.' });
  })
  .transform((f) => ({ ...f, fallbackExtensionId: f.fallbackKind === 'hangup' ? null : f.fallbackExtensionId }));
export type FlowInfo = z.infer<typeof FlowInfoSchema>;
