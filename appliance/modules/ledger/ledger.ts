import type { Db } from '../../db/database.js';
import { inTurnTransaction } from '../../db/group-commit.js';

/** One thing that happened. `data` holds the event's own fields; the columns are what reports filter on. */
export interface LedgerEntry {
  id: number;
  at: number;
  kind: string;
  callId: string | null;
  queueId: number | null;
  agentId: number | null;
  data: Record<string, unknown>;
}
export type NewLedgerEntry = Omit<LedgerEntry, 'id' | 'callId' | 'queueId' | 'agentId' | 'data'> & Partial<Pick<LedgerEntry, 'callId' | 'queueId' | 'agentId' | 'data'>>;

interface Row {
  id: number;
  at: number;
  kind: string;
  call_id: string | null;
  queue_id: number | null;
  agent_id: number | null;
  data: string;
}
const toEntry = (r: Row): LedgerEntry => ({ id: r.id, at: r.at, kind: r.kind, callId: r.call_id, queueId: r.queue_id, agentId: r.agent_id, data: JSON.parse(r.data) as Record<string, unknown> });

/**
 * The append-only record of what happened (DESIGN.md section 1): queue events and agent state changes now, the
 * rest of a call's life later. Records and reports are derived from it, so nothing here is ever changed (a trigger
 * refuses updates) and entries come back in the order they were written.
 */
export class Ledger {
  private readonly insert;
  private readonly byCall;
  private readonly byAgent;
  private readonly byAgentBefore;
  private readonly latest;
  private readonly listeners: ((e: LedgerEntry) => void)[] = [];
  /** Run `f` in one transaction: the entries of one event are one commit. */
  readonly batch: <T>(f: () => T) => T;

  constructor(private readonly db: Db) {
    this.batch = <T>(f: () => T): T => db.transaction(f)();
    this.insert = db.prepare('INSERT INTO ledger (at, kind, call_id, queue_id, agent_id, data) VALUES (?, ?, ?, ?, ?, ?)');
    this.byCall = db.prepare<[string], Row>('SELECT * FROM ledger WHERE call_id = ? ORDER BY id');
    this.byAgent = db.prepare<[number, number, number], Row>('SELECT * FROM ledger WHERE agent_id = ? AND at >= ? ORDER BY id DESC LIMIT ?');
    this.byAgentBefore = db.prepare<[number, number, number], Row>('SELECT * FROM ledger WHERE agent_id = ? AND at < ? ORDER BY at DESC, id DESC LIMIT ?');
    this.latest = db.prepare<[number, number], Row>('SELECT * FROM ledger WHERE id > ? ORDER BY id DESC LIMIT ?');
  }

  append(e: NewLedgerEntry): number {
    inTurnTransaction(this.db);
    const id = Number(this.insert.run(e.at, e.kind, e.callId ?? null, e.queueId ?? null, e.agentId ?? null, JSON.stringify(e.data ?? {})).lastInsertRowid);
    if (this.listeners.length) {
      const entry: LedgerEntry = { id, at: e.at, kind: e.kind, callId: e.callId ?? null, queueId: e.queueId ?? null, agentId: e.agentId ?? null, data: e.data ?? {} };
      for (const f of this.listeners) f(entry);
    }
    return id;
  }

  /**
   * Hear of each entry as it is written: how the call records and the recordings follow calls without the
   * modules that write the entries knowing them. A listener must not throw (it runs inside the writer's turn).
   */
  onAppend(f: (e: LedgerEntry) => void): void {
    this.listeners.push(f);
  }

  forCall(callId: string): LedgerEntry[] {
    return this.byCall.all(callId).map(toEntry);
  }

  /** An agent's entries since `since` (ms), newest first. */
  forAgent(agentId: number, since = 0, limit = 200): LedgerEntry[] {
    return this.byAgent.all(agentId, since, limit).map(toEntry);
  }

  /** An agent's entries before `before` (ms), newest first: pages of an agent's history. */
  forAgentBefore(agentId: number, before: number, limit = 200): LedgerEntry[] {
    return this.byAgentBefore.all(agentId, before, limit).map(toEntry);
  }

  /** The newest entries (after id `after`), newest first. */
  recent(limit = 100, after = 0): LedgerEntry[] {
    return this.latest.all(after, limit).map(toEntry);
  }
}
