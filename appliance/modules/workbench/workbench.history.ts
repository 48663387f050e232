import type { Ledger, LedgerEntry } from '../ledger/ledger.js';

/** One call in the agent's own history. */
export interface HistoryRow {
  callId: string;
  at: number;
  direction: 'inbound' | 'outbound';
  number: string;
  queueId: number | null;
  talkMs: number | null;
  /** How it ended, in words. */
  outcome: string;
  disposition: string | null;
  note: string | null;
}

const STARTS = new Set(['queue.answered', 'call.outbound']);

/**
 * The agent's own calls, newest first, from the ledger (the calls they took from a queue and the ones they placed).
 * Only entries that carry this agent's id are read: an agent never sees another agent's calls.
 */
export function agentHistory(ledger: Ledger, agentId: number, before: number, limit = 20): { rows: HistoryRow[]; next: number | null } {
  const rows: HistoryRow[] = [];
  let cursor = before;
  // Pages of entries until enough calls started before the cursor are found (most entries are state changes).
  for (let round = 0; round < 10 && rows.length < limit; round++) {
    const page = ledger.forAgentBefore(agentId, cursor, 500);
    if (!page.length) break;
    for (const e of page) if (STARTS.has(e.kind) && e.callId && rows.length < limit) rows.push(row(ledger, agentId, e));
    cursor = page.at(-1)!.at;
    if (page.length < 500) break;
  }
  return { rows, next: rows.length === limit ? rows.at(-1)!.at : null };
}

function row(ledger: Ledger, agentId: number, start: LedgerEntry): HistoryRow {
  const mine = ledger.forCall(start.callId!).filter((e) => e.agentId === agentId && e.id >= start.id);
  const find = (kind: string) => mine.find((e) => e.kind === kind);
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  if (start.kind === 'call.outbound') {
    const end = find('call.end');
    const failed = find('call.failed');
    const transfer = find('call.transfer');
    return {
      callId: start.callId!,
      at: start.at,
      direction: 'outbound',
      number: str(start.data.number) ?? '',
      queueId: null,
      talkMs: typeof end?.data.talkMs === 'number' ? end.data.talkMs : null,
      outcome: failed ? `not connected (${String(failed.data.cause).toLowerCase().replaceAll('_', ' ')})` : transfer ? `transferred to ${String(transfer.data.transfer)}` : end ? `ended by ${String(end.data.by)}` : 'in progress',
      disposition: null,
      note: null,
    };
  }
  const end = find('queue.end');
  const disp = find('queue.disposition');
  return {
    callId: start.callId!,
    at: start.at,
    direction: 'inbound',
    number: str(start.data.caller) ?? '',
    queueId: start.queueId,
    talkMs: typeof end?.data.talkMs === 'number' ? end.data.talkMs : null,
    outcome: !end ? 'in progress' : end.data.by === 'transfer' ? `transferred to ${String(end.data.transfer ?? '')}` : `ended by ${String(end.data.by)}`,
    disposition: str(disp?.data.code),
    note: str(disp?.data.note) || null,
  };
}
