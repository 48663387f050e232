import test from 'ava';
import { agentCfg, kinds, offered, only, queueCfg, world } from './testing.js';

test('a caller is offered to an available member: offer, then the agent goes ready → reserved', (t) => {
  const w = world({ queues: [queueCfg(1, { ringTimeoutS: 15 })], agents: [agentCfg(1, [1])] });
  const ds = w.enqueue('c1', 1);
  t.deepEqual(ds, [
    { kind: 'entered', callId: 'c1', queueId: 1, position: 1 },
    { kind: 'offer', callId: 'c1', agentId: 1, queueId: 1, ringTimeoutS: 15, callback: false },
    { kind: 'agent', agentId: 1, from: 'ready', to: 'reserved', reason: 'offer' },
  ]);
  t.like(w.acd.agent(1), { state: 'reserved', callId: 'c1', since: w.now, available: false });
  t.deepEqual(w.acd.waiting(1)[0]?.offeredTo, [1]);
});

test('only available, qualified members are candidates: not on break, device down, logged out, other queue or without the skill', (t) => {
  const w = world({
    queues: [queueCfg(1, { skillId: 5 }), queueCfg(2)],
    agents: [agentCfg(1, [1], { 5: 3 }), agentCfg(2, [1], { 5: 9 }), agentCfg(3, [1], { 5: 9 }), agentCfg(4, [1], {}), agentCfg(5, [2], { 5: 9 }), agentCfg(6, [1], { 5: 1 })],
    ready: [1, 2, 3, 4, 5],
  });
  w.h({ kind: 'agent.not_ready', agentId: 1, reason: 'Lunch' });
  w.h({ kind: 'agent.device', agentId: 2, up: false });
  // 3: ready, member, skilled → the only candidate. 4: no skill. 5: not a member. 6: logged out.
  t.deepEqual(offered(w.enqueue('c1', 1)), [['c1', 3]]);
  t.deepEqual(offered(w.enqueue('c2', 1)), []);
  t.deepEqual(offered(w.h({ kind: 'agent.device', agentId: 2, up: true })), [['c2', 2]]);
});

test('several callers and agents: each agent gets one caller in order; the rest wait; an agent never holds two offers', (t) => {
  const w = world({ queues: [queueCfg(1)], agents: [agentCfg(1, [1]), agentCfg(2, [1])] });
  t.deepEqual(offered(w.enqueue('c1', 1)), [['c1', 1]]);
  t.deepEqual(offered(w.enqueue('c2', 1)), [['c2', 2]]);
  t.deepEqual(offered(w.enqueue('c3', 1)), []);
  t.deepEqual(w.acd.waiting(1).map((x) => [x.callId, x.position, x.offeredTo]), [['c1', 1, [1]], ['c2', 2, [2]], ['c3', 3, []]]);
  w.answer('c1', 1);
  const ds = w.ended(1);
  t.deepEqual(offered(ds), [['c3', 1]], 'free again after the call: the next caller');
  t.deepEqual(kinds(ds), ['agent', 'offer', 'agent']);
});

test('an agent who becomes free takes the best caller across their queues: priority first, then the longest wait', (t) => {
  const w = world({ queues: [queueCfg(1), queueCfg(2), queueCfg(3)], agents: [agentCfg(1, [1, 2, 3])], ready: [] });
  w.enqueue('old-low', 1);
  w.pass(1000);
  w.enqueue('new-high', 2, { priority: 5 });
  w.pass(1000);
  w.enqueue('older-high', 3, { priority: 5, enteredAt: w.now - 5000 });
  w.h({ kind: 'agent.device', agentId: 1, up: true });
  t.deepEqual(offered(w.h({ kind: 'agent.login', agentId: 1 })), [['older-high', 1]]);
  w.answer('older-high', 1);
  t.deepEqual(offered(w.ended(1)), [['new-high', 1]]);
  w.answer('new-high', 1);
  t.deepEqual(offered(w.ended(1)), [['old-low', 1]]);
});

