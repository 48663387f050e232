import test from 'ava';
import { acdWorld, type AcdWorld } from '../queues/testing/acd-world.js';
import { hangupInfo } from '../../freeswitch/testing/events.js';
import { AgentCalls } from './agent-calls.js';

const C1 = '11111111-1111-4111-8111-111111111111';
const AGENTS = [
  { id: 1, name: 'Ann', extension: '1001' },
  { id: 2, name: 'Bob', extension: '1002' },
];

/** Ann talking to a queue caller, with her call controls. */
async function talking(t: Parameters<typeof acdWorld>[0], o: { callerIds?: string[] } = {}) {
  const w = await acdWorld(t, { agents: AGENTS });
  const calls = controls(w, o);
  w.runner.login(1, 'test');
  await w.settle();
  await w.caller(C1, '+4930555');
  const leg = await w.answer('1001');
  return { w, calls, leg };
}

function controls(w: AcdWorld, o: { callerIds?: string[] } = {}) {
  const calls = new AgentCalls({
    sw: w.ctx.sw,
    runner: w.runner,
    ledger: w.ledger,
    clock: w.ctx.clock,
    log: w.ctx.log,
    dir: {
      device: (id) => (id === 1 ? { kind: 'extension', extensionId: 1, extension: '1001' } : id === 2 ? { kind: 'extension', extensionId: 2, extension: '1002' } : null),
      callClass: () => 'national',
      callerIds: () => o.callerIds ?? ['+4930999'],
      agentName: (id) => (id === 2 ? 'Bob' : id === 1 ? 'Ann' : null),
      queueName: (id) => (id === 1 ? 'Sales' : null),
      flowName: (id) => (id === 7 ? 'Main menu' : null),
      extensionExists: (n) => n === '2000',
      music: () => 'local_stream://moh',
    },
  });
  calls.start();
  return calls;
}

const kinds = (w: AcdWorld, callId: string) => w.ledger.forCall(callId).map((e) => e.kind);

test('hold parks the caller on music and unhold bridges them back; the agent is held meanwhile', async (t) => {
  const { w, calls, leg } = await talking(t);
  const before = w.sent().length;
  await calls.hold(1, 'agent ann');
  t.deepEqual(w.sent().slice(before), [`api uuid_park ${C1}`, `api uuid_broadcast ${C1} local_stream://moh aleg`]);
  t.is(w.state(1), 'held');
  t.is(calls.desk(1)?.state, 'held');
  await t.throwsAsync(calls.hold(1, 'agent ann'), { message: /on hold/ });
  await calls.unhold(1, 'agent ann');
  t.true(w.sent().includes(`api uuid_bridge ${C1} ${leg}`));
  t.is(w.state(1), 'talking');
  t.deepEqual(kinds(w, C1).slice(-2), ['call.hold', 'call.unhold']);
});

test('mute acts on the agent leg whatever the phone; DTMF goes to the caller and bad keys change nothing', async (t) => {
  const { w, calls, leg } = await talking(t);
  await calls.mute(1, true, 'ann');
  t.true(w.sent().includes(`api uuid_audio ${leg} start read mute 1`));
  t.true(calls.desk(1)!.muted);
  await calls.mute(1, false, 'ann');
  t.true(w.sent().includes(`api uuid_audio ${leg} stop`));
  await calls.dtmf(1, '12#', 'ann');
  t.true(w.sent().includes(`api uuid_send_dtmf ${C1} 12#`));
  const n = w.sent().length;
  await t.throwsAsync(calls.dtmf(1, '12; hangup', 'ann'), { message: /keys 0-9/ });
  t.is(w.sent().length, n);
});

test('a blind transfer to an extension sends the caller on with the agent\u2019s class and frees the agent', async (t) => {
  const { w, calls, leg } = await talking(t);
  await calls.transfer(1, { kind: 'extension', number: '2000' }, 'ann');
  await w.settle();
  const sent = w.sent();
  t.true(sent.some((l) => l.startsWith(`api uuid_setvar_multi ${C1} park_after_bridge=false;callbox_extension=1001;callbox_call_class=national`)));
  t.true(sent.includes(`api uuid_transfer ${C1} 2000 XML internal`));
  t.true(sent.includes(`api uuid_kill ${leg} NORMAL_CLEARING`), 'the agent leg is dropped');
  t.false(sent.includes(`api uuid_kill ${C1} NORMAL_CLEARING`), 'the caller is not');
  t.not(w.state(1), 'talking');
  const end = w.ledger.forCall(C1).find((e) => e.kind === 'queue.end')!;
  t.is(end.data.by, 'transfer');
  t.is(end.data.transfer, 'extension 2000');
  t.is(calls.desk(1), null);
});

