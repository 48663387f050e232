/**
 * Days and clock times in one time zone (the server's, by default), for the records' date filters, their times on
 * the pages and CSV, and the dashboard's "today". Intl does the zone arithmetic; nothing here reads the clock.
 */
export const serverZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const formats = new Map<string, Intl.DateTimeFormat>();
function parts(ms: number, zone: string): Record<string, number> {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(zone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(ms)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** How far the zone's wall clock is ahead of UTC at this instant, in ms. */
function offset(ms: number, zone: string): number {
  const p = parts(ms, zone);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(ms / 1000) * 1000;
}

/** The instant a local day (YYYY-MM-DD) begins in the zone; null for a date that does not exist. */
export function dayStart(ymd: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const wall = Date.UTC(y, mo - 1, d);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  // Twice: the offset at the first guess may differ from the offset at the answer across a DST change.
  const guess = wall - offset(wall, zone);
  return wall - offset(guess, zone);
}

/** The local day (YYYY-MM-DD) an instant falls on. */
export function localDay(ms: number, zone: string): string {
  const p = parts(ms, zone);
  return `${p.year}-${pad(p.month!)}-${pad(p.day!)}`;
}

/** The next local day after YYYY-MM-DD. */
export function nextDay(ymd: string): string {
  return new Date(Date.parse(`${ymd}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The day `n` days before YYYY-MM-DD. */
export function daysBefore(ymd: string, n: number): string {
  return new Date(Date.parse(`${ymd}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

/** "2026-01-01 09:00:05" in the zone. */
export function localDateTime(ms: number, zone: string): string {
  const p = parts(ms, zone);
  return `${p.year}-${pad(p.month!)}-${pad(p.day!)} ${pad(p.hour!)}:${pad(p.minute!)}:${pad(p.second!)}`;
}

/** The local hour (0–23) of an instant. */
export function localHour(ms: number, zone: string): number {
  return parts(ms, zone).hour!;
}

const pad = (n: number) => String(n).padStart(2, '0');