test('sequential: the caller a freed agent finds still goes to a higher-placed member who is free at the same time', (t) => {
  const w = world({
    queues: [queueCfg(1, { strategy: 'sequential', wrapUpS: 5 })],
    agents: [agentCfg(1, [{ queueId: 1, position: 1 }]), agentCfg(2, [{ queueId: 1, position: 2 }])],
  });
  w.enqueue('c1', 1);
  w.enqueue('c2', 1);
  w.answer('c1', 1);
  w.answer('c2', 2);
  // Agent 2's wrap-up timer is set first, so agent 2 is freed first on the tick where both end.
  w.ended(2);
  w.ended(1);
  w.enqueue('c3', 1);
  t.deepEqual(offered(w.advance(5000)), [['c3', 1]], 'agent 2 found c3, the strategy gave it to the top member');
  w.answer('c3', 1);
  t.deepEqual(offered(w.enqueue('c4', 1)), [['c4', 2]]);
});

test('ring all: every candidate rings; the first to answer takes it, the others are cancelled and take the next caller', (t) => {
  const w = world({ queues: [queueCfg(1, { strategy: 'ring_all' })], agents: [agentCfg(1, [1]), agentCfg(2, [1]), agentCfg(3, [1])] });
  t.deepEqual(offered(w.enqueue('c1', 1)), [['c1', 1], ['c1', 2], ['c1', 3]]);
  t.deepEqual(offered(w.enqueue('c2', 1)), [], 'everyone is ringing');
  const ds = w.answer('c1', 2);
  t.deepEqual(only(ds, 'cancel').map((d) => [d.agentId, d.reason]), [[1, 'answered_elsewhere'], [3, 'answered_elsewhere']]);
  t.deepEqual(offered(ds), [['c2', 1], ['c2', 3]]);
  t.like(only(ds, 'answered')[0], { callId: 'c1', agentId: 2, callback: false });
  t.is(w.state(2), 'talking');
});

test('ring all: an agent who becomes free joins the ring in progress when nobody else waits, but not one they missed', (t) => {
  const w = world({ queues: [queueCfg(1, { strategy: 'ring_all', missesBeforeBreak: 5 })], agents: [agentCfg(1, [1]), agentCfg(2, [1]), agentCfg(3, [1])], ready: [1, 2] });
  t.deepEqual(offered(w.enqueue('c1', 1)), [['c1', 1], ['c1', 2]]);
  w.h({ kind: 'agent.device', agentId: 3, up: true });
  t.deepEqual(offered(w.h({ kind: 'agent.login', agentId: 3 })), [['c1', 3]]);
  const ds = w.fail('c1', 1, 'CALL_REJECTED');
  t.deepEqual(offered(ds), [], 'agent 1 declined: not rung again while the others ring');
  t.deepEqual(w.acd.waiting(1)[0]?.offeredTo, [2, 3]);
  t.deepEqual(offered(w.enqueue('c2', 1)), [['c2', 1]], 'a new caller is theirs');
});

test('ring all: a callback request goes to one agent only', (t) => {
  const w = world({ queues: [queueCfg(1, { strategy: 'ring_all' })], agents: [agentCfg(1, [1]), agentCfg(2, [1])] });
  t.deepEqual(offered(w.enqueue('cb', 1, { callback: true })), [['cb', 1]], 'the longest idle');
  t.deepEqual(offered(w.enqueue('c2', 1)), [['c2', 2]]);
  w.fail('c2', 2, 'NO_ANSWER');
  t.deepEqual(w.acd.waiting(1).map((x) => x.offeredTo), [[1], [2]], 'agent 2 cannot join the callback');
});

test('a caller missed by an agent is offered to the others first; when all have missed it, to them again', (t) => {
  const w = world({ queues: [queueCfg(1, { missesBeforeBreak: 9 })], agents: [agentCfg(1, [1]), agentCfg(2, [1])] });
  w.enqueue('c1', 1);
  const first = w.fail('c1', 1);
  t.deepEqual(only(first, 'missed'), [{ kind: 'missed', callId: 'c1', agentId: 1, queueId: 1, cause: 'NO_ANSWER' }]);
  t.deepEqual(offered(first), [['c1', 2]], 'agent 1 is free and longest idle, but missed it');
  t.deepEqual(offered(w.fail('c1', 2)), [['c1', 1]], 'both missed: the slate is wiped');
  t.deepEqual(w.acd.position('c1'), 1, 'the caller kept their place throughout');
});

