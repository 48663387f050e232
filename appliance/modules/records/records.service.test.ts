import test from 'ava';
import fc from 'fast-check';
import { channelInfo, hangupInfo } from '../../freeswitch/testing/events.js';
import { makeTestContext } from '../../test/make-test-context.js';
import { LegTracker } from './leg-tracker.js';
import { deriveRecord } from './derive.js';
import { AGENT_LEG, agentAnswers, CALLER, CallScript, intoQueue, OTHER_LEG, THIRD_LEG } from './testing/calls.js';

const GATEWAY_LEG = 'e0000000-0000-4000-8000-000000000005';
const CONSULT_LEG = 'f0000000-0000-4000-8000-000000000006';

test('legs: every channel finds its call (bridge, queue offer, consultation, loopback), and the record follows the ledger', async (t) => {
  const ctx = await makeTestContext();
  t.teardown(() => ctx.close());
  const tracker = new LegTracker({ sw: ctx.sw, ledger: ctx.ledger, db: ctx.db, clock: ctx.clock, log: ctx.log });
  tracker.start();
  const sw = ctx.sw;
  sw.emit('channel.created', channelInfo(CALLER, { channelName: 'sofia/external/+4930555@198.51.100.7', callerNumber: '+4930555', destination: '+4930999' }));
  ctx.clock.advance(50);
  sw.emit('channel.answered', channelInfo(CALLER, { vars: { number_id: '7', trunk_id: '2', dialed: '+4930999' } }));
  sw.emit('channel.created', channelInfo(AGENT_LEG, { direction: 'outbound', channelName: 'sofia/internal/1001@192.0.2.10', destination: '1001', vars: { queue_call: CALLER, agent_id: '5' } }));
  sw.emit('channel.created', channelInfo(CONSULT_LEG, { direction: 'outbound', channelName: 'sofia/internal/1002@192.0.2.10', destination: '1002', vars: { consult_of: CALLER } }));
  sw.emit('channel.created', channelInfo(OTHER_LEG, { direction: 'outbound', channelName: 'loopback/+4930777-a', destination: '+4930777', vars: { call: CALLER } }));
  sw.emit('channel.created', channelInfo(THIRD_LEG, { channelName: 'loopback/+4930777-b', destination: '+4930777', loopbackUuid: OTHER_LEG }));
  sw.emit('channel.created', channelInfo(GATEWAY_LEG, { direction: 'outbound', channelName: 'sofia/gateway/trunk_2/+4930777', destination: '+4930777', otherUuid: THIRD_LEG }));
  sw.emit('channel.bridged', { ...channelInfo(CALLER), aUuid: CALLER, bUuid: AGENT_LEG });
  t.is(tracker.live, 6);
  t.is((ctx.db.prepare('SELECT count(*) AS n FROM call_legs').get() as { n: number }).n, 6, 'a restart can find them');
  ctx.records.flush();
  t.like(ctx.records.get(CALLER), { outcome: 'in_progress', numberId: 7, trunkId: 2, dialed: '+4930999' });
  t.is(ctx.records.get(CALLER)!.legs.length, 6);
  t.is(ctx.ledger.forCall(CALLER).find((e) => e.data.uuid === AGENT_LEG)?.agentId, 5);

  ctx.clock.advance(60_000);
  for (const uuid of [GATEWAY_LEG, THIRD_LEG, OTHER_LEG, CONSULT_LEG, AGENT_LEG]) sw.emit('channel.hungup', hangupInfo(uuid, { disposition: 'send_bye' }));
  sw.emit('channel.hungup', hangupInfo(CALLER, { disposition: 'recv_bye', vars: { number_id: '7', trunk_id: '2', dialed: '+4930999' } }));
  t.is(tracker.live, 0);
  t.is((ctx.db.prepare('SELECT count(*) AS n FROM call_legs').get() as { n: number }).n, 0);
  t.is(ctx.records.flush(), 1);
  const r = ctx.records.get(CALLER)!;
  t.like(r, { direction: 'inbound', endedAt: ctx.clock.now(), durationMs: 60_050, trunkId: 2 });
  t.true(r.legs.every((l) => l.endedAt !== null));
  t.deepEqual(ctx.db.prepare('SELECT agent_id FROM call_record_agents').all(), []);
});

