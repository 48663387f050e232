import test from 'ava';
import { deriveRecord } from './derive.js';
import { AGENT_LEG, agentAnswers, CALLER, CallScript, intoQueue, OTHER_LEG, THIRD_LEG } from './testing/calls.js';

const derive = (s: CallScript) => deriveRecord(s.entries)!;

test('record: inbound through the IVR to a queue, a missed offer, then an agent who holds, records with a pause, and wraps up', (t) => {
  const s = intoQueue(new CallScript(CALLER));
  s.add('queue.offer', { ringTimeoutS: 20, callback: false }, { agentId: 4, queueId: 3 })
    .leg(THIRD_LEG, { channel: 'sofia/internal/1004@192.0.2.10', destination: '1004', agentId: 4 })
    .wait(20_000)
    .add('queue.missed', { cause: 'NO_ANSWER' }, { agentId: 4, queueId: 3 })
    .hangup(THIRD_LEG, 'NO_ANSWER', 'send_cancel', { destination: '1004' });
  agentAnswers(s, 5, 4_000);
  s.add('recording.started', { recordingId: 9, uuid: CALLER, stereo: true, policyId: 1, from: 'answer' }, { agentId: 5 })
    .wait(30_000)
    .add('call.hold', { by: 'ann' }, { agentId: 5 })
    .wait(10_000)
    .add('call.unhold', { by: 'ann' }, { agentId: 5 })
    .add('recording.paused', { recordingId: 9, by: 'ann' }, { agentId: 5 })
    .wait(15_000)
    .add('recording.resumed', { recordingId: 9, by: 'ann' }, { agentId: 5 })
    .wait(5_000)
    .hangup(CALLER, 'NORMAL_CLEARING', 'recv_bye', { context: 'callbox' })
    .add('queue.end', { by: 'caller', talkMs: 60_000 }, { agentId: 5, queueId: 3 })
    .hangup(AGENT_LEG, 'NORMAL_CLEARING', 'send_bye', { destination: '1001' })
    .wait(800)
    .add('recording.stored', { recordingId: 9, durationMs: 60_000, sizeBytes: 240_000 })
    .wait(7_000)
    .add('queue.disposition', { code: 'Sale', note: 'two boxes', by: 'ann' }, { agentId: 5, queueId: 3 })
    .add('agent.state', { from: 'wrap_up', to: 'ready', reason: 'wrap-up-end' }, { agentId: 5 });
  const r = derive(s);
  t.like(r, {
    callId: CALLER,
    direction: 'inbound',
    caller: '+4930555',
    callerName: 'Mia Meyer',
    callee: '1001',
    dialed: '+4930999',
    trunkId: 2,
    numberId: 7,
    startedAt: s.entries[0]!.at,
    answeredAt: s.entries[0]!.at + 20,
    queueId: 3,
    waitMs: 24_000,
    outcome: 'answered',
    result: null,
    talkMs: 60_000,
    hangupCause: 'NORMAL_CLEARING',
    hangupSide: 'customer',
    disposition: { code: 'Sale', note: 'two boxes', agentId: 5 },
    flowMs: 6_000,
  });
  t.is(r.endedAt, s.entries.find((e) => e.kind === 'leg.hungup' && e.data.uuid === AGENT_LEG)!.at);
  t.deepEqual(r.flows[0]!.vars, { customer_name: 'Mia Meyer' });
  t.is((r.flows[0]!.path[0] as { kind: string }).kind, 'menu');
  t.like(r.agents.find((a) => a.agentId === 4), { missed: true, ringMs: 20_000, talkMs: 0 });
  t.like(r.agents.find((a) => a.agentId === 5), { missed: false, ringMs: 4_000, talkMs: 60_000, holdMs: 10_000, wrapMs: 7_800, queueId: 3 });
  t.deepEqual(r.recordings, [{ recordingId: 9, startedAt: s.entries.find((e) => e.kind === 'recording.started')!.at, stoppedAt: s.entries.find((e) => e.kind === 'recording.stored')!.at, stereo: true, pauses: [{ from: s.entries.find((e) => e.kind === 'recording.paused')!.at, to: s.entries.find((e) => e.kind === 'recording.resumed')!.at }], durationMs: 60_000, sizeBytes: 240_000, deleted: false }]);
  t.is(r.legs.length, 3);
  const texts = r.timeline.map((i) => i.text);
  t.is(texts[0], 'Call from +4930555 to +4930999');
  for (const x of ['Entered the IVR', 'Entered the queue', 'The agent did not answer (NO_ANSWER)', 'The agent answered after 24 s waiting', 'Put on hold', 'Recording paused', 'Talk ended by the caller after 60 s', 'Disposition: Sale (two boxes)', 'Wrap-up ended']) t.true(texts.includes(x), x);
});