test('misses in a row put the agent on break (Missed call) after the queue\'s count; an answer resets the count', (t) => {
  const w = world({ queues: [queueCfg(1, { missesBeforeBreak: 2 })], agents: [agentCfg(1, [1])] });
  w.enqueue('c1', 1);
  w.fail('c1', 1);
  t.like(w.acd.agent(1), { state: 'reserved', missed: 1 }, 'rung again at once (nobody else)');
  w.answer('c1', 1);
  t.is(w.acd.agent(1)?.missed, 0);
  w.ended(1);
  w.enqueue('c2', 1);
  w.fail('c2', 1, 'ALLOTTED_TIMEOUT');
  const ds = w.fail('c2', 1, 'CALL_REJECTED');
  t.deepEqual(only(ds, 'agent').at(-1), { kind: 'agent', agentId: 1, from: 'reserved', to: 'not_ready', reason: 'Missed call' });
  t.like(w.acd.agent(1), { state: 'not_ready', reason: 'Missed call', available: false });
  t.deepEqual(offered(w.ready(1)), [['c2', 1]]);
  t.is(w.acd.agent(1)?.missed, 0, 'back from the break: a new run');
});

test('USER_BUSY: no miss, ready but cooling down 10 s, then offered again', (t) => {
  const w = world({ queues: [queueCfg(1, { missesBeforeBreak: 1 })], agents: [agentCfg(1, [1])] });
  w.enqueue('c1', 1);
  const ds = w.fail('c1', 1, 'USER_BUSY');
  t.deepEqual(offered(ds), []);
  t.like(w.acd.agent(1), { state: 'ready', missed: 0, available: false, cooldownUntil: w.now + 10_000 });
  t.is(w.acd.nextWakeAt(), w.now + 10_000);
  t.deepEqual(offered(w.advance(9_999)), []);
  t.deepEqual(offered(w.advance(1)), [['c1', 1]]);
});

test('an unknown failure cause cools the agent down too, without a miss', (t) => {
  const w = world({ queues: [queueCfg(1, { missesBeforeBreak: 1 })], agents: [agentCfg(1, [1])] });
  w.enqueue('c1', 1);
  w.fail('c1', 1, 'INCOMPATIBLE_DESTINATION');
  t.like(w.acd.agent(1), { state: 'ready', missed: 0, available: false });
  t.deepEqual(offered(w.advance(10_000)), [['c1', 1]]);
});

for (const cause of ['USER_NOT_REGISTERED', 'SUBSCRIBER_ABSENT', 'DESTINATION_OUT_OF_ORDER', 'NETWORK_OUT_OF_ORDER', 'UNALLOCATED_NUMBER']) {
  test(`${cause}: the device counts as down (no miss) until it comes up again`, (t) => {
    const w = world({ queues: [queueCfg(1, { missesBeforeBreak: 1 })], agents: [agentCfg(1, [1])] });
    w.enqueue('c1', 1);
    w.fail('c1', 1, cause);
    t.like(w.acd.agent(1), { state: 'ready', deviceUp: false, missed: 0, available: false });
    t.deepEqual(offered(w.advance(60_000)), []);
    t.deepEqual(offered(w.h({ kind: 'agent.device', agentId: 1, up: true })), [['c1', 1]]);
  });
}

test('the offer guard: no outcome by ringTimeoutS + 10 s → cancel (timeout), then a miss with cause TIMEOUT', (t) => {
  const w = world({ queues: [queueCfg(1, { ringTimeoutS: 20, missesBeforeBreak: 1 })], agents: [agentCfg(1, [1]), agentCfg(2, [1])] });
  w.enqueue('c1', 1);
  t.is(w.acd.nextWakeAt(), w.now + 30_000);
  t.deepEqual(w.advance(29_999), []);
  const ds = w.advance(1);
  t.deepEqual(ds.slice(0, 2), [
    { kind: 'cancel', callId: 'c1', agentId: 1, reason: 'timeout' },
    { kind: 'missed', callId: 'c1', agentId: 1, queueId: 1, cause: 'TIMEOUT' },
  ]);
  t.is(w.state(1), 'not_ready');
  t.deepEqual(offered(ds), [['c1', 2]]);
});

test('an outcome for an offer that is no longer live changes nothing', (t) => {
  const w = world({ queues: [queueCfg(1)], agents: [agentCfg(1, [1]), agentCfg(2, [1])] });
  w.enqueue('c1', 1);
  w.h({ kind: 'call.leave', callId: 'c1', reason: 'abandoned' });
  t.deepEqual(w.fail('c1', 1, 'ORIGINATOR_CANCEL'), []);
  t.deepEqual(w.answer('c1', 1), []);
  w.enqueue('c2', 1);
  t.deepEqual(w.answer('c2', 2), [], 'not offered to agent 2');
  t.deepEqual(w.fail('c2', 2), []);
  t.is(w.state(1), 'reserved');
});
