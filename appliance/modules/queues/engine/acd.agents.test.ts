import test from 'ava';
import { agentCfg, kinds, offered, only, queueCfg, world } from './testing.js';

const oneAgent = (q = {}) => world({ queues: [queueCfg(1, q)], agents: [agentCfg(1, [1])] });

test('a new agent is logged out with the device down; login makes them ready with fresh counters', (t) => {
  const w = world({ queues: [queueCfg(1)], agents: [agentCfg(1, [1])], ready: [] });
  t.like(w.acd.agent(1), { state: 'logged_out', deviceUp: false, available: false, queueIds: [1], name: 'a1' });
  w.pass(5000);
  t.deepEqual(w.h({ kind: 'agent.login', agentId: 1 }), [{ kind: 'agent', agentId: 1, from: 'logged_out', to: 'ready', reason: 'login' }]);
  t.like(w.acd.agent(1), { state: 'ready', since: w.now, idleSince: w.now, calls: 0, talkMs: 0, available: false });
  t.deepEqual(w.h({ kind: 'agent.login', agentId: 1 }), [], 'already logged in');
  w.h({ kind: 'agent.device', agentId: 1, up: true });
  t.true(w.acd.agent(1)?.available);
});

test('logout and break from ready are immediate; the break reason is kept', (t) => {
  const w = oneAgent();
  t.deepEqual(w.h({ kind: 'agent.not_ready', agentId: 1, reason: 'Lunch' }), [{ kind: 'agent', agentId: 1, from: 'ready', to: 'not_ready', reason: 'Lunch' }]);
  t.deepEqual(w.h({ kind: 'agent.not_ready', agentId: 1, reason: 'Meeting' }), [{ kind: 'agent', agentId: 1, from: 'not_ready', to: 'not_ready', reason: 'Meeting' }]);
  t.deepEqual(w.h({ kind: 'agent.logout', agentId: 1 }), [{ kind: 'agent', agentId: 1, from: 'not_ready', to: 'logged_out', reason: 'logout' }]);
  t.deepEqual(w.h({ kind: 'agent.logout', agentId: 1 }), []);
  t.deepEqual(w.ready(1), [], 'ready is not a login');
});

test('a logout asked for while ringing does not cancel the offer; it applies when the offer ends', (t) => {
  const w = world({ queues: [queueCfg(1)], agents: [agentCfg(1, [1]), agentCfg(2, [1])], ready: [1] });
  w.enqueue('c1', 1);
  t.deepEqual(w.h({ kind: 'agent.logout', agentId: 1 }), []);
  t.like(w.acd.agent(1), { state: 'reserved', callId: 'c1', pending: { state: 'logged_out' } });
  const ds = w.fail('c1', 1);
  t.deepEqual(only(ds, 'agent'), [{ kind: 'agent', agentId: 1, from: 'reserved', to: 'logged_out', reason: 'logout' }]);
  t.is(w.acd.agent(1)?.pending, null);
});

test('a break asked for during a call applies after the wrap-up; ready during the call changes nothing', (t) => {
  const w = oneAgent({ wrapUpS: 10 });
  w.enqueue('c1', 1);
  w.answer('c1', 1);
  w.h({ kind: 'agent.not_ready', agentId: 1, reason: 'Lunch' });
  t.deepEqual(w.ready(1), []);
  t.deepEqual(w.acd.agent(1)?.pending, { state: 'not_ready', reason: 'Lunch' });
  t.deepEqual(only(w.ended(1), 'agent').map((d) => d.to), ['wrap_up']);
  t.deepEqual(only(w.advance(10_000), 'agent'), [{ kind: 'agent', agentId: 1, from: 'wrap_up', to: 'not_ready', reason: 'Lunch' }]);
});

test('a logout asked for in a manual wrap-up applies when the agent ends the wrap-up', (t) => {
  const w = oneAgent({ wrapUpS: null });
  w.enqueue('c1', 1);
  w.answer('c1', 1);
  w.ended(1);
  t.deepEqual(w.h({ kind: 'agent.logout', agentId: 1 }), []);
  t.deepEqual(only(w.ready(1), 'agent'), [{ kind: 'agent', agentId: 1, from: 'wrap_up', to: 'logged_out', reason: 'logout' }]);
});

test('call ended: talk time counted; no wrap-up → ready at once and longest idle counts from now', (t) => {
  const w = oneAgent({ wrapUpS: 0 });
  w.enqueue('c1', 1);
  w.answer('c1', 1);
  w.pass(65_000);
  t.deepEqual(w.ended(1), [{ kind: 'agent', agentId: 1, from: 'talking', to: 'ready', reason: 'call-ended' }]);
  t.like(w.acd.agent(1), { talkMs: 65_000, calls: 1, idleSince: w.now, callId: null });
  t.deepEqual(w.ended(1), [], 'not on a call');
});

