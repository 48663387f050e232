import type { Db } from '../../db/database.js';
import type { Criteria, Cursor } from './records.filter.js';
import type { Direction, Outcome, Result } from './records.types.js';

/**
 * Whose calls a user may see, as SQL can apply it: every call, or the calls that touched one of `queueIds` or in
 * which `agentId` was an agent. records.access.ts decides a user's scope; this file only applies it.
 */
export type Scope = { all: true } | { all: false; queueIds: number[]; agentId: number | null };

/** A row of the list: the record's columns, without its JSON. */
export interface RecordRow {
  callId: string;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  direction: Direction;
  caller: string;
  callee: string;
  dialed: string;
  trunkId: number | null;
  queueId: number | null;
  agentId: number | null;
  outcome: Outcome;
  result: Result | null;
  waitMs: number | null;
  talkMs: number;
  durationMs: number;
  hangupCause: string | null;
  hangupSide: string | null;
  disposition: string | null;
  survey: number | null;
  hasRecording: boolean;
}

const COLUMNS = `r.call_id AS callId, r.started_at AS startedAt, r.answered_at AS answeredAt, r.ended_at AS endedAt, r.direction, r.caller,
  r.callee, r.dialed, r.trunk_id AS trunkId, r.queue_id AS queueId, r.agent_id AS agentId, r.outcome, r.result, r.wait_ms AS waitMs,
  r.talk_ms AS talkMs, r.duration_ms AS durationMs, r.hangup_cause AS hangupCause, r.hangup_side AS hangupSide, r.disposition, r.survey,
  r.has_recording AS hasRecording`;

type Params = Record<string, string | number>;
/** Below this many calls with the number, look them up by number rather than scan by time (see isRare). */
const RARE = 5000;
/** A number typed without + also matches numbers stored with one. */
const prefixesOf = (n: string) => (n.startsWith('+') ? [n] : [n, `+${n}`]);
type Statement = ReturnType<Db['prepare']>;
type Raw = Omit<RecordRow, 'hasRecording'> & { hasRecording: 0 | 1; data?: string };

/** Integers only ever reach the SQL text (ids from our own tables); anything else is a bug, refused loudly. */
const ints = (ids: number[]) => ids.map((id) => (Number.isSafeInteger(id) ? String(id) : assertNever(id))).join(', ');
const assertNever = (v: unknown): never => {
  throw new TypeError(`not an id: ${String(v)}`);
};

/**
 * The read side of the call records: a page of rows for a filter and a scope, in (started_at, call_id) order,
 * by keyset (never OFFSET, never COUNT over the whole history); the same rows in chunks for export; one call's
 * visibility; today's figures. SQL only: who may see what is the caller's business (Scope).
 */
