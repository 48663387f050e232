import test from 'ava';
import { MAX_HOPS } from './types.js';
import { agentCfg, kinds, offered, only, queueCfg, world } from './testing.js';

test('serving order: priority desc, then enteredAt asc, then arrival; entered says the position', (t) => {
  const w = world({ queues: [queueCfg(1)], agents: [] });
  const pos = (id: string, over = {}) => only(w.enqueue(id, 1, over), 'entered')[0]?.position;
  t.is(pos('a'), 1);
  t.is(pos('b'), 2);
  t.is(pos('vip', { priority: 9 }), 1);
  t.is(pos('restored', { enteredAt: w.now - 60_000 }), 2, 'older than a and b: ahead of them, behind the higher priority');
  t.is(pos('c'), 5, 'same enteredAt as a and b: arrival order');
  t.deepEqual(w.acd.waiting(1).map((x) => [x.callId, x.position]), [['vip', 1], ['restored', 2], ['a', 3], ['b', 4], ['c', 5]]);
  t.is(w.acd.position('a'), 3);
  t.is(w.acd.position('nobody'), null);
  t.like(w.acd.entry('vip'), { priority: 9, queueId: 1, callback: false, hops: 0 });
});

test('a caller for an unknown queue is hung up (removed); a second enqueue of a waiting caller changes nothing', (t) => {
  const w = world({ queues: [queueCfg(1)], agents: [] });
  t.deepEqual(w.enqueue('c1', 9), [{ kind: 'overflow', callId: 'c1', queueId: 9, to: { kind: 'hangup' }, reason: 'removed', waitMs: 0 }]);
  w.enqueue('c2', 1);
  t.deepEqual(w.enqueue('c2', 1, { priority: 9 }), []);
  t.is(w.acd.entry('c2')?.priority, 0);
});

test('full: a caller beyond maxLength (callbacks count) goes to whenFull; into a queue, with a hop', (t) => {
  const w = world({ queues: [queueCfg(1, { maxLength: 2, whenFull: { kind: 'queue', queueId: 2 } }), queueCfg(2), queueCfg(3, { maxLength: 1, whenFull: { kind: 'voicemail', extensionId: 7 } })], agents: [] });
  w.enqueue('c1', 1);
  w.enqueue('cb', 1, { callback: true });
  w.pass(5000);
  const ds = w.enqueue('c3', 1, { enteredAt: w.now - 2000 });
  t.deepEqual(ds, [
    { kind: 'overflow', callId: 'c3', queueId: 1, to: { kind: 'queue', queueId: 2 }, reason: 'full', waitMs: 2000 },
    { kind: 'entered', callId: 'c3', queueId: 2, position: 1 },
  ]);
  t.like(w.acd.entry('c3'), { queueId: 2, hops: 1, enteredAt: w.now });
  w.enqueue('d1', 3);
  t.deepEqual(only(w.enqueue('d2', 3), 'overflow')[0]?.to, { kind: 'voicemail', extensionId: 7 });
  t.is(w.acd.entry('d2'), undefined);
});

test(`queue-to-queue overflow stops after MAX_HOPS (${MAX_HOPS}): the caller is hung up`, (t) => {
  const w = world({ queues: [queueCfg(1, { maxLength: 1, whenFull: { kind: 'queue', queueId: 2 } }), queueCfg(2, { maxLength: 1, whenFull: { kind: 'queue', queueId: 1 } })], agents: [] });
  w.enqueue('x', 1);
  w.enqueue('y', 2);
  const ds = w.enqueue('c', 1);
  const hops = only(ds, 'overflow');
  t.is(hops.length, MAX_HOPS + 1);
  t.deepEqual(hops.at(-1)?.to, { kind: 'hangup' });
  t.is(w.acd.entry('c'), undefined);
});