test('timed wrap-up: wrap_up until the timer, then ready; early ready ends it; talk time excludes the wrap-up', (t) => {
  const w = oneAgent({ wrapUpS: 30 });
  w.enqueue('c1', 1);
  w.answer('c1', 1);
  w.pass(1000);
  w.ended(1);
  t.like(w.acd.agent(1), { state: 'wrap_up', wrapUpUntil: w.now + 30_000, callId: 'c1', talkMs: 1000, needsDisposition: false });
  t.is(w.acd.nextWakeAt(), w.now + 30_000);
  t.deepEqual(w.advance(29_999), []);
  t.deepEqual(w.advance(1), [{ kind: 'agent', agentId: 1, from: 'wrap_up', to: 'ready', reason: 'wrap-up-end' }]);
  w.enqueue('c2', 1);
  w.answer('c2', 1);
  w.ended(1);
  t.deepEqual(w.ready(1), [{ kind: 'agent', agentId: 1, from: 'wrap_up', to: 'ready', reason: 'ready' }]);
  t.is(w.acd.nextWakeAt(), null, 'the wrap-up timer went with it');
});

test('manual wrap-up (wrapUpS null) lasts until the agent says ready', (t) => {
  const w = oneAgent({ wrapUpS: null });
  w.enqueue('c1', 1);
  w.answer('c1', 1);
  w.ended(1);
  t.like(w.acd.agent(1), { state: 'wrap_up', wrapUpUntil: null });
  t.deepEqual(w.advance(3_600_000), []);
  w.enqueue('c2', 1);
  t.deepEqual(offered(w.ready(1)), [['c2', 1]]);
});

test('required disposition: neither ready nor the timer ends the wrap-up; the disposition after the timer does, at once', (t) => {
  const w = oneAgent({ wrapUpS: 5, requireDisposition: true });
  w.enqueue('c1', 1);
  w.answer('c1', 1);
  w.ended(1);
  t.true(w.acd.agent(1)?.needsDisposition);
  t.deepEqual(w.ready(1), []);
  t.deepEqual(w.advance(5000), []);
  t.is(w.state(1), 'wrap_up');
  t.deepEqual(w.h({ kind: 'agent.disposition', agentId: 1 }), [{ kind: 'agent', agentId: 1, from: 'wrap_up', to: 'ready', reason: 'wrap-up-end' }]);
});

test('required disposition saved before the timer: the timer ends the wrap-up; with no wrap-up time the disposition alone', (t) => {
  const w = oneAgent({ wrapUpS: 5, requireDisposition: true });
  w.enqueue('c1', 1);
  w.answer('c1', 1);
  w.ended(1);
  t.deepEqual(w.h({ kind: 'agent.disposition', agentId: 1 }), []);
  t.deepEqual(only(w.advance(5000), 'agent').map((d) => d.to), ['ready']);
  const z = oneAgent({ wrapUpS: 0, requireDisposition: true });
  z.enqueue('c1', 1);
  z.answer('c1', 1);
  t.deepEqual(only(z.ended(1), 'agent').map((d) => d.to), ['wrap_up']);
  t.deepEqual(only(z.h({ kind: 'agent.disposition', agentId: 1 }), 'agent').map((d) => d.to), ['ready']);
});

test('hold and unhold while talking; not otherwise', (t) => {
  const w = oneAgent();
  t.deepEqual(w.h({ kind: 'agent.hold', agentId: 1, held: true }), []);
  w.enqueue('c1', 1);
  w.answer('c1', 1);
  t.deepEqual(w.h({ kind: 'agent.hold', agentId: 1, held: true }), [{ kind: 'agent', agentId: 1, from: 'talking', to: 'held', reason: 'hold' }]);
  t.deepEqual(w.h({ kind: 'agent.hold', agentId: 1, held: false }), [{ kind: 'agent', agentId: 1, from: 'held', to: 'talking', reason: 'unhold' }]);
  w.h({ kind: 'agent.hold', agentId: 1, held: true });
  t.deepEqual(only(w.ended(1), 'agent').map((d) => [d.from, d.to]), [['held', 'ready']], 'a held call can end');
});

