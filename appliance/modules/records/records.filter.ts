import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { fieldErrors } from '../../validation.js';
import { dayStart, daysBefore, localDay, nextDay } from './records.time.js';
import { DIRECTIONS, OUTCOMES, RESULTS, type Direction, type Outcome, type Result } from './records.types.js';

/** Days a list covers when no dates are given: this week, so a busy center's first page is recent and quick. */
export const DEFAULT_DAYS = 7;

const blank = (v: unknown) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? undefined : typeof v === 'string' ? v.trim() : v);
const date = z.preprocess(blank, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD.').optional());
const id = z.preprocess(blank, z.string().regex(/^[1-9][0-9]{0,15}$/, 'Choose one from the list.').transform(Number).optional());
const choice = <T extends readonly [string, ...string[]]>(values: T) => z.preprocess(blank, z.enum(values, { error: 'Choose one from the list.' }).optional());

/** The filter as the form and the links send it: every field optional, all strings. */
export const RecordFilterSchema = z.object({
  from: date,
  to: date,
  number: z.preprocess(blank, z.string().regex(/^\+?[0-9]{1,20}$/, 'Digits, optionally after a + (the start of a number is enough).').optional()),
  agentId: id,
  queueId: id,
  direction: choice(DIRECTIONS),
  outcome: choice(OUTCOMES),
  result: choice(RESULTS),
  recorded: z.preprocess(blank, z.enum(['1', 'on', 'true'], { error: 'Tick it or leave it.' }).optional()),
});

/** What a search asks for, with the dates made instants. */
export interface Criteria {
  /** Inclusive, ms. */
  from: number;
  /** Exclusive, ms. */
  to: number;
  number: string | null;
  agentId: number | null;
  queueId: number | null;
  direction: Direction | null;
  outcome: Outcome | null;
  result: Result | null;
  hasRecording: boolean;
}

/** Where a page starts: the rows older than (or newer than) this one, in (started_at, call_id) order. */
export interface Cursor {
  startedAt: number;
  callId: string;
  toward: 'older' | 'newer';
}

/** The filter back as form values (the dates filled in), for the form and for links that keep it. */
export type FilterValues = Record<string, string>;

/**
 * A filter from the query string. Bad input is refused by field (the page shows the errors and no rows, never
 * rows for a filter other than the one asked). Dates are local days in `zone`; `to` includes its whole day.
 */
export function parseFilter(query: unknown, now: number, zone: string, extra: Partial<Criteria> = {}): { criteria: Criteria; values: FilterValues; cursor: Cursor | null } {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const parsed = RecordFilterSchema.safeParse(q);
  if (!parsed.success) throw new ValidationError('records.bad_filter', fieldErrors(parsed.error), 'Some filters need attention: no calls are shown until they are fixed.');
  const f = parsed.data;
  const today = localDay(now, zone);
  const toDay = f.to ?? today;
  const fromDay = f.from ?? (f.to ? daysBefore(f.to, DEFAULT_DAYS - 1) : daysBefore(today, DEFAULT_DAYS - 1));
  const from = dayStart(fromDay, zone);
  const to = dayStart(nextDay(toDay), zone);
  const fields: Record<string, string> = {};
  if (from === null) fields.from = 'There is no such day.';
  if (to === null || dayStart(toDay, zone) === null) fields.to = 'There is no such day.';
  if (from !== null && to !== null && !fields.to && from >= to) fields.to = 'The last day cannot be before the first.';
  if (Object.keys(fields).length) throw new ValidationError('records.bad_filter', fields, 'Some filters need attention: no calls are shown until they are fixed.');
  const criteria: Criteria = {
    from: from!,
    to: to!,
    number: f.number ?? null,
    agentId: f.agentId ?? null,
    queueId: f.queueId ?? null,
    direction: f.direction ?? null,
    outcome: f.outcome ?? null,
    result: f.result ?? null,
    hasRecording: f.recorded !== undefined,
    ...extra,
  };
  const values: FilterValues = { from: fromDay, to: toDay };
  for (const k of ['number', 'direction', 'outcome', 'result'] as const) if (f[k]) values[k] = f[k];
  if (f.agentId) values.agentId = String(f.agentId);
  if (f.queueId) values.queueId = String(f.queueId);
  if (f.recorded) values.recorded = '1';
  return { criteria, values, cursor: parseCursor(q) };
}

// A call id is a FreeSWITCH uuid; the pattern is looser so that records of other origins page too.
const CURSOR = /^(\d{1,15})_([A-Za-z0-9._:-]{1,100})$/;

/** `before` (an older page) or `after` (a newer page); a cursor that is not ours means the first page. */
export function parseCursor(q: Record<string, unknown>): Cursor | null {
  for (const [key, toward] of [['before', 'older'], ['after', 'newer']] as const) {
    const m = typeof q[key] === 'string' ? CURSOR.exec(q[key]) : null;
    if (m) return { startedAt: Number(m[1]), callId: m[2]!, toward };
  }
  return null;
}

export const cursorOf = (r: { startedAt: number; callId: string }) => `${r.startedAt}_${r.callId}`;
