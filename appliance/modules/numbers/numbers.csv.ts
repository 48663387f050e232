import { yesNo } from '../../csv.js';
import { DESTINATION_KINDS, DESTINATIONS, type DestinationKind } from './destinations.js';
import type { NumberRoute } from './numbers.types.js';
import { formatHolidays, formatHours } from './schedule.js';

/**
 * Numbers as CSV. A destination cell is an extension's number, `voicemail 1001`, `flow <name>`, or the name of a
 * kind that needs no target (hangup). The schedule: `timezone` (IANA; empty = always open), `hours` in the compact text form
 * (`mon-fri 09:00-17:30; sat 10:00-13:00`), `holidays` as dates with optional labels (`2026-12-25 Christmas;
 * 2026-12-26`) and `after_hours`, a destination cell like `destination`.
 */
export const CSV_COLUMNS = ['number', 'trunk', 'destination', 'inbound', 'caller_id', 'recording_policy', 'survey', 'timezone', 'hours', 'holidays', 'after_hours'];
export const CSV_REQUIRED = ['number', 'trunk', 'destination'];
export const CSV_EXAMPLE = '+4930123456,Carrier A,1001,yes,yes,,no,Europe/Berlin,mon-fri 09:00-17:30; sat 10:00-13:00,2026-12-25 Christmas; 2026-12-26,hangup';

/** Which column a form field's problem belongs to. */
export const FIELD_COLUMNS: Record<string, string> = {
  number: 'number',
  trunkId: 'trunk',
  destinationKind: 'destination',
  destinationExtensionId: 'destination',
  destinationFlowId: 'destination',
  isInbound: 'inbound',
  isCallerId: 'caller_id',
  recordingPolicyId: 'recording_policy',
  hasSurvey: 'survey',
  timezone: 'timezone',
  hours: 'hours',
  holidays: 'holidays',
  afterHoursKind: 'after_hours',
  afterHoursExtensionId: 'after_hours',
  afterHoursFlowId: 'after_hours',
};

export interface CsvLookups {
  trunkIdByName(name: string): number | null;
  trunkName(id: number): string | null;
  extensionIdByNumber(number: string): number | null;
  extensionNumber(id: number): string | null;
  flowIdByName(name: string): number | null;
  flowName(id: number): string | null;
  recordingPolicyIdByName(name: string): number | null;
  recordingPolicyName(id: number): string | null;
}

const targetless = DESTINATION_KINDS.filter((k) => DESTINATIONS[k].target === null);

type Destination = { kind: DestinationKind; extensionId: number | null; flowId: number | null };

function readDestination(cell: string, lookups: CsvLookups): Destination | null {
  const kind = targetless.find((k) => k === cell.toLowerCase());
  if (kind) return { kind, extensionId: null, flowId: null };
  const flow = /^flow\s+(.+)$/i.exec(cell);
  if (flow) {
    const id = lookups.flowIdByName(flow[1]!.trim());
    return id === null ? null : { kind: 'flow', extensionId: null, flowId: id };
  }
  // "voicemail 1001": that extension's box.
  const box = /^voicemail\s+(\S+)$/i.exec(cell);
  if (box) {
    const id = lookups.extensionIdByNumber(box[1]!);
    return id === null ? null : { kind: 'voicemail', extensionId: id, flowId: null };
  }
  const extensionId = lookups.extensionIdByNumber(cell);
  return extensionId === null ? null : { kind: 'extension', extensionId, flowId: null };
}

/**
 * A CSV row as the number form's input. Cells that name something (trunk, extensions) or say yes/no are read
 * here, and their problems returned by column; everything else is checked by the service like a form.
 */
export function rowToInput(values: Record<string, string>, lookups: CsvLookups): { input: Record<string, unknown>; problems: Map<string, string> } {
  const problems = new Map<string, string>();
  const input: Record<string, unknown> = { number: values.number, timezone: values.timezone ?? '', hours: values.hours ?? '', holidays: values.holidays ?? '' };
  const trunkId = lookups.trunkIdByName(values.trunk ?? '');
  if (trunkId === null) problems.set('trunk', `no trunk is named "${values.trunk}"`);
  else input.trunkId = trunkId;
  const slots = [
    ['destination', 'destinationKind', 'destinationExtensionId', 'destinationFlowId', values.destination ?? ''],
    ['after_hours', 'afterHoursKind', 'afterHoursExtensionId', 'afterHoursFlowId', values.after_hours || 'hangup'],
  ] as const;
  for (const [column, kindField, extensionField, flowField, cell] of slots) {
    const d = readDestination(cell, lookups);
    if (!d) problems.set(column, `"${cell}" is not an extension number, "voicemail" and an extension number, "flow" and a flow's name, or ${targetless.map((k) => `"${k}"`).join(' or ')}`);
    else Object.assign(input, { [kindField]: d.kind, [extensionField]: d.extensionId, [flowField]: d.flowId });
  }
  const flags = [
    ['inbound', 'isInbound', true],
    ['caller_id', 'isCallerId', true],
    ['survey', 'hasSurvey', false],
  ] as const;
  for (const [column, field, fallback] of flags) {
    const v = yesNo(values[column], fallback);
    if (v === null) problems.set(column, 'use yes or no');
    else input[field] = v;
  }
  const policy = (values.recording_policy ?? '').trim();
  const policyId = policy ? lookups.recordingPolicyIdByName(policy) : null;
  if (policy && policyId === null) problems.set('recording_policy', `no recording policy is named "${policy}"`);
  else input.recordingPolicyId = policyId;
  return { input, problems };
}

/** A number as a CSV row, in the import's format. */
export function numberToRow(n: NumberRoute, lookups: CsvLookups): string[] {
  const cell = (kind: DestinationKind, extensionId: number | null, flowId: number | null) =>
    flowId ? `flow ${lookups.flowName(flowId) ?? ''}` : extensionId ? `${kind === 'voicemail' ? 'voicemail ' : ''}${lookups.extensionNumber(extensionId) ?? ''}` : kind;
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  return [
    n.number,
    lookups.trunkName(n.trunkId) ?? '',
    cell(n.destinationKind, n.destinationExtensionId, n.destinationFlowId),
    yes(n.isInbound),
    yes(n.isCallerId),
    n.recordingPolicyId ? (lookups.recordingPolicyName(n.recordingPolicyId) ?? '') : '',
    yes(n.hasSurvey),
    n.schedule?.timezone ?? '',
    n.schedule ? formatHours(n.schedule.hours) : '',
    n.schedule ? formatHolidays(n.schedule.holidays) : '',
    cell(n.afterHoursKind, n.afterHoursExtensionId, n.afterHoursFlowId),
  ];
}
