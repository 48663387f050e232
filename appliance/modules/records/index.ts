/** Call records: one per call, derived from the ledger (derive.ts), kept in step (records.service.ts),
 * and shown (records.pages.ts: the list, a call's page, the export, today's figures) within who may see what (records.access.ts). */
export { CallRecords } from './records.service.js';
export { LegTracker } from './leg-tracker.js';
export { deriveRecord } from './derive.js';
export { RESULT_LABELS } from './results.js';
export type * from './records.types.js';
export { RecordPages } from './records.pages.js';
export { recordRoutes, type RecordMount } from './records.routes.js';
export { serverZone } from './records.time.js';
export type { Viewer } from './records.access.js';
