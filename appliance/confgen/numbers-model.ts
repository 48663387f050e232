import type { ModelData, ModelTrunk } from './model.js';

// Numbers in the configuration model: their destinations as dialplan actions, and their schedules as
// FreeSWITCH's time conditions.

export interface ModelNumber {
  id: number;
  /** The digits without '+': the dialplan matches them with or without it. */
  digits: string;
  trunkId: number;
  gateway: string;
  /** A registration trunk's calls are recognised by the contact secret, an IP trunk's by their source address. */
  register: boolean;
  maxCalls: number;
  isInbandDtmf: boolean;
  /** What sends a call to the number's destination (in open hours, when it has a schedule). */
  actions: ModelAction[];
  /** Null: always open. */
  schedule: ModelSchedule | null;
}

export interface ModelAction {
  app: string;
  data: string;
}

/** A schedule as FreeSWITCH's dialplan time conditions, which it evaluates in the channel's `timezone`. */
export interface ModelSchedule {
  timezone: string;
  holidays: { year: number; mon: number; mday: number }[];
  /** One entry per set of weekdays with the same intervals: wday and time-of-day attribute values. */
  open: { wday: string; tod: string }[];
  afterHours: ModelAction[];
}

export type DestinationKind = 'extension' | 'voicemail' | 'flow' | 'hangup';

/** What a destination names: an extension's number (extension, voicemail) or a flow. */
export interface DestinationTarget {
  extension: string | null;
  flowId: number | null;
}

/**
 * The dialplan actions that send a call to a destination, the same for a number's open-hours and after-hours
 * destination; null when its target is gone. A new destination kind adds one entry.
 */
const DESTINATION_ACTIONS: Record<DestinationKind, (t: DestinationTarget, known: { boxes: Set<string>; flows: Set<number> }) => ModelAction[] | null> = {
  extension: ({ extension }) => (extension ? [{ app: 'transfer', data: `${extension} XML internal` }] : null),
  voicemail: ({ extension }, { boxes }) => (extension && boxes.has(extension) ? [{ app: 'transfer', data: `${extension} XML callbox_voicemail` }] : null),
  // The controller runs the flow on the parked call (callbox.xml); the number dialled is kept, since the
  // transfer replaces destination_number with "enter".
  flow: ({ flowId }, { flows }) =>
    flowId !== null && flows.has(flowId)
      ? [
          { app: 'set', data: `callbox_flow_id=${flowId}` },
          { app: 'set', data: 'callbox_dialed=${destination_number}' },
          { app: 'transfer', data: 'enter XML callbox' },
        ]
      : null,
  hangup: () => [{ app: 'hangup', data: 'CALL_REJECTED' }],
};

/** Where a destination sends a call, as dialplan actions; null when its target is gone. */
export function destinationActions(kind: DestinationKind, t: DestinationTarget, known: { boxes: Set<string>; flows: Set<number> }): ModelAction[] | null {
  return DESTINATION_ACTIONS[kind](t, known);
}

/** What the numbers module stores of a schedule, with the zone's rule for FreeSWITCH (null when there is none). */
export interface ScheduleData {
  timezone: string;
  zoneRule: string | null;
  hours: { day: string; opens: number; closes: number }[];
  holidays: { date: string }[];
}

/**
 * Only inbound numbers on enabled trunks, whose destinations exist, reach the dialplan; with them, the zones their
 * schedules use and each zone's rule, sorted by name.
 */
export function modelNumbers(data: ModelData, trunks: ModelTrunk[], known: { boxes: Set<string>; flows: Set<number> }): { numbers: ModelNumber[]; timezones: { name: string; rule: string }[] } {
  const zoneRules = new Map<string, string>();
  const numbers = data.numbers
    .filter((n) => n.isInbound)
    .flatMap((n) => {
      const t = trunks.find((x) => x.gateway === `trunk_${n.trunkId}`);
      const actions = destinationActions(n.destinationKind, { extension: n.extension, flowId: n.flowId ?? null }, known);
      const afterHours = destinationActions(n.afterHoursKind ?? 'hangup', { extension: n.afterHoursExtension ?? null, flowId: n.afterHoursFlowId ?? null }, known);
      if (!t || !actions || (n.schedule && !afterHours)) return [];
      return [{ id: n.id, digits: n.number.replace(/^\+/, ''), trunkId: n.trunkId, gateway: t.gateway, register: t.register, maxCalls: t.maxCalls, isInbandDtmf: t.isInbandDtmf, actions, schedule: n.schedule ? modelSchedule(n.schedule, afterHours!, zoneRules) : null }];
    });
  const timezones = [...zoneRules].map(([name, rule]) => ({ name, rule })).sort((a, b) => (a.name < b.name ? -1 : 1));
  return { numbers, timezones };
}

const hms = (second: number) => [Math.floor(second / 3600), Math.floor(second / 60) % 60, second % 60].map((x) => String(x).padStart(2, '0')).join(':');

function modelSchedule(s: ScheduleData, afterHours: ModelAction[], zoneRules: Map<string, string>): ModelSchedule {
  // The switch cannot read a zone it has no rule for: its time conditions would compare garbage. Refuse to publish.
  if (!s.zoneRule) throw new RangeError(`time zone ${s.timezone} has no rule FreeSWITCH can read in this system's time-zone database`);
  zoneRules.set(s.timezone, s.zoneRule);
  const days = new Map<string, string[]>();
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) {
    const intervals = s.hours.filter((h) => h.day === day).sort((a, b) => a.opens - b.opens);
    if (!intervals.length) continue;
    // time-of-day ranges include their last second: an interval closing at 17:30 ends at 17:29:59.
    const tod = intervals.map((h) => `${hms(h.opens * 60)}-${hms(h.closes * 60 - 1)}`).join(',');
    days.set(tod, [...(days.get(tod) ?? []), day]);
  }
  return {
    timezone: s.timezone,
    holidays: s.holidays.map((h) => {
      const [year, mon, mday] = h.date.split('-').map(Number) as [number, number, number];
      return { year, mon, mday };
    }),
    open: [...days].map(([tod, wdays]) => ({ wday: wdays.join(','), tod })),
    afterHours,
  };
}