test('record: a caller who hangs up in the queue is abandoned, with the wait, and the ringing agent is not a miss', (t) => {
  const s = intoQueue(new CallScript(CALLER));
  s.add('queue.offer', { ringTimeoutS: 20, callback: false }, { agentId: 5, queueId: 3 })
    .wait(12_000)
    .add('queue.cancel', { reason: 'abandoned' }, { agentId: 5, queueId: 3 })
    .add('queue.abandoned', { waitMs: 42_000, reason: 'abandoned' }, { queueId: 3 })
    .hangup(CALLER, 'NORMAL_CLEARING', 'recv_bye', { context: 'callbox' });
  const r = derive(s);
  t.like(r, { outcome: 'abandoned', waitMs: 42_000, queueId: 3, hangupSide: 'customer', talkMs: 0, callee: '+4930999' });
  t.like(r.agents[0], { agentId: 5, ringMs: 12_000, missed: false, answeredAt: null });
});

test('record: overflow to voicemail ends as voicemail; a callback request and an overflow to a flow are told apart', (t) => {
  const vm = intoQueue(new CallScript(CALLER));
  vm.wait(60_000).add('queue.overflow', { to: { kind: 'voicemail', extension: '1001' }, reason: 'maxWait', waitMs: 60_000 }, { queueId: 3 })
    .wait(30_000)
    .hangup(CALLER, 'NORMAL_CLEARING', 'recv_bye', { context: 'callbox_voicemail', destination: '1001' });
  t.like(derive(vm), { outcome: 'voicemail', waitMs: 60_000 });

  const cb = intoQueue(new CallScript(CALLER));
  cb.wait(20_000).add('queue.callback', { waitMs: 20_000 }, { queueId: 3 }).hangup(CALLER, 'NORMAL_CLEARING', 'send_bye', { context: 'callbox' });
  t.like(derive(cb), { outcome: 'callback', hangupSide: 'system' });

  const of = intoQueue(new CallScript(CALLER));
  of.wait(5_000).add('queue.overflow', { to: { kind: 'flow', id: 2 }, reason: 'noAgents', waitMs: 5_000 }, { queueId: 3 }).hangup(CALLER, 'NORMAL_CLEARING', 'recv_bye', { context: 'callbox' });
  t.like(derive(of), { outcome: 'overflowed' });
});

test('record: a blind transfer to an extension keeps one record: both people, the transfer, and who hung up at the end', (t) => {
  const s = agentAnswers(intoQueue(new CallScript(CALLER)), 5, 3_000);
  s.wait(20_000)
    .add('call.transfer', { transfer: 'extension 1002', attended: false, by: 'ann' }, { agentId: 5 })
    .add('queue.end', { by: 'transfer', talkMs: 20_000, transfer: 'extension 1002', attended: false }, { agentId: 5, queueId: 3 })
    .hangup(AGENT_LEG, 'NORMAL_CLEARING', 'send_bye', { destination: '1001' })
    .leg(OTHER_LEG, { channel: 'sofia/internal/1002@192.0.2.10', destination: '1002' })
    .wait(2_000)
    .answer(OTHER_LEG)
    .bridge(CALLER, OTHER_LEG)
    .wait(40_000)
    .hangup(OTHER_LEG, 'NORMAL_CLEARING', 'recv_bye', { destination: '1002' })
    .hangup(CALLER, 'NORMAL_CLEARING', 'send_bye', { context: 'internal' });
  const r = derive(s);
  t.deepEqual(r.transfers, [{ at: s.entries.find((e) => e.kind === 'call.transfer')!.at, agentId: 5, to: 'extension 1002', attended: false }]);
  t.like(r, { outcome: 'answered', talkMs: 20_000, hangupSide: 'agent', callee: '1001' });
  t.is(r.legs.length, 3);
  t.true(r.timeline.some((i) => i.text === 'Blind transfer to extension 1002'));
});

