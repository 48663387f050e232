import { stringify } from 'csv-stringify/sync';
import { RESULT_LABELS } from './results.js';
import { localDateTime } from './records.time.js';
import type { RecordRow } from './records.query.js';
import type { CallRecord } from './records.types.js';
import { OUTCOME_LABELS, type Names } from './records.view.js';

/** The export's columns, in the order a spreadsheet shows them. Times in the zone the page shows. */
export const CSV_HEADER = [
  'call id', 'start', 'answer', 'end', 'direction', 'caller', 'callee', 'dialed', 'trunk', 'queue', 'wait s', 'outcome', 'result',
  'agents', 'talk s', 'hold s', 'wrap s', 'hangup cause', 'hung up by', 'disposition', 'note', 'survey', 'recording',
];

const secs = (ms: number | null) => (ms === null ? '' : Math.round(ms / 1000));

/** One record as a CSV line's cells. The row's columns are the truth; the record's JSON adds agents and notes. */
export function csvCells(row: RecordRow, record: CallRecord, names: Names, zone: string): (string | number)[] {
  const time = (ms: number | null) => (ms === null ? '' : localDateTime(ms, zone));
  const agentIds = [...new Set(record.agents.map((a) => a.agentId))];
  const sum = (k: 'holdMs' | 'wrapMs') => record.agents.reduce((n, a) => n + a[k], 0);
  return [
    row.callId,
    time(row.startedAt),
    time(row.answeredAt),
    time(row.endedAt),
    row.direction,
    row.caller,
    row.callee,
    row.dialed,
    row.trunkId === null ? '' : (names.trunk.get(row.trunkId) ?? `#${row.trunkId}`),
    row.queueId === null ? '' : (names.queue.get(row.queueId) ?? `#${row.queueId}`),
    secs(row.waitMs),
    OUTCOME_LABELS[row.outcome],
    row.result ? RESULT_LABELS[row.result] : '',
    agentIds.map((id) => names.agent.get(id) ?? `#${id}`).join('; '),
    secs(row.talkMs),
    secs(sum('holdMs')),
    secs(sum('wrapMs')),
    row.hangupCause ?? '',
    row.hangupSide ?? '',
    row.disposition ?? '',
    record.disposition?.note ?? '',
    row.survey ?? '',
    row.hasRecording ? 'yes' : 'no',
  ];
}

/** Cells as CSV text. A leading =, +, - or @ would make a spreadsheet run the cell as a formula: quote it away. */
export function csvText(rows: (string | number)[][]): string {
  return stringify(rows.map((cells) => cells.map((c) => (typeof c === 'string' && /^[=+\-@\t\r]/.test(c) && !/^\+?[0-9]+$/.test(c) ? `'${c}` : c))));
}