test('busy on another call: from ready, break or wrap-up, and back to where they were; a reserved agent is left alone', (t) => {
  const w = oneAgent({ wrapUpS: null });
  t.deepEqual(w.h({ kind: 'agent.busy', agentId: 1, busy: true }), [{ kind: 'agent', agentId: 1, from: 'ready', to: 'busy', reason: 'busy' }]);
  t.deepEqual(offered(w.enqueue('c1', 1)), []);
  const back = w.h({ kind: 'agent.busy', agentId: 1, busy: false });
  t.deepEqual(only(back, 'agent')[0], { kind: 'agent', agentId: 1, from: 'busy', to: 'ready', reason: 'busy-end' });
  t.deepEqual(offered(back), [['c1', 1]]);
  t.deepEqual(w.h({ kind: 'agent.busy', agentId: 1, busy: true }), [], 'reserved: the offer\'s outcome will tell');
  w.answer('c1', 1);
  w.ended(1);
  w.h({ kind: 'agent.busy', agentId: 1, busy: true });
  t.deepEqual(only(w.h({ kind: 'agent.busy', agentId: 1, busy: false }), 'agent')[0], { kind: 'agent', agentId: 1, from: 'busy', to: 'wrap_up', reason: 'wrap-up' });
  w.ready(1);
  w.h({ kind: 'agent.not_ready', agentId: 1, reason: 'Lunch' });
  w.h({ kind: 'agent.busy', agentId: 1, busy: true });
  w.h({ kind: 'agent.not_ready', agentId: 1, reason: 'Training' });
  t.deepEqual(only(w.h({ kind: 'agent.busy', agentId: 1, busy: false }), 'agent')[0], { kind: 'agent', agentId: 1, from: 'busy', to: 'not_ready', reason: 'Training' });
});

test('a timed wrap-up that ends while the agent is busy: back to ready when the other call ends', (t) => {
  const w = oneAgent({ wrapUpS: 10 });
  w.enqueue('c1', 1);
  w.answer('c1', 1);
  w.ended(1);
  w.h({ kind: 'agent.busy', agentId: 1, busy: true });
  t.deepEqual(w.advance(20_000), []);
  t.deepEqual(only(w.h({ kind: 'agent.busy', agentId: 1, busy: false }), 'agent').map((d) => d.to), ['ready']);
});

test('device down: the agent keeps their state but is not offered calls; up again: offered', (t) => {
  const w = oneAgent();
  t.deepEqual(w.h({ kind: 'agent.device', agentId: 1, up: false }), []);
  t.like(w.acd.agent(1), { state: 'ready', deviceUp: false, available: false });
  t.deepEqual(offered(w.enqueue('c1', 1)), []);
  t.deepEqual(offered(w.h({ kind: 'agent.device', agentId: 1, up: true })), [['c1', 1]]);
});

test('agent.set changes skills and queues without touching the state, and may bring new callers', (t) => {
  const w = world({ queues: [queueCfg(1), queueCfg(2, { skillId: 3 })], agents: [agentCfg(1, [1])] });
  w.enqueue('c2', 2);
  w.h({ kind: 'agent.not_ready', agentId: 1, reason: 'Lunch' });
  t.deepEqual(w.h({ kind: 'agent.set', agent: agentCfg(1, [1, 2]) }), []);
  t.like(w.acd.agent(1), { state: 'not_ready', reason: 'Lunch', queueIds: [1, 2] });
  w.ready(1);
  t.deepEqual(offered(w.h({ kind: 'agent.set', agent: agentCfg(1, [1, 2], { 3: 4 }) })), [['c2', 1]]);
});

test('a removed agent\'s offer is cancelled (removed) and the caller offered to another', (t) => {
  const w = world({ queues: [queueCfg(1)], agents: [agentCfg(1, [1]), agentCfg(2, [1])], ready: [1] });
  w.enqueue('c1', 1);
  w.h({ kind: 'agent.device', agentId: 2, up: true });
  w.h({ kind: 'agent.login', agentId: 2 });
  const ds = w.h({ kind: 'agent.removed', agentId: 1 });
  t.deepEqual(ds.slice(0, 2), [
    { kind: 'cancel', callId: 'c1', agentId: 1, reason: 'removed' },
    { kind: 'agent', agentId: 1, from: 'reserved', to: 'logged_out', reason: 'removed' },
  ]);
  t.deepEqual(offered(ds), [['c1', 2]]);
  t.is(w.acd.agent(1), undefined);
  t.deepEqual(w.acd.agents().map((a) => a.id), [2]);
});

test('restore: the state verbatim, no decisions; a restored ready agent is offered at the next event', (t) => {
  const w = world({ queues: [queueCfg(1)], agents: [agentCfg(1, [1]), agentCfg(2, [1])], ready: [] });
  w.h({ kind: 'agent.device', agentId: 1, up: true });
  w.enqueue('c1', 1);
  t.deepEqual(w.h({ kind: 'agent.restore', agentId: 1, state: 'ready', reason: 'restart', since: w.now - 5000, callId: null }), []);
  t.like(w.acd.agent(1), { state: 'ready', reason: 'restart', since: w.now - 5000 });
  t.deepEqual(w.h({ kind: 'agent.restore', agentId: 2, state: 'talking', reason: 'answered', since: w.now - 9000, callId: 'old' }), []);
  t.deepEqual(w.h({ kind: 'caller.agent', caller: '+4930x', agentId: 2, at: w.now - 9000 }), []);
  t.deepEqual(offered(w.h({ kind: 'tick' })), [['c1', 1]]);
  t.like(w.acd.agent(2), { state: 'talking', callId: 'old' });
  w.pass(1000);
  w.ended(2);
  t.is(w.acd.agent(2)?.talkMs, 10_000, 'talk time counts from the restored since');
});

