import type { Db } from '../../db/database.js';
import type { CallEntry } from './engine/types.js';

interface Row {
  id: string;
  queue_id: number;
  kind: 'call' | 'callback';
  priority: number;
  entered_at: number;
  caller: string;
  caller_name: string;
  hops: number;
}

export type WaitingRow = CallEntry & { callerName: string };

/** Who waits in the queues (queue_waiting): written as they enter, read back after a restart in their order. */
export function createWaitingStore(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO queue_waiting (id, queue_id, kind, priority, entered_at, caller, caller_name, hops) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET queue_id = excluded.queue_id, kind = excluded.kind, priority = excluded.priority, hops = excluded.hops`,
  );
  const del = db.prepare('DELETE FROM queue_waiting WHERE id = ?');
  const all = db.prepare<[], Row>('SELECT * FROM queue_waiting ORDER BY entered_at, id');
  const setKind = db.prepare('UPDATE queue_waiting SET kind = ? WHERE id = ?');
  const inQueue = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM queue_waiting WHERE queue_id = ?');
  return {
    put: (e: WaitingRow) => void upsert.run(e.id, e.queueId, e.callback ? 'callback' : 'call', e.priority, e.enteredAt, e.caller, e.callerName, e.hops),
    remove: (id: string) => void del.run(id),
    callback: (id: string) => void setKind.run('callback', id),
    all: (): WaitingRow[] => all.all().map((r) => ({ id: r.id, queueId: r.queue_id, callback: r.kind === 'callback', priority: r.priority, enteredAt: r.entered_at, caller: r.caller, callerName: r.caller_name, hops: r.hops })),
    count: (queueId: number) => inQueue.get(queueId)!.n,
  };
}
export type WaitingStore = ReturnType<typeof createWaitingStore>;
