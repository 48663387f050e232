import type { PolicySource, RecordingPolicy } from './recordings.types.js';

/** The policies that could apply to a call, by who names them; null where none is named. */
export interface PolicyIds {
  agent: number | null;
  queue: number | null;
  number: number | null;
}

/** The most specific policy that exists: the agent's, else the queue's, else the number's. */
export function effectivePolicy(ids: PolicyIds, find: (id: number) => RecordingPolicy | null): { policy: RecordingPolicy; source: PolicySource } | null {
  for (const source of ['agent', 'queue', 'number'] as const) {
    const id = ids[source];
    const policy = id === null ? null : find(id);
    if (policy) return { policy, source };
  }
  return null;
}

/** Whether a policy records this call; `random` is in [0, 1) (injected, so tests choose the outcome). */
export function shouldRecord(policy: RecordingPolicy, random: () => number): boolean {
  if (policy.mode === 'always') return true;
  if (policy.mode === 'never') return false;
  return random() * 100 < (policy.percent ?? 0);
}

/** Where a recording is written, relative to the data directory: by the UTC day it started. */
export function recordingPath(startedAt: number, callId: string, recordingId: number): string {
  const d = new Date(startedAt).toISOString();
  return `recordings/${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/${callId}-${recordingId}.wav`;
}

const DAY = 86_400_000;
/** When the retention job removes a recording; null: kept until deleted by hand. */
export const deleteAfter = (from: number, retentionDays: number): number | null => (retentionDays > 0 ? from + retentionDays * DAY : null);