test('record: a consultation that becomes a three-way call is one call with its conference', (t) => {
  const s = agentAnswers(intoQueue(new CallScript(CALLER)), 5, 3_000);
  s.wait(10_000)
    .add('call.hold', { by: 'ann' }, { agentId: 5 })
    .add('call.consult', { to: 'extension 1002', by: 'ann' }, { agentId: 5 })
    .leg(OTHER_LEG, { channel: 'sofia/internal/1002@192.0.2.10', destination: '1002' })
    .wait(3_000)
    .answer(OTHER_LEG)
    .bridge(AGENT_LEG, OTHER_LEG)
    .wait(5_000)
    .add('call.conference', { with: 'extension 1002', room: 'callbox-1a2b3c4d', by: 'ann' }, { agentId: 5 })
    .wait(30_000)
    .hangup(CALLER, 'NORMAL_CLEARING', 'recv_bye', { context: 'callbox' })
    .add('queue.end', { by: 'caller', talkMs: 48_000 }, { agentId: 5, queueId: 3 })
    .hangup(AGENT_LEG, 'NORMAL_CLEARING', 'send_bye')
    .hangup(OTHER_LEG, 'NORMAL_CLEARING', 'send_bye');
  const r = derive(s);
  t.deepEqual(r.conferences, [{ at: s.entries.find((e) => e.kind === 'call.conference')!.at, room: 'callbox-1a2b3c4d' }]);
  t.like(r, { outcome: 'answered', hangupSide: 'customer', talkMs: 48_000 });
  // On hold from the hold until the call ended (the three-way never took them off hold explicitly).
  t.is(r.agents[0]!.holdMs, 38_000);
});

test('record: an agent\'s outbound call through loopback to the carrier: outbound, the trunk, the customer\'s answer, success', (t) => {
  const s = new CallScript(AGENT_LEG);
  s.add('call.outbound', { number: '+4930777', callerId: '+4930300005', by: 'ann' }, { agentId: 5 })
    .leg(AGENT_LEG, { channel: 'sofia/internal/1001@192.0.2.10', caller: '+4930777', destination: '1001', agentId: 5, direction: 'outbound' })
    .wait(800)
    .answer(AGENT_LEG)
    .leg(OTHER_LEG, { channel: 'loopback/+4930777-a', destination: '+4930777', direction: 'outbound' })
    .leg(THIRD_LEG, { channel: 'loopback/+4930777-b', destination: '+4930777', direction: 'inbound', context: 'internal' })
    .leg('e0000000-0000-4000-8000-000000000005', { channel: 'sofia/gateway/trunk_2/+4930777', destination: '+4930777', direction: 'outbound', trunkId: 2 })
    .wait(9_000)
    .answer('e0000000-0000-4000-8000-000000000005')
    .add('call.answered', { customerLeg: OTHER_LEG }, { agentId: 5 })
    .wait(45_000)
    .hangup('e0000000-0000-4000-8000-000000000005', 'NORMAL_CLEARING', 'recv_bye')
    .add('call.end', { by: 'customer', talkMs: 45_000, cause: 'NORMAL_CLEARING' }, { agentId: 5 })
    .hangup(THIRD_LEG, 'NORMAL_CLEARING', null)
    .hangup(OTHER_LEG, 'NORMAL_CLEARING', null)
    .hangup(AGENT_LEG, 'NORMAL_CLEARING', 'send_bye');
  const r = derive(s);
  t.like(r, { direction: 'outbound', caller: '+4930300005', callee: '+4930777', dialed: '+4930777', trunkId: 2, outcome: 'answered', result: 'success', hangupSide: 'customer', talkMs: 45_000 });
  t.like(r.agents[0], { agentId: 5, ringMs: 9_800, talkMs: 45_000 });
  t.is(r.answeredAt, s.entries.find((e) => e.kind === 'call.answered')!.at);
});

