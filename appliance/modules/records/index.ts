/** Call records: one per call, derived from the ledger (derive.ts), kept in step (records.service.ts). */
export { CallRecords } from './records.service.js';
export { LegTracker } from './leg-tracker.js';
export { deriveRecord } from './derive.js';
export { RESULT_LABELS } from './results.js';
export type * from './records.types.js';
