import { scheduleZones } from '../../timezones.js';
import { DESTINATION_KINDS, DESTINATIONS } from './destinations.js';
import type { NumberRoute } from './numbers.types.js';
import { slotField } from './schedule-input.js';
import { byDay, DAY_NAMES, formatHolidays, hhmm, MAX_INTERVALS_PER_DAY, WEEKDAYS } from './schedule.js';

// The number form's view: choices, and the schedule as a table of time inputs per weekday.

export const destinationOptions = DESTINATION_KINDS.map((k) => ({ value: k, label: DESTINATIONS[k].label }));

export const newNumberValues = { isInbound: true, destinationKind: 'extension', afterHoursKind: 'hangup', isCallerId: true, timezone: '' };

/** A stored number as the form's fields. */
export function formValues(n: NumberRoute): Record<string, unknown> {
  const values: Record<string, unknown> = {
    ...n,
    trunkId: String(n.trunkId),
    destinationExtensionId: n.destinationExtensionId ? String(n.destinationExtensionId) : '',
    afterHoursExtensionId: n.afterHoursExtensionId ? String(n.afterHoursExtensionId) : '',
    destinationFlowId: n.destinationFlowId ? String(n.destinationFlowId) : '',
    recordingPolicyId: n.recordingPolicyId ? String(n.recordingPolicyId) : '',
    afterHoursFlowId: n.afterHoursFlowId ? String(n.afterHoursFlowId) : '',
    timezone: n.schedule?.timezone ?? '',
    holidays: n.schedule ? formatHolidays(n.schedule.holidays, '\n') : '',
  };
  const days = byDay(n.schedule?.hours ?? []);
  for (const day of WEEKDAYS) {
    days[day].forEach((h, k) => {
      values[slotField(day, k + 1, 'opens')] = hhmm(h.opens);
      // A time input cannot show 24:00: 00:00 as a closing time means midnight at the end of the day.
      values[slotField(day, k + 1, 'closes')] = h.closes === 1440 ? '00:00' : hhmm(h.closes);
    });
  }
  return values;
}

/** "No schedule" first, then every zone FreeSWITCH can follow, plus the current one if Intl only knows it as an alias. */
export function zoneOptions(current: unknown) {
  const zones = scheduleZones();
  const extra = typeof current === 'string' && current && !zones.includes(current) ? [current] : [];
  return [{ value: '', label: 'No schedule: always take calls' }, ...[...extra, ...zones].map((z) => ({ value: z, label: z.replaceAll('_', ' ') }))];
}

/** One row per weekday with as many interval slots as the busiest day uses, plus one free (two at least). */
export function hourRows(values: Record<string, unknown>, errors: Record<string, string> = {}) {
  const filled = (day: (typeof WEEKDAYS)[number], k: number) => Boolean(values[slotField(day, k, 'opens')] || values[slotField(day, k, 'closes')]);
  let used = 0;
  for (const day of WEEKDAYS) for (let k = 1; k <= MAX_INTERVALS_PER_DAY; k++) if (filled(day, k)) used = Math.max(used, k);
  const slots = Math.min(MAX_INTERVALS_PER_DAY, Math.max(2, used + 1));
  return {
    slotHeads: Array.from({ length: slots }, (_, k) => k + 1),
    rows: WEEKDAYS.map((day) => ({
      day,
      label: DAY_NAMES[day],
      error: errors[`hours_${day}`] ?? null,
      slots: Array.from({ length: slots }, (_, i) => {
        const [opens, closes] = [slotField(day, i + 1, 'opens'), slotField(day, i + 1, 'closes')];
        return { k: i + 1, opensName: opens, closesName: closes, opens: values[opens] ?? '', closes: values[closes] ?? '' };
      }),
    })),
  };
}
