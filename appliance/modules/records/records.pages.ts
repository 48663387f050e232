import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { NotFoundError } from '../../errors.js';
import { RecordAccess, type AccessLookups, type Viewer } from './records.access.js';
import { CSV_HEADER, csvCells, csvText } from './records.csv.js';
import { cursorOf, parseFilter, type Criteria } from './records.filter.js';
import { RecordQuery } from './records.query.js';
import type { RecordStore } from './records.store.js';
import { dayStart, localDay, localHour, nextDay } from './records.time.js';
import type { CallRecord } from './records.types.js';
import { detailView, listRow, type Names } from './records.view.js';

/** Rows on a page of the list. */
export const PAGE_SIZE = 50;
/** Rows read per query while exporting: bounded memory, and the database free for writes between chunks. */
export const EXPORT_CHUNK = 1000;

export interface RecordPagesDeps {
  db: Db;
  clock: Clock;
  store: RecordStore;
  /** The zone days and times are in (the server's). */
  zone: string;
  access: AccessLookups;
  /** Everything records name by id, as lists: read once per page or export. */
  names: {
    queues(): { id: number; name: string }[];
    agents(): { id: number; number: string; name: string }[];
    trunks(): { id: number; name: string }[];
    flows(): { id: number; name: string }[];
  };
}

/**
 * The call records as the console shows them: the filtered list a page at a time, one call in full, the export,
 * and today's figures for the dashboard, each within what the viewer may see (records.access.ts).
 */
export class RecordPages {
  readonly query: RecordQuery;
  readonly access: RecordAccess;

  constructor(private readonly d: RecordPagesDeps) {
    this.query = new RecordQuery(d.db);
    this.access = new RecordAccess(this.query, d.access);
  }

  /** Whether the user may see the call (and hear its recordings). */
  readonly canSee = (user: Viewer, callId: string): boolean => this.access.canSee(user, callId);

  get zone(): string {
    return this.d.zone;
  }

  /** A page of the list. Throws ValidationError (by field) for a bad filter. */
  list(query: unknown, user: Viewer, o: { base: string; recordedOnly?: boolean }) {
    const { criteria, values, cursor } = parseFilter(query, this.d.clock.now(), this.d.zone, o.recordedOnly ? { hasRecording: true } : {});
    const { rows, hasMore } = this.query.page(criteria, this.access.scopeFor(user), cursor, PAGE_SIZE);
    const names = this.names();
    const items = rows.map((r) => ({ ...listRow(r, names, this.d.zone, o.base), recordings: o.recordedOnly ? this.playable(r.callId) : [] }));
    // Newer rows exist when this page was reached by going older, or going newer found more than a page.
    const first = rows[0];
    const last = rows.at(-1);
    const newer = first && cursor && (cursor.toward === 'older' || hasMore) ? { ...values, after: cursorOf(first) } : null;
    const older = last && (cursor?.toward === 'newer' || hasMore) ? { ...values, before: cursorOf(last) } : null;
    return { items, values, newer, older, isFirst: !cursor, criteria };
  }

  /** One call in full, or not found when it does not exist or the user may not see it. */
  detail(callId: string, user: Viewer) {
    const r = this.visibleRecord(callId, user);
    return detailView(r, this.names(), this.d.zone);
  }