test('noAgents overflow: with no member logged in a caller goes to the overflow; a member on break counts as logged in', (t) => {
  const w = world({ queues: [queueCfg(1, { noAgents: 'overflow', overflow: { kind: 'flow', flowId: 4 } })], agents: [agentCfg(1, [1])], ready: [] });
  t.deepEqual(only(w.enqueue('c1', 1), 'overflow'), [{ kind: 'overflow', callId: 'c1', queueId: 1, to: { kind: 'flow', flowId: 4 }, reason: 'no_agents', waitMs: 0 }]);
  t.deepEqual(kinds(w.enqueue('cb', 1, { callback: true })), ['entered'], 'a callback request keeps its place');
  w.h({ kind: 'agent.login', agentId: 1 });
  w.h({ kind: 'agent.not_ready', agentId: 1, reason: 'Lunch' });
  t.deepEqual(kinds(w.enqueue('c2', 1)), ['entered']);
});

test('the last member logging out of a noAgents-overflow queue sends its live callers to the overflow, not its callbacks', (t) => {
  const w = world({ queues: [queueCfg(1, { noAgents: 'overflow' }), queueCfg(2)], agents: [agentCfg(1, [1, 2]), agentCfg(2, [1])], ready: [] });
  w.h({ kind: 'agent.login', agentId: 1 });
  w.h({ kind: 'agent.login', agentId: 2 });
  w.enqueue('c1', 1);
  w.enqueue('cb', 1, { callback: true });
  w.enqueue('q2', 2);
  t.deepEqual(kinds(w.h({ kind: 'agent.logout', agentId: 2 })), ['agent'], 'agent 1 is still logged in');
  const ds = w.h({ kind: 'agent.logout', agentId: 1 });
  t.deepEqual(ds, [
    { kind: 'agent', agentId: 1, from: 'ready', to: 'logged_out', reason: 'logout' },
    { kind: 'overflow', callId: 'c1', queueId: 1, to: { kind: 'hangup' }, reason: 'no_agents', waitMs: 0 },
  ]);
  t.deepEqual(w.acd.waiting().map((x) => x.callId), ['cb', 'q2']);
});

test('a caller who hangs up: their offers are cancelled (abandoned), the agent takes the next caller; unknown ids change nothing', (t) => {
  const w = world({ queues: [queueCfg(1)], agents: [agentCfg(1, [1])] });
  w.enqueue('c1', 1);
  w.enqueue('c2', 1);
  w.pass(7000);
  const ds = w.h({ kind: 'call.leave', callId: 'c1', reason: 'abandoned' });
  t.deepEqual(ds.slice(0, 3), [
    { kind: 'cancel', callId: 'c1', agentId: 1, reason: 'abandoned' },
    { kind: 'agent', agentId: 1, from: 'reserved', to: 'ready', reason: 'cancelled' },
    { kind: 'abandoned', callId: 'c1', queueId: 1, waitMs: 7000, reason: 'abandoned' },
  ]);
  t.deepEqual(offered(ds), [['c2', 1]]);
  t.deepEqual(only(w.h({ kind: 'call.leave', callId: 'c2', reason: 'exit' }), 'abandoned')[0]?.reason, 'exit');
  t.deepEqual(w.h({ kind: 'call.leave', callId: 'nobody', reason: 'abandoned' }), []);
});

test('a callback request keeps its place, stops the ring (exit) and is offered again as a callback; max wait does not apply', (t) => {
  const w = world({ queues: [queueCfg(1, { strategy: 'ring_all', maxWaitS: 60, ringTimeoutS: 90 })], agents: [agentCfg(1, [1]), agentCfg(2, [1])] });
  w.enqueue('c1', 1);
  w.enqueue('c2', 1);
  w.pass(3000);
  const ds = w.h({ kind: 'call.callback', callId: 'c1' });
  t.deepEqual(only(ds, 'cancel').map((d) => [d.agentId, d.reason]), [[1, 'exit'], [2, 'exit']]);
  t.deepEqual(only(ds, 'callback'), [{ kind: 'callback', callId: 'c1', queueId: 1, waitMs: 3000 }]);
  t.deepEqual(only(ds, 'offer').map((d) => [d.callId, d.agentId, d.callback]), [['c1', 1, true], ['c2', 2, false]]);
  t.is(w.acd.position('c1'), 1);
  t.deepEqual(w.h({ kind: 'call.callback', callId: 'c1' }), [], 'already a callback');
  const later = w.advance(60_000);
  t.deepEqual(only(later, 'overflow').map((d) => d.callId), ['c2']);
  t.like(only(w.answer('c1', 1), 'answered')[0], { callId: 'c1', callback: true, waitMs: 63_000 });
});

