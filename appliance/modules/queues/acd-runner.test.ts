import test from 'ava';
import { acdWorld } from './testing/acd-world.js';

const C1 = '11111111-1111-4111-8111-111111111111';
const C2 = '22222222-2222-4222-8222-222222222222';
const C3 = '33333333-3333-4333-8333-333333333333';
const AGENTS = [
  { id: 1, name: 'Ann', extension: '1001' },
  { id: 2, name: 'Bob', extension: '1002' },
];

async function ready(w: Awaited<ReturnType<typeof acdWorld>>, ...ids: number[]) {
  for (const id of ids) w.runner.login(id, 'test');
  await w.settle();
}

test('a caller waits with music and rings an agent with their number and the queue name; the answer bridges them', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS.slice(0, 1) });
  await ready(w, 1);
  await w.caller(C1, '+4930555');
  const offer = w.ringingAt('1001');
  t.regex(offer.command, /origination_caller_id_number=\+4930555/);
  t.regex(offer.command, /origination_caller_id_name='?Sales/);
  t.regex(offer.command, /originate_timeout=15/);
  t.regex(offer.command, /user\/1001@example\.com &park\(\)$/);
  t.true(w.sent().some((l) => l === `execute playback local_stream://moh @${C1}`), 'the caller hears the hold music');
  t.is(w.state(1), 'reserved');
  const leg = await w.answer('1001');
  t.true(w.sent().includes(`api uuid_bridge ${C1} ${leg}`));
  t.is(w.state(1), 'talking');
  t.deepEqual(w.kinds(C1), ['queue.entered', 'queue.offer', 'queue.answered']);
  t.is((w.ctx.db.prepare('SELECT count(*) AS n FROM queue_waiting').get() as { n: number }).n, 0, 'nobody waits any more');
  t.is(w.saved.get(1)?.state, 'talking');
  t.is(w.saved.get(1)?.legUuid, leg, 'the agent leg is kept for a restart');
});

test('a ring-no-answer goes to the next agent at once and puts the first on break', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS });
  await ready(w, 1, 2);
  await w.caller(C1);
  const first = w.ringingExts();
  t.is(first.length, 1);
  await w.fail(first[0]!, 'NO_ANSWER');
  const firstId = first[0] === '1001' ? 1 : 2;
  t.is(w.state(firstId), 'not_ready');
  t.is(w.runner.acd.agent(firstId)?.reason, 'Missed call');
  t.deepEqual(w.ringingExts(), [first[0] === '1001' ? '1002' : '1001']);
  t.deepEqual(w.kinds(C1), ['queue.entered', 'queue.offer', 'queue.missed', 'queue.offer']);
});

test('a busy agent is skipped without a miss; the call goes to another', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS });
  await ready(w, 1, 2);
  await w.caller(C1);
  const [ext] = w.ringingExts();
  await w.fail(ext!, 'USER_BUSY');
  const id = ext === '1001' ? 1 : 2;
  t.is(w.state(id), 'ready');
  t.false(w.runner.acd.agent(id)!.available, 'cooling down after the busy');
  t.is(w.ringingExts().length, 1);
  t.not(w.ringingExts()[0], ext);
});

test('a caller who hangs up during the offer cancels it at once, and is recorded as abandoned with the wait', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS.slice(0, 1) });
  await ready(w, 1);
  await w.caller(C1);
  const { leg } = w.ringingAt('1001');
  w.ctx.clock.advance(7000);
  await w.hangup(C1);
  t.true(w.sent().includes(`api uuid_kill ${leg} ORIGINATOR_CANCEL`));
  t.deepEqual(w.ringingExts(), []);
  t.is(w.state(1), 'ready');
  const abandoned = w.ledger.forCall(C1).find((e) => e.kind === 'queue.abandoned')!;
  t.is(abandoned.data.waitMs, 7000);
  t.is(w.ledger.forCall(C1).filter((e) => e.kind === 'queue.missed').length, 0, 'the cancelled offer is not the agent\'s miss');
});