export class RecordQuery {
  private readonly cache = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  /** Up to `limit` rows from the cursor on (newest first either way), and whether more lie beyond them. */
  page(c: Criteria, scope: Scope, cursor: Cursor | null, limit: number): { rows: RecordRow[]; hasMore: boolean } {
    const newer = cursor?.toward === 'newer';
    const rows = this.select(c, scope, cursor, limit + 1, false).map(toRow);
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit);
    return { rows: newer ? page.reverse() : page, hasMore };
  }

  /** The rows of a filter with each record's JSON, `chunk` at a time, oldest cursor last: for export. */
  chunk(c: Criteria, scope: Scope, after: Cursor | null, size: number): (RecordRow & { data: string })[] {
    return this.select(c, scope, after, size, true).map((r) => ({ ...toRow(r), data: r.data! }));
  }

  /** Whether the call exists and lies in the scope. */
  visible(callId: string, scope: Scope): boolean {
    const { sql, params } = scopeSql(scope);
    return this.stmt(`SELECT 1 FROM call_records r WHERE r.call_id = @callId AND ${sql}`).get({ ...params, callId }) !== undefined;
  }

  /** Inbound calls that started in [from, to), by outcome and by hour since `from`. */
  inboundBetween(from: number, to: number, scope: Scope): { hour: number; outcome: Outcome; calls: number; waitMs: number | null; answeredWaitMs: number | null }[] {
    const { sql, params } = scopeSql(scope);
    return this.stmt(
      `SELECT (r.started_at - @from) / 3600000 AS hour, r.outcome, COUNT(*) AS calls, SUM(r.wait_ms) AS waitMs,
         SUM(CASE WHEN r.outcome = 'answered' THEN r.wait_ms END) AS answeredWaitMs
       FROM call_records r WHERE r.direction = 'inbound' AND r.started_at >= @from AND r.started_at < @to AND ${sql}
       GROUP BY hour, r.outcome`,
    ).all({ ...params, from, to }) as { hour: number; outcome: Outcome; calls: number; waitMs: number | null; answeredWaitMs: number | null }[];
  }

  private select(c: Criteria, scope: Scope, cursor: Cursor | null, limit: number, withData: boolean): Raw[] {
    const q = listSql(c, scope, cursor, c.number !== null && this.isRare(c.number));
    return this.stmt(`SELECT ${COLUMNS}${withData ? ', r.data' : ''} ${q.sql} LIMIT ${Math.trunc(limit)}`).all(q.params) as Raw[];
  }

  /**
   * Whether few calls have a number starting so (a whole number, a long prefix): then the page is found through
   * the numbers' indexes; a common prefix (+1) is found faster by reading the newest calls until a page is full.
   * At most RARE index entries are read per column to tell.
   */
  private isRare(number: string): boolean {
    let seen = 0;
    for (const p of prefixesOf(number)) {
      for (const col of ['caller', 'callee', 'dialed'] as const) {
        // dialed's index is partial (dialed <> ''): the query must say so for SQLite to use it.
        const partial = col === 'dialed' ? " AND dialed <> ''" : '';
        seen += this.stmt(`SELECT count(*) FROM (SELECT 1 FROM call_records WHERE ${col} >= @lo AND ${col} < @hi${partial} LIMIT ${RARE})`).pluck().get({ lo: p, hi: `${p}\uffff` }) as number;
        if (seen >= RARE) return false;
      }
    }
    return true;
  }

  /** Statements by their text: a filter's shape repeats, so each is prepared once (bounded, oldest dropped). */
  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.cache.size >= 200) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(sql, s);
    }
    return s;
  }
}

const toRow = (r: Raw): RecordRow => {
  const { data: _data, ...rest } = r;
  return { ...rest, hasRecording: r.hasRecording === 1 };
};

/** The scope as a condition on `r`. */
function scopeSql(scope: Scope): { sql: string; params: Params } {
  if (scope.all) return { sql: '1', params: {} };
  const terms: string[] = [];
  const params: Params = {};
  if (scope.queueIds.length) terms.push(`EXISTS (SELECT 1 FROM call_record_queues sq WHERE sq.call_id = r.call_id AND sq.queue_id IN (${ints(scope.queueIds)}))`);
  if (scope.agentId !== null) {
    terms.push('EXISTS (SELECT 1 FROM call_record_agents sa WHERE sa.call_id = r.call_id AND sa.agent_id = @scopeAgent)');
    params.scopeAgent = scope.agentId;
  }
  return { sql: terms.length ? `(${terms.join(' OR ')})` : '0', params };
}

/**
 * FROM … WHERE … ORDER BY for a filter. The table that drives the scan is the most selective one with an index
 * in (started_at, call_id) order: an agent's calls (the agent filter, or an agent's own scope), a queue's calls,
 * else the records themselves, so that a page reads about as many index entries as it shows.
 */
