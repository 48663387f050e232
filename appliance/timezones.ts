import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * IANA time zones, for schedules. The controller computes local time with Intl; FreeSWITCH evaluates its
 * dialplan time conditions in a zone only if its timezones.conf names the zone with a POSIX rule, which we take
 * from the system's time-zone database (Debian's tzdata): the last line of a TZif v2+ file is that rule.
 */
export const ZONEINFO_DIR = '/usr/share/zoneinfo';

// IANA names: letters, digits, _ + - in up to three parts. No dots, so a name never climbs out of ZONEINFO_DIR.
const NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/** Whether Intl knows the zone (aliases such as Asia/Kolkata included), matched exactly as the tz database spells it. */
export function isIanaZone(zone: string): boolean {
  if (!NAME.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    // Intl throws RangeError for a name it does not know: that is the answer, not a failure.
    return false;
  }
}

/**
 * The POSIX rule for a zone in the dialect FreeSWITCH 1.10 parses (switch_time.c tzparse), or null when the zone
 * is unknown or its rule cannot be said in that dialect. FreeSWITCH's parser takes only alphabetic zone
 * abbreviations of 3+ letters (not tzdata's quoted "<-03>") and no negative transition times ("/-1", Greenland).
 */
export function switchZoneRule(zone: string, dir = ZONEINFO_DIR): string | null {
  if (!isIanaZone(zone)) return null;
  let data: Buffer;
  try {
    data = readFileSync(join(dir, zone));
  } catch {
    // A zone Intl knows but this system's tz database lacks: FreeSWITCH cannot be told its rule.
    return null;
  }
  if (data.subarray(0, 4).toString('latin1') !== 'TZif' || data[4] === 0) return null;
  const text = data.toString('latin1');
  const footer = text.slice(text.lastIndexOf('\n', text.length - 2) + 1, -1);
  return toSwitchRule(footer);
}

const OFFSET = String.raw`[+-]?\d{1,3}(:\d{1,2}){0,2}`;
const RULE = String.raw`(M\d{1,2}\.\d\.\d|J\d{1,3}|\d{1,3})(/\d{1,3}(:\d{1,2}){0,2})?`;
const SWITCH_RULE = new RegExp(`^[A-Za-z]{3,}${OFFSET}([A-Za-z]{3,}(${OFFSET})?,${RULE},${RULE})?$`);

/** A tzdata POSIX rule rewritten for FreeSWITCH, or null when it cannot be. */
export function toSwitchRule(posix: string): string | null {
  let n = 0;
  // The abbreviations are only labels; the offsets and rules carry the meaning.
  const rule = posix.replace(/<[^>]*>/g, () => (n++ === 0 ? 'STD' : 'DST'));
  return SWITCH_RULE.test(rule) ? rule : null;
}

/** Why a schedule cannot use a zone, in words a person can act on; null when it can. */
export function zoneProblem(zone: string, dir = ZONEINFO_DIR): string | null {
  if (!existsSync(dir)) return `This system has no time-zone database (${dir}, Debian package tzdata), so FreeSWITCH cannot follow any zone.`;
  // Intl accepts any spelling (europe/berlin); the tz database, and so FreeSWITCH, only the exact one.
  if (!isIanaZone(zone) || !existsSync(join(dir, zone))) return 'Choose a time zone from the list (IANA names such as Europe/Berlin).';
  if (!switchZoneRule(zone, dir)) return `FreeSWITCH cannot follow ${zone}'s daylight-saving rule; choose a zone with the same clock.`;
  return null;
}

let zoneList: string[] | undefined;
/** Every zone a schedule may use, sorted: Intl's list (plus UTC) where FreeSWITCH can be given the rule. */
export function scheduleZones(): string[] {
  zoneList ??= [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].filter((z) => switchZoneRule(z) !== null).sort();
  return zoneList;
}