test('after the call the agent wraps up for the queue\'s time, then the next caller rings them', async (t) => {
  const w = await acdWorld(t, { queues: [{ wrapUpS: 30 }], agents: AGENTS.slice(0, 1) });
  await ready(w, 1);
  await w.caller(C1);
  const leg = await w.answer('1001');
  await w.caller(C2);
  t.deepEqual(w.ringingExts(), [], 'busy talking');
  await w.hangup(leg);
  t.true(w.sent().includes(`api uuid_kill ${C1} NORMAL_CLEARING`), 'the caller is not left on a dead line');
  t.is(w.state(1), 'wrap_up');
  w.ctx.clock.advance(29_000);
  w.runner.tick();
  t.is(w.state(1), 'wrap_up');
  w.ctx.clock.advance(1000);
  w.runner.tick();
  await w.settle();
  t.deepEqual(w.ringingExts(), ['1001']);
  t.is(w.ledger.forCall(C1).find((e) => e.kind === 'queue.end')?.data.by, 'agent');
});

test('wrap-up with a required disposition ends only when it is saved', async (t) => {
  const w = await acdWorld(t, { queues: [{ wrapUpS: 5, requireDisposition: true }], agents: AGENTS.slice(0, 1) });
  await ready(w, 1);
  await w.caller(C1);
  const leg = await w.answer('1001');
  await w.hangup(leg);
  t.throws(() => w.runner.ready(1, 'test'), { message: /disposition/ });
  w.ctx.clock.advance(10_000);
  w.runner.tick();
  t.is(w.state(1), 'wrap_up');
  w.runner.disposition(1, 'Sale', 'paid by card', 'test');
  t.is(w.state(1), 'ready');
  t.deepEqual(w.ledger.forCall(C1).find((e) => e.kind === 'queue.disposition')?.data, { code: 'Sale', note: 'paid by card', by: 'test' });
});

test('an agent on break is not offered calls; back from the break, they are', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS.slice(0, 1) });
  await ready(w, 1);
  w.runner.notReady(1, 'Lunch', 'test');
  await w.caller(C1);
  t.deepEqual(w.ringingExts(), []);
  w.runner.ready(1, 'test');
  await w.settle();
  t.deepEqual(w.ringingExts(), ['1001']);
  const states = w.ledger.forAgent(1).filter((e) => e.kind === 'agent.state').map((e) => `${e.data.from}>${e.data.to}`).reverse();
  t.deepEqual(states, ['logged_out>ready', 'ready>not_ready', 'not_ready>ready', 'ready>reserved']);
});

test('an agent whose phone is not registered is not offered calls until it registers', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS.slice(0, 1) });
  await ready(w, 1);
  w.register('1001', false);
  await w.caller(C1);
  t.deepEqual(w.ringingExts(), []);
  t.false(w.runner.acd.agent(1)!.deviceUp);
  w.register('1001', true);
  await w.settle();
  t.deepEqual(w.ringingExts(), ['1001']);
});

test('an agent on another call is busy and not offered; when it ends they are', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS.slice(0, 1) });
  await ready(w, 1);
  w.ctx.sw.emit('channel.created', w.channel('99999999-9999-4999-8999-999999999999', { channelName: 'sofia/internal/1001@example.com' }));
  t.is(w.state(1), 'busy');
  await w.caller(C1);
  t.deepEqual(w.ringingExts(), []);
  await w.hangup('99999999-9999-4999-8999-999999999999');
  t.deepEqual(w.ringingExts(), ['1001']);
});

test('a VIP caller and a higher priority are served first; equal priorities by wait', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS.slice(0, 1) });
  await w.caller(C1, '+4930111');
  w.ctx.clock.advance(1000);
  await w.caller(C2, '+4930999');
  w.ctx.clock.advance(1000);
  await w.caller(C3, '+4930333');
  t.deepEqual(w.runner.acd.waiting(1).map((x) => x.callId), [C2, C1, C3]);
  await ready(w, 1);
  t.regex(w.ringingAt('1001').command, /queue_call=22222222/);
});