test('legs: after a restart a live leg\'s hangup still finds its call; a leg never seen begin gets a record of its own', async (t) => {
  const ctx = await makeTestContext();
  t.teardown(() => ctx.close());
  const first = new LegTracker({ sw: ctx.sw, ledger: ctx.ledger, db: ctx.db, clock: ctx.clock, log: ctx.log });
  first.start();
  ctx.sw.emit('channel.created', channelInfo(CALLER, { channelName: 'sofia/external/+4930555@198.51.100.7' }));
  ctx.sw.emit('channel.created', channelInfo(AGENT_LEG, { direction: 'outbound', channelName: 'sofia/internal/1001@192.0.2.10', otherUuid: CALLER }));
  first.stop();
  const second = new LegTracker({ sw: ctx.sw, ledger: ctx.ledger, db: ctx.db, clock: ctx.clock, log: ctx.log });
  second.start();
  ctx.sw.emit('channel.hungup', hangupInfo(AGENT_LEG, { disposition: 'recv_bye' }));
  t.is(ctx.ledger.forCall(CALLER).at(-1)?.kind, 'leg.hungup');
  ctx.sw.emit('channel.hungup', hangupInfo(OTHER_LEG, { channelName: 'sofia/internal/1003@192.0.2.10', createdAt: ctx.clock.now() - 5_000, answeredAt: ctx.clock.now() - 4_000, disposition: 'recv_bye' }));
  ctx.records.flush();
  t.like(ctx.records.get(OTHER_LEG), { startedAt: ctx.clock.now() - 5_000, direction: 'internal', outcome: 'unanswered' });
  t.deepEqual(ctx.ledger.forCall(OTHER_LEG).map((e) => e.kind), ['leg.created', 'leg.answered', 'leg.hungup']);
});

/** Scenarios, each built from the same script steps the derivation tests use; times vary with the run. */
const scenarios: ((s: CallScript, ms: number) => void)[] = [
  (s, ms) => void intoQueue(s).wait(ms).add('queue.abandoned', { waitMs: ms, reason: 'abandoned' }, { queueId: 3 }).hangup(CALLER, 'NORMAL_CLEARING', 'recv_bye'),
  (s, ms) => {
    agentAnswers(intoQueue(s), 5, ms).wait(ms).add('call.hold', {}, { agentId: 5 }).wait(ms).add('call.unhold', {}, { agentId: 5 });
    s.hangup(CALLER, 'NORMAL_CLEARING', 'recv_bye').add('queue.end', { by: 'caller', talkMs: 2 * ms }, { agentId: 5, queueId: 3 }).hangup(AGENT_LEG, 'NORMAL_CLEARING', 'send_bye');
    s.wait(ms).add('queue.disposition', { code: 'Sale', note: '', by: 'ann' }, { agentId: 5, queueId: 3 }).add('agent.state', { from: 'wrap_up', to: 'ready' }, { agentId: 5 });
  },
  (s, ms) => void s.leg(CALLER, { channel: 'sofia/internal/1001@x', caller: '1001', destination: '0307' }).leg(OTHER_LEG, { channel: 'sofia/gateway/trunk_1/0307', trunkId: 1 }).wait(ms).hangup(OTHER_LEG, 'USER_BUSY', 'recv_refuse').hangup(CALLER, 'USER_BUSY', 'send_refuse'),
  (s, ms) => void intoQueue(s).wait(ms).add('queue.overflow', { to: { kind: 'voicemail' }, reason: 'maxWait', waitMs: ms }, { queueId: 3 }).wait(ms).hangup(CALLER, 'NORMAL_CLEARING', 'recv_bye', { context: 'callbox_voicemail' }),
];

test('property: a call\'s record, kept up as entries arrive, is the record rebuilt from the ledger, and rebuilding again changes nothing', async (t) => {
  const ctx = await makeTestContext();
  t.teardown(() => ctx.close());
  let n = 0;
  await fc.assert(
    fc.property(fc.array(fc.record({ kind: fc.nat(scenarios.length - 1), ms: fc.integer({ min: 1, max: 120_000 }), flushes: fc.array(fc.nat(40), { maxLength: 4 }) }), { minLength: 1, maxLength: 4 }), (calls) => {
      const scripts = calls.map((c) => {
        const s = new CallScript(`${CALLER.slice(0, -6)}${String(++n).padStart(6, '0')}`, Date.UTC(2026, 0, 1, 9) + n * 1000);
        scenarios[c.kind]!(s, c.ms);
        return { s, flushes: new Set(c.flushes) };
      });
      // The calls' entries arrive interleaved, with the projection flushed at arbitrary moments in between.
      const queue = scripts.map(({ s, flushes }) => ({ entries: [...s.entries], flushes, i: 0 }));
      while (queue.some((q) => q.i < q.entries.length)) {
        for (const q of queue) {
          const e = q.entries[q.i++];
          if (!e) continue;
          ctx.ledger.append({ at: e.at, kind: e.kind, callId: e.callId, agentId: e.agentId, queueId: e.queueId, data: e.data });
          if (q.flushes.has(q.i)) ctx.records.flush();
        }
      }
      ctx.records.flush();
      const kept = scripts.map(({ s }) => JSON.stringify(ctx.records.get(s.callId)));
      scripts.forEach(({ s }, i) => t.is(kept[i], JSON.stringify(deriveRecord(ctx.ledger.forCall(s.callId)))));
      ctx.records.rebuild();
      const rebuilt = scripts.map(({ s }) => JSON.stringify(ctx.records.get(s.callId)));
      t.deepEqual(rebuilt, kept);
      ctx.records.rebuild();
      t.deepEqual(scripts.map(({ s }) => JSON.stringify(ctx.records.get(s.callId))), rebuilt);
      return rebuilt.every((x) => x !== 'null');
    }),
    { numRuns: 60 },
  );
  t.is((ctx.db.prepare('SELECT count(*) AS n FROM call_records').get() as { n: number }).n, n);
});