test('record: outbound calls that do not connect get the result code of their cause', (t) => {
  const busy = new CallScript(AGENT_LEG);
  busy.add('call.outbound', { number: '+4930777', callerId: null, by: 'ann' }, { agentId: 5 })
    .leg(AGENT_LEG, { channel: 'sofia/internal/1001@192.0.2.10', destination: '1001', agentId: 5, direction: 'outbound' })
    .answer(AGENT_LEG)
    .leg(OTHER_LEG, { channel: 'sofia/gateway/trunk_2/+4930777', destination: '+4930777', trunkId: 2 })
    .wait(2_000)
    .hangup(OTHER_LEG, 'USER_BUSY', 'recv_refuse')
    .add('call.failed', { side: 'customer', cause: 'USER_BUSY', number: '+4930777' }, { agentId: 5 })
    .hangup(AGENT_LEG, 'NORMAL_CLEARING', 'send_bye');
  t.like(derive(busy), { outcome: 'failed', result: 'busy', hangupCause: 'USER_BUSY', answeredAt: null });

  // A desk phone dialling out through a route: the carrier never answers.
  const desk = new CallScript(CALLER);
  desk.leg(CALLER, { channel: 'sofia/internal/1001@192.0.2.10', caller: '1001', destination: '0307777', context: 'internal' })
    .leg(OTHER_LEG, { channel: 'sofia/gateway/trunk_2/4930777', destination: '4930777', trunkId: 2 })
    .wait(30_000)
    .hangup(OTHER_LEG, 'NO_ANSWER', 'send_cancel')
    .hangup(CALLER, 'NO_ANSWER', 'send_refuse', { dialed: '0307777' });
  t.like(derive(desk), { direction: 'outbound', caller: '1001', dialed: '0307777', callee: '0307777', outcome: 'failed', result: 'no_answer', trunkId: 2 });

  for (const [cause, result] of [['UNALLOCATED_NUMBER', 'not_exist'], ['SUBSCRIBER_ABSENT', 'powered_off'], ['CALL_REJECTED', 'rejected'], ['NO_ROUTE_DESTINATION', 'unreachable'], ['INCOMING_CALL_BARRED', 'suspended'], ['RECOVERY_ON_TIMER_EXPIRE', 'call_lost'], ['BEARERCAPABILITY_NOTIMPL', 'other']] as const) {
    const c = new CallScript(CALLER);
    c.leg(CALLER, { channel: 'sofia/internal/1001@192.0.2.10', caller: '1001', destination: '0307777' }).leg(OTHER_LEG, { channel: 'sofia/gateway/trunk_2/4930777', destination: '4930777' }).hangup(OTHER_LEG, cause, 'recv_refuse').hangup(CALLER, cause, 'send_refuse');
    t.is(derive(c).result, result, cause);
  }
});

test('record: a number sent to voicemail; an IVR that answers on its own; a call between extensions; a call still going', (t) => {
  const vm = new CallScript(CALLER);
  vm.leg(CALLER, { channel: 'sofia/external/+4930555@198.51.100.7', caller: '+4930555', destination: '+4930999' })
    .answer(CALLER, { numberId: 7, trunkId: 2, dialed: '+4930999' })
    .wait(25_000)
    .hangup(CALLER, 'NORMAL_CLEARING', 'recv_bye', { context: 'callbox_voicemail', destination: '1001' });
  t.like(derive(vm), { direction: 'inbound', outcome: 'voicemail', numberId: 7, hangupSide: 'customer' });

  const ivr = new CallScript(CALLER);
  ivr.leg(CALLER, { channel: 'sofia/external/+4930555@198.51.100.7', caller: '+4930555', destination: '+4930999' })
    .answer(CALLER, { numberId: 7, trunkId: 2, dialed: '+4930999' })
    .add('flow.started', { flowId: 4, version: 2, runId: 1 })
    .wait(9_000)
    .add('flow.ended', { flowId: 4, outcome: 'hangup', detail: '', path: [], vars: {}, survey: '4' })
    .hangup(CALLER, 'NORMAL_CLEARING', 'send_bye', { context: 'callbox' });
  t.like(derive(ivr), { outcome: 'self_service', survey: 4, flowMs: 9_000, hangupSide: 'system' });

  const internal = new CallScript(CALLER);
  internal.leg(CALLER, { channel: 'sofia/internal/1001@192.0.2.10', caller: '1001', destination: '1002', context: 'internal' })
    .leg(OTHER_LEG, { channel: 'sofia/internal/1002@192.0.2.10', destination: '1002' })
    .wait(3_000)
    .answer(OTHER_LEG)
    .answer(CALLER)
    .wait(10_000)
    .hangup(OTHER_LEG, 'NORMAL_CLEARING', 'recv_bye')
    .hangup(CALLER, 'NORMAL_CLEARING', 'send_bye');
  t.like(derive(internal), { direction: 'internal', caller: '1001', callee: '1002', outcome: 'answered', hangupSide: 'agent', durationMs: 13_000 });

  const live = agentAnswers(intoQueue(new CallScript(CALLER)), 5, 2_000).wait(5_000);
  t.like(derive(live), { outcome: 'answered', endedAt: null, hangupSide: null });
  const ringing = intoQueue(new CallScript(CALLER));
  t.like(derive(ringing), { outcome: 'in_progress', endedAt: null });
});

test('record: entries that are no call (an agent\'s wrap-up ending alone) give no record', (t) => {
  const s = new CallScript(CALLER).add('agent.state', { from: 'wrap_up', to: 'ready' }, { agentId: 5 });
  t.is(deriveRecord(s.entries), null);
  t.is(deriveRecord([]), null);
});
