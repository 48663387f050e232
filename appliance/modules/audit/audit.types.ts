import { z } from 'zod';

export interface AuditEntry {
  id: number;
  at: string;
  actorUserId: number | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string | null;
  summary: string;
  details: Record<string, unknown>;
  ip: string | null;
}

export interface NewAuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  summary: string;
  details?: Record<string, unknown>;
}

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const AuditFilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  action: z.string().trim().max(64).regex(/^[a-z._]*$/).optional().catch(undefined),
  from: Day.optional().catch(undefined),
  to: Day.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000000).catch(1).default(1),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;