function listSql(c: Criteria, scope: Scope, cursor: Cursor | null, isRareNumber: boolean): { sql: string; params: Params } {
  const params: Params = { from: c.from, to: c.to };
  const where: string[] = [];
  const ownAgent = !scope.all && scope.queueIds.length === 0 ? scope.agentId : null;
  let from: string;
  let x: string;
  let numberDone = false;
  if (c.number !== null && isRareNumber && c.agentId === null && ownAgent === null) {
    // The calls with the number, from the numbers' indexes (the CROSS JOIN keeps that order of tables), then sorted.
    const parts = prefixesOf(c.number).flatMap((p, i) => {
      params[`lo${i}`] = p;
      params[`hi${i}`] = `${p}\uffff`;
      const range = (col: string) => `SELECT rowid AS rid FROM call_records WHERE ${col} >= @lo${i} AND ${col} < @hi${i} AND started_at >= @from AND started_at < @to`;
      return [range('caller'), range('callee'), `${range('dialed')} AND dialed <> ''`];
    });
    from = `(${parts.join(' UNION ')}) n CROSS JOIN call_records r ON r.rowid = n.rid`;
    x = 'r';
    numberDone = true;
  } else if (c.agentId !== null || ownAgent !== null) {
    from = 'call_record_agents x JOIN call_records r ON r.call_id = x.call_id';
    x = 'x';
    params.driveAgent = c.agentId ?? ownAgent!;
    where.push('x.agent_id = @driveAgent');
    // An agent who filters by another agent sees the calls they shared, and only those.
    if (ownAgent !== null && c.agentId !== null && c.agentId !== ownAgent) {
      where.push('EXISTS (SELECT 1 FROM call_record_agents oa WHERE oa.call_id = r.call_id AND oa.agent_id = @ownAgent)');
      params.ownAgent = ownAgent;
    }
  } else if (c.queueId !== null) {
    from = 'call_record_queues x JOIN call_records r ON r.call_id = x.call_id';
    x = 'x';
    params.driveQueue = c.queueId;
    where.push('x.queue_id = @driveQueue');
  } else {
    from = 'call_records r';
    x = 'r';
  }
  where.push(`${x}.started_at >= @from`, `${x}.started_at < @to`);
  if (cursor) {
    params.cs = cursor.startedAt;
    params.cc = cursor.callId;
    where.push(
      cursor.toward === 'older'
        ? `${x}.started_at <= @cs AND (${x}.started_at < @cs OR ${x}.call_id < @cc)`
        : `${x}.started_at >= @cs AND (${x}.started_at > @cs OR ${x}.call_id > @cc)`,
    );
  }
  if (c.queueId !== null && params.driveQueue === undefined) {
    where.push('EXISTS (SELECT 1 FROM call_record_queues fq WHERE fq.call_id = r.call_id AND fq.queue_id = @queueId)');
    params.queueId = c.queueId;
  }
  if (c.direction) {
    where.push('r.direction = @direction');
    params.direction = c.direction;
  }
  if (c.outcome) {
    where.push('r.outcome = @outcome');
    params.outcome = c.outcome;
  }
  if (c.result) {
    where.push('r.result = @result');
    params.result = c.result;
  }
  if (c.hasRecording) where.push('r.has_recording = 1');
  if (c.number && !numberDone) {
    // Prefix ranges on each of the three numbers, checked on the rows read in time order.
    const terms: string[] = [];
    prefixesOf(c.number).forEach((p, i) => {
      params[`lo${i}`] = p;
      params[`hi${i}`] = `${p}\uffff`;
      terms.push(`(r.caller >= @lo${i} AND r.caller < @hi${i})`, `(r.callee >= @lo${i} AND r.callee < @hi${i})`, `(r.dialed <> '' AND r.dialed >= @lo${i} AND r.dialed < @hi${i})`);
    });
    where.push(`(${terms.join(' OR ')})`);
  }
  const s = scopeSql(scope);
  if (ownAgent === null && !scope.all) where.push(s.sql);
  Object.assign(params, ownAgent === null ? s.params : {});
  const dir = cursor?.toward === 'newer' ? 'ASC' : 'DESC';
  return { sql: `FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${x}.started_at ${dir}, ${x}.call_id ${dir}`, params };
}