  /**
   * The export of a filter as CSV text, a chunk at a time (the header first). Each chunk is one keyset query read
   * to the end before it is returned, so no statement stays open between chunks (the ledger keeps writing) and
   * only one chunk is ever in memory. Throws ValidationError for a bad filter before the first chunk.
   */
  csv(query: unknown, user: Viewer, o: { recordedOnly?: boolean } = {}): { filename: string; chunks: Iterable<string> } {
    const { criteria, values } = parseFilter(query, this.d.clock.now(), this.d.zone, o.recordedOnly ? { hasRecording: true } : {});
    const scope = this.access.scopeFor(user);
    const names = this.names();
    const { query: q, zone } = { query: this.query, zone: this.d.zone };
    const chunks = (function* () {
      yield '\uFEFF' + csvText([CSV_HEADER]);
      let after = null;
      for (;;) {
        const rows = q.chunk(criteria, scope, after, EXPORT_CHUNK);
        if (!rows.length) return;
        yield csvText(rows.map((r) => csvCells(r, JSON.parse(r.data) as CallRecord, names, zone)));
        if (rows.length < EXPORT_CHUNK) return;
        after = { startedAt: rows.at(-1)!.startedAt, callId: rows.at(-1)!.callId, toward: 'older' as const };
      }
    })();
    return { filename: `calls-${values.from}-to-${values.to}.csv`, chunks };
  }

  /** Today's inbound calls (answered, abandoned, average wait to answer, by hour), as the user may see them. */
  today(user: Viewer) {
    const now = this.d.clock.now();
    const day = localDay(now, this.d.zone);
    const from = dayStart(day, this.d.zone)!;
    const to = dayStart(nextDay(day), this.d.zone)!;
    const groups = this.query.inboundBetween(from, to, this.access.scopeFor(user));
    const hours = Array.from({ length: 24 }, (_, h) => ({ hour: h, answered: 0, abandoned: 0 }));
    let calls = 0;
    let answered = 0;
    let abandoned = 0;
    let answeredWait = 0;
    for (const g of groups) {
      calls += g.calls;
      // By the local hour of the group's start: a day with a clock change has 23 or 25 hours.
      const slot = hours[localHour(from + g.hour * 3_600_000, this.d.zone)]!;
      if (g.outcome === 'answered') {
        answered += g.calls;
        answeredWait += g.answeredWaitMs ?? 0;
        slot.answered += g.calls;
      } else if (g.outcome === 'abandoned') {
        abandoned += g.calls;
        slot.abandoned += g.calls;
      }
    }
    const peak = Math.max(1, ...hours.map((h) => h.answered + h.abandoned));
    return {
      day,
      calls,
      answered,
      abandoned,
      averageWaitS: answered ? Math.round(answeredWait / answered / 1000) : null,
      // Bars for a 240×48 drawing, one 10-wide slot an hour: answered from the bottom, abandoned on top.
      hours: hours.map((h) => {
        const a = Math.round((h.answered / peak) * 46);
        const b = Math.round((h.abandoned / peak) * 46);
        return { ...h, x: h.hour * 10 + 1, answeredY: 47 - a, answeredH: a, abandonedY: 47 - a - b, abandonedH: b, label: `${String(h.hour).padStart(2, '0')}:00 ${h.answered} answered, ${h.abandoned} abandoned` };
      }),
      zone: this.d.zone,
      link: `/admin/calls?from=${day}&to=${day}&direction=inbound`,
    };
  }

  /** Filters' choices: queues and agents by name. */
  choices() {
    return { queues: this.d.names.queues(), agents: this.d.names.agents() };
  }

  private visibleRecord(callId: string, user: Viewer): CallRecord {
    const r = this.access.canSee(user, callId) ? this.d.store.get(callId) : null;
    if (!r) throw new NotFoundError('record.not_found', { callId }, { message: 'There is no such call, or it is not one of yours.' });
    return r;
  }

  /** The recordings of a call that can still be played (the row of the recordings view). */
  private playable(callId: string): { id: number }[] {
    return (this.d.store.get(callId)?.recordings ?? []).filter((x) => !x.deleted).map((x) => ({ id: x.recordingId }));
  }

  private names(): Names {
    const n = this.d.names;
    return {
      queue: new Map(n.queues().map((q) => [q.id, q.name])),
      agent: new Map(n.agents().map((a) => [a.id, `${a.name} (${a.number})`])),
      trunk: new Map(n.trunks().map((t) => [t.id, t.name])),
      flow: new Map(n.flows().map((f) => [f.id, f.name])),
    };
  }
}

export type { Criteria };