test('answered: talking, a call counted, the caller leaves the queue with their wait', (t) => {
  const w = world({ queues: [queueCfg(1)], agents: [agentCfg(1, [1])] });
  w.enqueue('c1', 1);
  w.pass(4000);
  const ds = w.answer('c1', 1);
  t.deepEqual(ds, [
    { kind: 'agent', agentId: 1, from: 'reserved', to: 'talking', reason: 'answered' },
    { kind: 'answered', callId: 'c1', agentId: 1, queueId: 1, waitMs: 4000, callback: false },
  ]);
  t.like(w.acd.agent(1), { state: 'talking', callId: 'c1', calls: 1 });
  t.deepEqual(w.acd.waiting(), []);
  t.is(w.acd.entry('c1'), undefined);
});

test('max wait: the ring is cancelled (overflow) and the caller goes to the overflow; into a queue, a new wait there', (t) => {
  const w = world({ queues: [queueCfg(1, { maxWaitS: 25, overflow: { kind: 'queue', queueId: 2 } }), queueCfg(2, { maxWaitS: 30 })], agents: [agentCfg(1, [1])] });
  w.enqueue('c1', 1);
  t.is(w.acd.nextWakeAt(), w.now + 25_000);
  const ds = w.advance(25_000);
  t.deepEqual(ds.slice(0, 4), [
    { kind: 'cancel', callId: 'c1', agentId: 1, reason: 'overflow' },
    { kind: 'agent', agentId: 1, from: 'reserved', to: 'ready', reason: 'cancelled' },
    { kind: 'overflow', callId: 'c1', queueId: 1, to: { kind: 'queue', queueId: 2 }, reason: 'max_wait', waitMs: 25_000 },
    { kind: 'entered', callId: 'c1', queueId: 2, position: 1 },
  ]);
  t.like(w.acd.entry('c1'), { queueId: 2, enteredAt: w.now, hops: 1 });
  t.deepEqual(only(w.advance(30_000), 'overflow')[0]?.to, { kind: 'hangup' });
});

test('a queue reload keeps its callers and their places; a changed max wait is re-armed from when they entered', (t) => {
  const w = world({ queues: [queueCfg(1, { maxWaitS: 100 })], agents: [] });
  w.enqueue('c1', 1);
  w.pass(10_000);
  w.enqueue('c2', 1, { priority: 3 });
  t.deepEqual(w.h({ kind: 'queue.set', queue: queueCfg(1, { maxWaitS: 20, name: 'Sales' }) }), []);
  t.is(w.acd.queue(1)?.name, 'Sales');
  t.deepEqual(w.acd.waiting(1).map((x) => x.callId), ['c2', 'c1']);
  t.is(w.acd.nextWakeAt(), w.now + 10_000, 'c1 entered 10 s ago');
  t.deepEqual(only(w.advance(10_000), 'overflow').map((d) => d.callId), ['c1']);
});

test('a removed queue hangs up its callers (removed), cancelling their offers (removed)', (t) => {
  const w = world({ queues: [queueCfg(1)], agents: [agentCfg(1, [1])] });
  w.enqueue('c1', 1);
  w.enqueue('cb', 1, { callback: true });
  const ds = w.h({ kind: 'queue.removed', queueId: 1 });
  t.deepEqual(only(ds, 'cancel'), [{ kind: 'cancel', callId: 'c1', agentId: 1, reason: 'removed' }]);
  t.deepEqual(only(ds, 'overflow').map((d) => [d.callId, d.reason, d.to.kind]), [['c1', 'removed', 'hangup'], ['cb', 'removed', 'hangup']]);
  t.is(w.acd.queue(1), undefined);
  t.deepEqual(w.acd.waiting(), []);
  t.like(w.acd.agent(1), { state: 'ready', available: true });
});
