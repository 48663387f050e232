import { zoneProblem } from '../../timezones.js';
import { checkDay, DAY_NAMES, minutesOf, parseHolidays, parseHours, MAX_INTERVALS_PER_DAY, WEEKDAYS, type OpenInterval, type Schedule, type Weekday } from './schedule.js';

/** The form's fields for one interval of a weekday row, e.g. mon_opens_1 and mon_closes_1. */
export const slotField = (day: Weekday, k: number, end: 'opens' | 'closes') => `${day}_${end}_${k}`;

/**
 * The schedule part of a number's input. Hours come as the compact text (`hours`, from CSV and the API) or, from
 * the form, as rows of time inputs per weekday; holidays as text; no time zone means no schedule. Problems are
 * keyed by field: timezone, holidays, hours (the text or the whole table) and hours_<day> (one row).
 */
export function readSchedule(input: Record<string, unknown>): { schedule: Schedule | null; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const text = (k: string) => (typeof input[k] === 'string' ? (input[k] as string).trim() : '');
  const timezone = text('timezone');

  let hours: OpenInterval[];
  if (typeof input.hours === 'string') {
    const parsed = parseHours(input.hours);
    hours = parsed.hours;
    if (parsed.problems.length) fields.hours = parsed.problems.join(' ');
  } else hours = readRows(fields, text);

  const { holidays, problems } = parseHolidays(text('holidays'));
  if (problems.length) fields.holidays = problems.join(' ');

  if (!timezone) {
    if (hours.length || holidays.length) fields.timezone = 'Choose the time zone of these hours, or clear the hours and holidays for a number that always takes calls.';
    return { schedule: null, fields };
  }
  const problem = zoneProblem(timezone);
  if (problem) fields.timezone = problem;
  if (!hours.length && !fields.hours && !Object.keys(fields).some((f) => f.startsWith('hours_'))) {
    fields.hours = 'Add opening hours: without any the number would never take calls. Choose "No schedule" for a number that always does.';
  }
  return { schedule: { timezone, hours, holidays }, fields };
}

function readRows(fields: Record<string, string>, text: (k: string) => string): OpenInterval[] {
  const hours: OpenInterval[] = [];
  for (const day of WEEKDAYS) {
    const intervals: OpenInterval[] = [];
    for (let k = 1; k <= MAX_INTERVALS_PER_DAY; k++) {
      const [o, c] = [text(slotField(day, k, 'opens')), text(slotField(day, k, 'closes'))];
      if (!o && !c) continue;
      const opens = minutesOf(o);
      // Time inputs send 00:00 for midnight: as a closing time it means the end of the day.
      const closes = c === '00:00' ? 1440 : minutesOf(c);
      if (opens === null || closes === null || opens === 1440) {
        fields[`hours_${day}`] = 'Give both an opening and a closing time (HH:MM).';
        break;
      }
      intervals.push({ day, opens, closes });
    }
    const problem = fields[`hours_${day}`] ? null : checkDay(DAY_NAMES[day], intervals);
    if (problem) fields[`hours_${day}`] = problem;
    hours.push(...intervals.sort((a, b) => a.opens - b.opens));
  }
  return hours;
}