test('after a restart, waiting callers are found again in their order and delivered; talks and states carry on', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS });
  await ready(w, 1);
  await w.caller(C1);
  const leg = await w.answer('1001');
  await w.caller(C2);
  w.ctx.clock.advance(1000);
  await w.caller(C3);
  // C3 hangs up while the controller is away: a restarted controller must not deliver a ghost.
  w.channels.delete(C3);
  const before = w.runner.acd.waiting(1).map((x) => x.callId);
  t.deepEqual(before, [C2, C3]);
  const r = w.restart();
  await w.settle();
  t.is(r.acd.agent(1)?.state, 'talking', 'the talking agent is still talking');
  t.deepEqual(r.acd.waiting(1).map((x) => x.callId), [C2]);
  t.true(w.kinds(C3).includes('queue.abandoned'));
  await ready(w, 2);
  t.deepEqual(w.ringingExts(), ['1002']);
  t.regex(w.ringingAt('1002').command, /queue_call=22222222/);
  await w.hangup(leg);
  t.is(r.acd.agent(1)?.state, 'ready', 'the talk from before the restart ends normally');
});

test('the reconciler repairs ghost callers and agents stuck talking, and logs each repair', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS });
  await ready(w, 1, 2);
  await w.caller(C1);
  const leg = await w.answer(w.ringingExts()[0]!);
  w.register('1001', false);
  w.register('1002', false);
  await w.caller(C2);
  // Both channels vanish without their hangup events reaching us.
  w.channels.delete(C2);
  w.channels.delete(leg);
  w.channels.delete(C1);
  w.ctx.clock.advance(10_000);
  const reconciler = (w.runner as unknown as { reconciler: { run(): Promise<number> } }).reconciler;
  t.is(await reconciler.run(), 2);
  t.is(w.runner.acd.waiting(1).length, 0);
  t.false(w.runner.acd.agents().some((a) => a.state === 'talking'), 'nobody is stuck talking');
  const repairs = w.ledger.recent(50).filter((e) => e.kind === 'acd.repair').map((e) => e.data.what);
  t.deepEqual(repairs.sort(), ['a call that ended unseen', 'a waiting caller whose channel is gone']);
  t.is(w.runner.repairs, 2);
});

test('the exit key takes a caller to voicemail, or to a callback that keeps their place and rings an agent, who then dials them', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS.slice(0, 1), media: { exitKey: '1', exitKind: 'callback' } });
  await w.caller(C1, '+4930111');
  w.ctx.clock.advance(5000);
  await w.caller(C2, '+4930222');
  w.ctx.sw.emit('dtmf.received', { uuid: C1, digit: '1', durationSamples: null, source: 'rtp', at: 0 });
  await w.hangup(C1);
  t.deepEqual(w.runner.acd.waiting(1).map((x) => [x.callId, x.callback]), [[C1, true], [C2, false]], 'the callback keeps its place');
  t.true(w.kinds(C1).includes('queue.callback'));
  t.false(w.kinds(C1).includes('queue.abandoned'));
  await ready(w, 1);
  t.regex(w.ringingAt('1001').command, /origination_caller_id_name='Callback Sales'/);
  const leg = await w.answer('1001');
  t.true(w.sent().includes(`api uuid_transfer ${leg} +4930111 XML internal`));
});

test('a caller waiting longer than the queue allows overflows to its destination', async (t) => {
  const w = await acdWorld(t, { queues: [{ maxWaitS: 60, overflow: { kind: 'extension', extensionId: 7 } }], agents: AGENTS.slice(0, 1) });
  await w.caller(C1);
  w.ctx.clock.advance(60_000);
  w.runner.tick();
  await w.settle();
  t.true(w.sent().includes(`api uuid_transfer ${C1} 1007 XML internal`));
  t.true(w.kinds(C1).includes('queue.overflow'));
  t.is(w.runner.acd.waiting(1).length, 0);
});

test('agent actions that make no sense are refused with a reason and change nothing', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS.slice(0, 1) });
  t.throws(() => w.runner.ready(1, 'test'), { message: /Log in first/ });
  t.throws(() => w.runner.notReady(1, 'Lunch', 'test'), { message: /Log in first/ });
  t.throws(() => w.runner.disposition(1, 'Sale', '', 'test'), { message: /no call/ });
  t.throws(() => w.runner.login(99, 'test'), { message: /agent.not_found/ });
  t.is(w.state(1), 'logged_out');
  t.is(w.ledger.forAgent(1).length, 0);
});