test('restore of a reserved agent: the offer is live again when the caller is back, and guarded', (t) => {
  const w = world({ queues: [queueCfg(1, { ringTimeoutS: 20 })], agents: [agentCfg(1, [1]), agentCfg(2, [1])], ready: [] });
  w.h({ kind: 'agent.restore', agentId: 1, state: 'reserved', reason: 'offer', since: w.now - 5000, callId: 'c1' });
  t.deepEqual(kinds(w.enqueue('c1', 1, { enteredAt: w.now - 8000 })), ['entered']);
  t.deepEqual(w.acd.waiting(1)[0]?.offeredTo, [1]);
  t.is(w.acd.nextWakeAt(), w.now + 25_000, 'ring + grace from when it was made');
  t.like(only(w.answer('c1', 1), 'answered')[0], { waitMs: 8000 });
  w.h({ kind: 'agent.restore', agentId: 2, state: 'reserved', reason: 'offer', since: w.now, callId: 'gone' });
  t.deepEqual(w.fail('gone', 2, 'NO_ANSWER'), [{ kind: 'agent', agentId: 2, from: 'reserved', to: 'ready', reason: 'failed' }], 'its failure frees the agent');
  w.h({ kind: 'agent.restore', agentId: 2, state: 'reserved', reason: 'offer', since: w.now, callId: 'gone' });
  const ds = w.advance(100_000);
  t.deepEqual(ds, [
    { kind: 'cancel', callId: 'gone', agentId: 2, reason: 'timeout' },
    { kind: 'agent', agentId: 2, from: 'reserved', to: 'ready', reason: 'cancelled' },
  ], 'a caller who never came back does not keep the agent forever');
});

test('restore of a wrap-up with its queue: the timed wrap-up runs on from since', (t) => {
  const w = world({ queues: [queueCfg(1, { wrapUpS: 30 })], agents: [agentCfg(1, [1])], ready: [] });
  w.h({ kind: 'agent.restore', agentId: 1, state: 'wrap_up', reason: 'wrap-up', since: w.now - 20_000, callId: 'c0', queueId: 1 });
  t.like(w.acd.agent(1), { state: 'wrap_up', wrapUpUntil: w.now + 10_000 });
  t.deepEqual(only(w.advance(10_000), 'agent').map((d) => d.to), ['ready']);
});

test('sticky: a repeat caller goes back to their last agent within the window', (t) => {
  const w = world({ queues: [queueCfg(1, { strategy: 'sticky', stickyWindowS: 60 })], agents: [agentCfg(1, [1]), agentCfg(2, [1])] });
  w.enqueue('c1', 1, { caller: '+49301' });
  w.answer('c1', 1);
  w.ended(1);
  w.pass(1000);
  t.deepEqual(offered(w.enqueue('c2', 1, { caller: '+49301' })), [['c2', 1]], 'agent 2 is longer idle, but agent 1 is theirs');
  w.answer('c2', 1);
  w.ended(1);
  w.pass(61_000);
  t.deepEqual(offered(w.enqueue('c3', 1, { caller: '+49301' })), [['c3', 2]], 'the window has passed');
});

test('every state change carries since = now; agents() lists in id order with their queues', (t) => {
  const w = world({ queues: [queueCfg(1), queueCfg(2)], agents: [agentCfg(2, [2, 1]), agentCfg(1, [1])] });
  w.pass(777);
  w.h({ kind: 'agent.not_ready', agentId: 2, reason: 'Break' });
  t.deepEqual(w.acd.agents().map((a) => [a.id, a.queueIds, a.state]), [[1, [1], 'ready'], [2, [2, 1], 'not_ready']]);
  t.is(w.acd.agent(2)?.since, w.now);
});

test('the engine keeps its own copies: changing a configuration object after handing it over changes nothing', (t) => {
  const q = queueCfg(1);
  const a = agentCfg(1, [1]);
  const w = world({ queues: [q], agents: [a] });
  (a.queues as { queueId: number; position: number }[]).length = 0;
  q.strategy = 'ring_all';
  (w.acd.queue(1)!.overflow as { kind: string }).kind = 'flow';
  t.deepEqual(offered(w.enqueue('c1', 1)), [['c1', 1]]);
  t.deepEqual(w.acd.agent(1)?.queueIds, [1]);
  t.like(w.acd.queue(1), { strategy: 'longest_idle', overflow: { kind: 'hangup' } });
});
