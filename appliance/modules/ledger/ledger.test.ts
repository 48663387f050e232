import test from 'ava';
import { makeTestContext } from '../../test/make-test-context.js';
import { Ledger } from './ledger.js';

test('entries come back in the order written, per call and per agent, with their data', async (t) => {
  const ctx = await makeTestContext();
  t.teardown(() => ctx.close());
  const ledger = new Ledger(ctx.db);
  ledger.append({ at: 1000, kind: 'queue.enter', callId: 'c1', queueId: 1, data: { position: 1 } });
  ledger.append({ at: 1000, kind: 'agent.state', agentId: 7, data: { from: 'ready', to: 'reserved' } });
  ledger.append({ at: 1500, kind: 'queue.answer', callId: 'c1', queueId: 1, agentId: 7, data: { waitMs: 500 } });
  t.deepEqual(ledger.forCall('c1').map((e) => [e.kind, e.data]), [['queue.enter', { position: 1 }], ['queue.answer', { waitMs: 500 }]]);
  t.deepEqual(ledger.forAgent(7).map((e) => e.kind), ['queue.answer', 'agent.state']);
  t.deepEqual(ledger.forAgent(7, 1200).map((e) => e.kind), ['queue.answer']);
  t.is(ledger.recent(2)[0]!.kind, 'queue.answer');
});

test('the ledger refuses to change what was written', async (t) => {
  const ctx = await makeTestContext();
  t.teardown(() => ctx.close());
  const id = new Ledger(ctx.db).append({ at: 1, kind: 'queue.enter', callId: 'c1' });
  t.throws(() => ctx.db.prepare('UPDATE ledger SET kind = ? WHERE id = ?').run('queue.answer', id), { any: true, message: /append only/ });
});