test('a blind transfer to a flow or a queue, and refused targets that change nothing', async (t) => {
  const { w, calls } = await talking(t);
  const n = w.sent().length;
  await t.throwsAsync(calls.transfer(1, { kind: 'extension', number: '9999' }, 'ann'), { message: /no such extension/ });
  await t.throwsAsync(calls.transfer(1, { kind: 'flow', id: 99 }, 'ann'), { message: /no such flow/ });
  await t.throwsAsync(calls.transfer(1, { kind: 'external', number: '12; x' }, 'ann'), { message: /Enter a number/ });
  await t.throwsAsync(calls.transfer(1, { kind: 'agent', id: 1 }, 'ann'), { message: /another agent/ });
  t.is(w.sent().length, n, 'nothing was sent');
  t.is(w.state(1), 'talking');
  await calls.transfer(1, { kind: 'flow', id: 7 }, 'ann');
  t.true(w.sent().some((l) => l.startsWith(`api uuid_setvar_multi ${C1} park_after_bridge=false;`) && l.includes('callbox_flow_id=7;callbox_queue_id=')), 'out of the queue, into the flow');
  t.true(w.sent().includes(`api uuid_transfer ${C1} enter XML callbox`));
});

test('a transfer to a queue puts the caller back in line', async (t) => {
  const { w, calls } = await talking(t);
  await calls.transfer(1, { kind: 'queue', id: 1 }, 'ann');
  await w.settle();
  t.true(w.sent().includes(`api uuid_park ${C1}`));
  t.truthy(w.runner.acd.entry(C1), 'waiting again');
  t.deepEqual(kinds(w, C1).filter((k) => k === 'queue.entered').length, 2);
});

test('attended transfer: consult with the caller on music, then complete; the two legs end together', async (t) => {
  const { w, calls, leg } = await talking(t);
  const consulting = calls.consult(1, { kind: 'agent', id: 2 }, 'ann');
  await w.settle();
  t.is(calls.desk(1)?.state, 'consulting');
  t.true(w.sent().includes(`api uuid_park ${C1}`));
  await t.throwsAsync(calls.complete(1, 'ann'), { message: /not answered yet/ });
  const target = await w.answer('1002');
  await consulting;
  t.true(w.sent().includes(`api uuid_bridge ${leg} ${target}`), 'the agent talks to the person consulted');
  t.true(calls.desk(1)!.consult!.answered);
  await calls.complete(1, 'ann');
  await w.settle();
  t.true(w.sent().includes(`api uuid_bridge ${C1} ${target}`));
  t.true(w.sent().includes(`api uuid_kill ${leg} NORMAL_CLEARING`));
  t.is(w.ledger.forCall(C1).find((e) => e.kind === 'call.transfer')!.data.attended, true);
  // The customer hangs up later: the person they were handed to is hung up too.
  await w.hangup(C1);
  t.true(w.sent().includes(`api uuid_kill ${target} NORMAL_CLEARING`));
});

test('attended transfer called off, or not answered: the agent has the caller back', async (t) => {
  const { w, calls, leg } = await talking(t);
  const first = calls.consult(1, { kind: 'extension', number: '2000' }, 'ann');
  await w.settle();
  // Extension 2000 is no agent here, but rings like any phone.
  const target = await w.answer('2000');
  await first;
  await calls.cancel(1, 'ann');
  t.true(w.sent().includes(`api uuid_kill ${target} NORMAL_CLEARING`));
  // Once when the queue call was answered, once to take the caller back.
  t.is(w.sent().filter((l) => l === `api uuid_bridge ${C1} ${leg}`).length, 2);
  t.is(calls.desk(1)?.state, 'talking');
  const second = calls.consult(1, { kind: 'external', number: '+4930777' }, 'ann');
  await w.settle();
  const ring = w.ringingAt('+4930777');
  t.regex(ring.command, /callbox_call_class=national/);
  await w.fail('+4930777', 'NO_ANSWER');
  await second;
  t.is(calls.desk(1)?.state, 'talking');
  t.is(w.sent().filter((l) => l === `api uuid_bridge ${C1} ${leg}`).length, 3);
});

test('three-way: all three legs meet in one room; the agent leaving does not drop the others', async (t) => {
  const { w, calls, leg } = await talking(t);
  const c = calls.consult(1, { kind: 'agent', id: 2 }, 'ann');
  await w.settle();
  const target = await w.answer('1002');
  await c;
  await calls.conference(1, 'ann');
  const rooms = w.sent().filter((l) => / conference:callbox-[0-9a-f]{8}@callbox\+flags\{mintwo\} inline$/.test(l));
  t.deepEqual(rooms.map((l) => l.split(' ')[2]), [C1, target, leg]);
  t.is(new Set(rooms.map((l) => l.split(' ')[3])).size, 1, 'one room');
  t.is(calls.desk(1)?.state, 'conference');
  await w.hangup(leg);
  t.false(w.sent().includes(`api uuid_kill ${C1} NORMAL_CLEARING`), 'the caller stays with the third person');
  t.not(w.state(1), 'talking');
});

