/**
 * A number's schedule: open intervals per weekday and closed holidays, in one IANA time zone. Times are
 * minutes after local midnight; an interval [opens, closes) never runs past midnight (closes may be 24:00).
 *
 * The compact text form (CSV, API): groups of days and intervals separated by ";", e.g.
 * `mon-fri 09:00-12:00,13:00-17:30; sat 10:00-13:00`. Days are mon…sun, lists (mon,wed) and ranges (mon-fri).
 * Holidays: dates (YYYY-MM-DD), each with an optional label, separated by ";" or new lines, e.g.
 * `2026-12-25 Christmas Day; 2026-12-26`.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const DAY_NAMES: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

export interface OpenInterval {
  day: Weekday;
  opens: number;
  closes: number;
}
export interface Holiday {
  date: string;
  label: string;
}
export interface Schedule {
  timezone: string;
  hours: OpenInterval[];
  holidays: Holiday[];
}

/** More would make the form unwieldy; no business needs it. */
export const MAX_INTERVALS_PER_DAY = 4;
export const MAX_HOLIDAYS = 200;

const TIME = /^([01][0-9]|2[0-3]):([0-5][0-9])$|^24:00$/;

/** "HH:MM" → minutes, or null. 24:00 is allowed: it closes at midnight. */
export function minutesOf(hhmm: string): number | null {
  const m = TIME.exec(hhmm);
  if (!m) return null;
  return m[1] === undefined ? 1440 : Number(m[1]) * 60 + Number(m[2]);
}

export const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export const intervalText = (i: { opens: number; closes: number }) => `${hhmm(i.opens)}-${hhmm(i.closes)}`;

const BACKWARDS = 'closes before it opens (hours cannot run past midnight: end at 24:00 and open again at 00:00 the next day).';

/** The first problem with one day's intervals (order, overlap, count), in words, or null. `days` names the day(s). */
export function checkDay(days: string, intervals: { opens: number; closes: number }[]): string | null {
  if (intervals.length > MAX_INTERVALS_PER_DAY) return `${days}: at most ${MAX_INTERVALS_PER_DAY} opening intervals a day.`;
  const wrong = intervals.find((i) => i.closes <= i.opens);
  if (wrong) return `${days} ${intervalText(wrong)}: ${BACKWARDS}`;
  const sorted = [...intervals].sort((a, b) => a.opens - b.opens);
  for (let k = 1; k < sorted.length; k++) {
    const [a, b] = [sorted[k - 1]!, sorted[k]!];
    if (b.opens < a.closes) return `${days}: ${intervalText(a)} and ${intervalText(b)} overlap.`;
  }
  return null;
}

/** The intervals of each day, sorted by opening time. */
export function byDay(hours: OpenInterval[]): Record<Weekday, OpenInterval[]> {
  const out = Object.fromEntries(WEEKDAYS.map((d) => [d, [] as OpenInterval[]])) as Record<Weekday, OpenInterval[]>;
  for (const h of hours) out[h.day].push(h);
  for (const d of WEEKDAYS) out[d].sort((a, b) => a.opens - b.opens);
  return out;
}

/** Parse the compact text form; every problem is reported, by day where it concerns one. */
export function parseHours(text: string): { hours: OpenInterval[]; problems: string[] } {
  const hours: OpenInterval[] = [];
  const problems: string[] = [];
  for (const group of text.split(';').map((g) => g.trim()).filter(Boolean)) {
    const m = /^([a-z,-]+)\s+(.+)$/i.exec(group);
    const days = m ? parseDays(m[1]!.toLowerCase()) : null;
    if (!m || !days) {
      problems.push(`"${group}": write days (mon-fri, sat, mon,wed) then times (09:00-17:30).`);
      continue;
    }
    for (const part of m[2]!.split(',').map((p) => p.trim())) {
      const t = /^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(part);
      const opens = t ? minutesOf(t[1]!.padStart(5, '0')) : null;
      const closes = t ? minutesOf(t[2]!.padStart(5, '0')) : null;
      if (opens === null || closes === null || opens === 1440) problems.push(`"${part}": write times as HH:MM-HH:MM, from 00:00 to 24:00.`);
      else if (closes <= opens) problems.push(`"${part}": ${BACKWARDS}`);
      else for (const day of days) hours.push({ day, opens, closes });
    }
  }
  const grouped = byDay(hours);
  // Days written together have the same intervals: one problem for them all, named as written (mon-fri).
  for (const days of sameHours(grouped).values()) {
    const problem = checkDay(dayRanges(days), grouped[days[0]!]);
    if (problem) problems.push(problem);
  }
  return { hours: WEEKDAYS.flatMap((d) => grouped[d]), problems };
}

