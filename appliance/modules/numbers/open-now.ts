import type { Holiday, Schedule, Weekday } from './schedule.js';

export interface ScheduleStatus {
  isOpen: boolean;
  why: 'no schedule' | 'open hours' | 'holiday' | 'outside hours';
  /** The holiday that closes the number today. */
  holiday: Holiday | null;
  /** The number's local wall-clock time, e.g. "Mon 2026-03-30 09:15", or null without a schedule. */
  localTime: string | null;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    // h23: midnight is 00, never 24 as some locales write it.
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(timeZone, f);
  }
  return f;
}

/** Wall-clock date, weekday and second of the day in a zone at an instant (daylight saving included). */
export function localClock(timeZone: string, at: number): { date: string; day: Weekday; second: number; text: string } {
  const parts = Object.fromEntries(formatFor(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  const day = parts.weekday!.slice(0, 3).toLowerCase() as Weekday;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return { date, day, second: Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second), text: `${parts.weekday} ${date} ${parts.hour}:${parts.minute}` };
}

/**
 * Whether a number takes calls at an instant, the way the generated dialplan decides it: closed all day on a
 * holiday (local date), otherwise open inside an interval of the local weekday (opens ≤ time < closes).
 */
export function scheduleStatus(schedule: Schedule | null, at: number): ScheduleStatus {
  if (!schedule) return { isOpen: true, why: 'no schedule', holiday: null, localTime: null };
  const now = localClock(schedule.timezone, at);
  const holiday = schedule.holidays.find((h) => h.date === now.date) ?? null;
  if (holiday) return { isOpen: false, why: 'holiday', holiday, localTime: now.text };
  const isOpen = schedule.hours.some((h) => h.day === now.day && h.opens * 60 <= now.second && now.second < h.closes * 60);
  return { isOpen, why: isOpen ? 'open hours' : 'outside hours', holiday: null, localTime: now.text };
}