test('three-way: the caller leaving ends the agent\u2019s side too', async (t) => {
  const { w, calls, leg } = await talking(t);
  const c = calls.consult(1, { kind: 'agent', id: 2 }, 'ann');
  await w.settle();
  await w.answer('1002');
  await c;
  await calls.conference(1, 'ann');
  await w.hangup(C1);
  t.true(w.sent().includes(`api uuid_kill ${leg} NORMAL_CLEARING`));
  t.is(calls.desk(1), null);
});

test('dialling out rings the agent\u2019s phone (auto-answer), then the customer through the routes with the chosen caller ID', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS });
  const calls = controls(w, { callerIds: ['+4930999', '+4930998'] });
  w.runner.login(1, 'test');
  await w.settle();
  const n = w.sent().length;
  await t.throwsAsync(calls.dial(1, '+4930444', '+4930111', 'ann'), { message: /not one of your queues/ });
  await t.throwsAsync(calls.dial(1, 'abc', null, 'ann'), { message: /Enter a number/ });
  await t.throwsAsync(calls.dial(2, '+4930444', null, 'bob'), { message: /Log in first/ });
  t.is(w.sent().length, n, 'refused dials send nothing');
  const { callId } = await calls.dial(1, '+49 30 444', '+4930998', 'ann');
  await w.settle();
  const agentRing = w.ringingAt('1001');
  t.regex(agentRing.command, /sip_auto_answer=true/);
  t.regex(agentRing.command, /sip_h_X-Callbox-Auto-Answer=1/);
  t.notRegex(agentRing.command, /callbox_agent_id=/, 'not a queue call: the ACD counts the agent busy');
  t.is(agentRing.leg, callId);
  t.is(w.state(1), 'busy', 'busy from the moment the agent dials');
  await t.throwsAsync(calls.dial(1, '+4930444', null, 'ann'), { message: /current call/ });
  await w.answer('1001');
  const customer = w.ringingAt('+4930444');
  t.regex(customer.command, /callbox_agent_cid=\+4930998/);
  t.regex(customer.command, /loopback\/\+4930444\/internal &park\(\)$/);
  await w.answer('+4930444');
  t.true(w.sent().includes(`api uuid_bridge ${callId} ${customer.leg}`));
  t.is(calls.desk(1)?.state, 'talking');
  await calls.hold(1, 'ann');
  t.true(w.sent().includes(`api uuid_park ${customer.leg}`), 'the controls work on outbound calls too');
  await calls.unhold(1, 'ann');
  await w.hangup(customer.leg);
  t.true(w.sent().includes(`api uuid_kill ${callId} NORMAL_CLEARING`));
  t.is(calls.desk(1), null);
  t.is(w.state(1), 'ready', 'free again after the call');
  t.deepEqual(kinds(w, callId), ['call.outbound', 'call.answered', 'call.hold', 'call.unhold', 'call.end']);
  t.is(w.ledger.forCall(callId).at(-1)!.data.by, 'customer');
});

test('a customer who does not answer ends the outbound call with the cause', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS });
  const calls = controls(w);
  w.runner.login(1, 'test');
  await w.settle();
  const { callId } = await calls.dial(1, '+4930444', null, 'ann');
  await w.settle();
  await w.answer('1001');
  await w.fail('+4930444', 'USER_BUSY');
  t.is(calls.desk(1), null);
  const failed = w.ledger.forCall(callId).at(-1)!;
  t.is(failed.kind, 'call.failed');
  t.is(failed.data.cause, 'USER_BUSY');
  t.true(w.sent().includes(`api uuid_kill ${callId} NORMAL_CLEARING`));
});

test('hanging up from the console ends the call as the agent\u2019s, though the switch sends the BYE on the agent\u2019s leg', async (t) => {
  // A queue call: the talk ends by the agent at once, and both legs are dropped.
  const { w, calls, leg } = await talking(t);
  await calls.hangup(1, 'ann');
  w.ctx.sw.emit('channel.hungup', hangupInfo(leg, { disposition: 'send_bye' }));
  await w.settle();
  t.is(w.ledger.forCall(C1).find((e) => e.kind === 'queue.end')!.data.by, 'agent');
  t.true(w.sent().includes(`api uuid_kill ${leg} NORMAL_CLEARING`));
  t.true(w.sent().includes(`api uuid_kill ${C1} NORMAL_CLEARING`));
  t.is(calls.desk(1), null);

  // A call the agent placed: the agent's leg ends first, with the BYE sent by the switch.
  w.runner.ready(1, 'test');
  await w.settle();
  const { callId } = await calls.dial(1, '+4930444', null, 'ann');
  await w.settle();
  await w.answer('1001');
  await w.answer('+4930444');
  await calls.hangup(1, 'ann');
  t.true(w.sent().includes(`api uuid_kill ${callId} NORMAL_CLEARING`));
  w.ctx.sw.emit('channel.hungup', hangupInfo(callId, { disposition: 'send_bye' }));
  await w.settle();
  t.deepEqual(kinds(w, callId).slice(-2), ['call.hangup', 'call.end']);
  t.is(w.ledger.forCall(callId).at(-1)!.data.by, 'agent');
});