/** Days grouped by identical intervals, keyed by the intervals as text, in week order. */
function sameHours(grouped: Record<Weekday, OpenInterval[]>): Map<string, Weekday[]> {
  const groups = new Map<string, Weekday[]>();
  for (const d of WEEKDAYS) {
    if (!grouped[d].length) continue;
    const key = grouped[d].map(intervalText).join(',');
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return groups;
}

function parseDays(spec: string): Weekday[] | null {
  const out: Weekday[] = [];
  for (const part of spec.split(',')) {
    const [from, to, extra] = part.split('-');
    const a = WEEKDAYS.indexOf(from as Weekday);
    const b = to === undefined ? a : WEEKDAYS.indexOf(to as Weekday);
    if (a < 0 || b < 0 || extra !== undefined) return null;
    // A range may wrap the week end: fri-mon is Friday to Monday.
    for (let k = a; ; k = (k + 1) % 7) {
      if (!out.includes(WEEKDAYS[k]!)) out.push(WEEKDAYS[k]!);
      if (k === b) break;
    }
  }
  return out;
}

/** The compact text form: days with the same intervals share a group; consecutive days become ranges. */
export function formatHours(hours: OpenInterval[]): string {
  return [...sameHours(byDay(hours))].map(([times, days]) => `${dayRanges(days)} ${times}`).join('; ');
}

function dayRanges(days: Weekday[]): string {
  const runs: Weekday[][] = [];
  for (const d of days) {
    const last = runs.at(-1);
    if (last && WEEKDAYS.indexOf(last.at(-1)!) + 1 === WEEKDAYS.indexOf(d)) last.push(d);
    else runs.push([d]);
  }
  return runs.map((r) => (r.length > 2 ? `${r[0]}-${r.at(-1)}` : r.join(','))).join(',');
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LABEL = /^[^\p{Cc};<>"]{0,60}$/u;

/** A real calendar date in the years a schedule can mean. */
export function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 2000 && y <= 2099 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Parse holidays: each date may be followed by a label; entries are separated by ";", new lines or just the next date. */
export function parseHolidays(text: string): { holidays: Holiday[]; problems: string[] } {
  const holidays: Holiday[] = [];
  const problems: string[] = [];
  for (const entry of text.split(/[;\r\n]+/).map((e) => e.trim()).filter(Boolean)) {
    let current: { date: string; words: string[] } | null = null;
    const flush = () => current && holidays.push({ date: current.date, label: current.words.join(' ') });
    for (const word of entry.split(/\s+/)) {
      if (DATE.test(word)) {
        flush();
        current = { date: word, words: [] };
        if (!isDate(word)) problems.push(`${word} is not a date (YYYY-MM-DD, years 2000 to 2099).`);
      } else if (!current) {
        problems.push(`"${entry}": start with a date (YYYY-MM-DD), then an optional label.`);
        break;
      } else current.words.push(word);
    }
    flush();
  }
  const seen = new Set<string>();
  for (const h of holidays) {
    if (seen.has(h.date)) problems.push(`${h.date} is listed twice.`);
    seen.add(h.date);
    if (!LABEL.test(h.label)) problems.push(`${h.date}: a label is at most 60 characters, without ; < > " or control characters.`);
  }
  if (holidays.length > MAX_HOLIDAYS) problems.push(`At most ${MAX_HOLIDAYS} holidays.`);
  return { holidays: [...holidays].sort((a, b) => a.date.localeCompare(b.date)), problems };
}

/** Holidays as text: one "date label" per entry, joined by `separator` ("; " in CSV, a new line in the form). */
export const formatHolidays = (holidays: Holiday[], separator = '; '): string => holidays.map((h) => (h.label ? `${h.date} ${h.label}` : h.date)).join(separator);
