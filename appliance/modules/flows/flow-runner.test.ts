import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import anyTest, { type TestFn } from 'ava';
import { FreeswitchCommandError } from '../../errors.js';
import type { FsExecute } from '../../freeswitch/commands.js';
import type { Executed } from '../../freeswitch/switch.port.js';
import type { ChannelInfo, HangupInfo } from '../../freeswitch/switch.types.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';
import { speechHash } from '../prompts/speech-queue.js';
import { DEFAULT_SETTINGS } from './engine/settings.js';
import { FlowRunner } from './flow-runner.js';

const test = anyTest as TestFn<TestContext>;
const U = 'e7f94fd5-8702-474e-aab4-ecfed73593c9';
const V = '5c2f4b4e-8e1f-4d7b-9f31-0c6f3f0b9a11';

test.beforeEach(async (t) => {
  t.context = await makeTestContext();
});
test.afterEach.always((t) => {
  t.context.flowRunner.stop();
  t.context.close();
});

/** Welcome → menu (1: extension 1001, 2: goodbye), published. */
function mainMenu(ctx: TestContext): { flowId: number; extensionId: number } {
  const { extension } = ctx.extensions.create({ number: '1001', displayName: 'Sales', isEnabled: 'on' }, testActor);
  const flow = ctx.flows.create({ name: 'Main', fallbackKind: 'hangup' }, testActor);
  const id = flow.id;
  ctx.flows.addNode(id, { kind: 'menu', from: '' }, testActor);
  ctx.flows.addNode(id, { kind: 'transfer', from: 'n3:1' }, testActor);
  ctx.flows.updateNode(id, 'n1', { name: 'Welcome', prompt_say: 'Welcome', next_next: 'n3' }, testActor);
  ctx.flows.updateNode(id, 'n3', { name: 'Menu', prompt_say: 'For sales press 1, to hang up press 2.', options: '1 Sales\n2 Goodbye', timeoutSeconds: '5', tries: '3', next_1: 'n4', next_2: 'n2' }, testActor);
  ctx.flows.updateNode(id, 'n4', { name: 'Sales', target: 'extension', extensionId: String(extension.id) }, testActor);
  ctx.flows.publish(id, testActor);
  return { flowId: id, extensionId: extension.id };
}

/**
 * Speech the flow says, put in the text-to-speech cache as the service names it: speak() is then a cache hit,
 * so the tests do not wait for espeak-ng (one test below renders for real).
 */
async function spoken(ctx: TestContext, texts: string[]): Promise<void> {
  const { voice, rate, volume } = DEFAULT_SETTINGS;
  for (const text of texts) {
    const file = join(ctx.dataDir, 'sounds', 'tts', `${await speechHash({ text, voice, rate, volume })}.wav`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'RIFF');
  }
}
const ALL_SPEECH = ['Welcome', 'For sales press 1, to hang up press 2.', 'Goodbye.', ...DEFAULT_SETTINGS.noInput.prompts.map((p) => ('say' in p ? p.say : '')), ...DEFAULT_SETTINGS.noMatch.prompts.map((p) => ('say' in p ? p.say : ''))];

function channel(uuid: string, flowId: number, vars: Record<string, string> = {}): ChannelInfo {
  return { uuid, callUuid: uuid, direction: 'inbound', channelName: 'sofia/external/+4930111@198.51.100.7', callerNumber: '+4930111', callerName: '', destination: 'enter', context: 'callbox', otherUuid: null, loopbackUuid: null, vars: { flow_id: String(flowId), dialed: '+4930999', number_id: '7', ...vars }, at: 0 };
}
function hungup(uuid: string, flowId: number): HangupInfo {
  return { ...channel(uuid, flowId), cause: 'NORMAL_CLEARING', causeQ850: 16, disposition: 'recv_bye', createdAt: null, answeredAt: null, hungupAt: null, billsec: 0, duration: 0, media: null };
}

/**
 * What was sent about calls: commands naming a channel, and the look for waiting ones. The registrations tracker and
 * the configuration publisher (reloadxml after the test's changes) talk to the switch too, at times of their own.
 */
const callLines = (ctx: TestContext) => ctx.sw.lines().filter((l) => /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/.test(l) || l === 'api show channels as json');

/** Answers each play_and_get_digits in turn ('' is silence); everything else finishes at once. */
function caller(ctx: TestContext, answers: string[]): void {
  ctx.sw.finish = (x: FsExecute): string | Executed => {
    if (x.app !== 'play_and_get_digits') return x.app === 'playback' ? 'FILE PLAYED' : '+OK';
    const variable = x.arg.split(' ')[7]!.slice('callbox_'.length);
    const digits = answers.shift() ?? '';
    return { response: '', vars: digits ? { [variable]: digits } : {} };
  };
}

/** The switch up, the runner started and done looking for waiting calls (there are none); nothing sent so far is kept. */
async function running(ctx: TestContext): Promise<void> {
  ctx.sw.respond = (c) => (c === 'show channels as json' ? '{"row_count": 0}' : '+OK\n');
  ctx.sw.setConnected(true);
  ctx.flowRunner.start();
  await until('the look for waiting calls', () => ctx.sw.lines().includes('api show channels as json'));
  ctx.sw.sent.length = 0;
}

async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!done()) throw new Error(`timed out waiting for ${what}`);
}
const ended = (ctx: TestContext, uuid: string) => until(`the run of ${uuid} to end`, () => ctx.flows.runs.ofCall(uuid).some((r) => r.endedAt !== null) && ctx.flowRunner.active === 0);

/** What the fake switch was sent, with each play_and_get_digits shortened to its prompt (its variable is random). */
function sent(ctx: TestContext): string[] {
  const tts = join(ctx.dataDir, 'sounds', 'tts');
  // The registrations reconciler also asks for its list when the switch comes up: not the runner's.
  return callLines(ctx).map((l) => {
    const short = l.replaceAll(tts, '<tts>').replace(/<tts>\/[0-9a-f]{64}\.wav/g, '<tts>/#.wav');
    const m = /^execute play_and_get_digits 1 1 1 5000 none (\S+) silence_stream:\/\/250 callbox_digits_[0-9a-f]{8} \S+ 5000 (@\S+)$/.exec(short);
    return m ? `execute play_and_get_digits ${m[1]} ${m[2]}` : short;
  });
}

test('flow runner: a parked call is answered, hears the welcome and the menu, and key 1 transfers it to the extension', async (t) => {
  const ctx = t.context;
  const { flowId } = mainMenu(ctx);
  // This test renders its speech for real (espeak-ng and sox), as a call would on a cache miss.
  caller(ctx, ['1']);
  await running(ctx);
  ctx.sw.emit('channel.parked', channel(U, flowId));
  await ended(ctx, U);

  const lines = callLines(ctx);
  t.is(lines[0], `execute answer @${U}`);
  t.regex(lines[1]!, new RegExp(`^execute playback ${join(ctx.dataDir, 'sounds', 'tts')}/[0-9a-f]{64}\\.wav @${U}$`));
  t.regex(lines[2]!, new RegExp(`^execute play_and_get_digits 1 1 1 5000 none ${join(ctx.dataDir, 'sounds', 'tts')}/[0-9a-f]{64}\\.wav silence_stream://250 callbox_digits_[0-9a-f]{8} \\[0-9\\*#\\]\\+ 5000 @${U}$`));
  t.deepEqual(lines.slice(3), [`api uuid_flush_dtmf ${U}`, `api uuid_transfer ${U} 1001 XML internal`]);

  const [run] = ctx.flows.runs.ofCall(U);
  t.like(run, { flowId, version: 1, numberId: 7, caller: '+4930111', called: '+4930999', outcome: 'transfer', detail: 'extension 1001' });
  t.deepEqual(run!.path.map((s) => [s.node, s.branch, s.digits]), [['n1', 'next', []], ['n3', '1', ['1']], ['n4', null, []]]);
  t.deepEqual(run!.path[0]!.played, ['Welcome']);
  t.deepEqual(run!.vars, { caller_number: '+4930111', called_number: '+4930999' });
});

test('flow runner: no input three times plays the escalation prompts, then sends the call to the fallback', async (t) => {
  const ctx = t.context;
  const { flowId } = mainMenu(ctx);
  await spoken(ctx, ALL_SPEECH);
  caller(ctx, ['', '', '']);
  await running(ctx);
  ctx.sw.emit('channel.parked', channel(U, flowId));
  await ended(ctx, U);

  t.deepEqual(sent(ctx), [
    `execute answer @${U}`,
    `execute playback <tts>/#.wav @${U}`,
    `execute play_and_get_digits <tts>/#.wav @${U}`,
    `execute playback <tts>/#.wav @${U}`,
    `execute play_and_get_digits <tts>/#.wav @${U}`,
    `execute playback <tts>/#.wav @${U}`,
    `execute play_and_get_digits <tts>/#.wav @${U}`,
    `api uuid_setvar ${U} callbox_fallback no_input:_fallback`,
    `api uuid_transfer ${U} flow_${flowId} XML callbox_fallback`,
  ]);
  const [run] = ctx.flows.runs.ofCall(U);
  t.like(run, { outcome: 'fallback', detail: 'no input: fallback' });
  t.deepEqual(run!.path.map((s) => s.node), ['n1', 'n3']);
  t.deepEqual(run!.path[1]!.played, ['For sales press 1, to hang up press 2.', 'Sorry, I did not hear anything.', 'For sales press 1, to hang up press 2.', 'Please press a key on your phone.', 'For sales press 1, to hang up press 2.']);
});

test('flow runner: a node that fails (its extension went away after publishing) sends the call to the fallback, never to silence', async (t) => {
  const ctx = t.context;
  const { flowId, extensionId } = mainMenu(ctx);
  await spoken(ctx, ALL_SPEECH);
  // The service refuses to delete an extension a flow uses: this is drift from outside (a restore, a hand edit).
  ctx.db.pragma('foreign_keys = OFF');
  ctx.db.prepare('DELETE FROM extensions WHERE id = ?').run(extensionId);
  caller(ctx, ['1']);
  await running(ctx);
  ctx.sw.emit('channel.parked', channel(U, flowId));
  await ended(ctx, U);

  t.deepEqual(sent(ctx).slice(3), [`api uuid_setvar ${U} callbox_fallback transfer_n4_failed:_extension_#${extensionId}_no_longer_exists`, `api uuid_transfer ${U} flow_${flowId} XML callbox_fallback`]);
  const [run] = ctx.flows.runs.ofCall(U);
  t.like(run, { outcome: 'fallback', detail: `transfer n4 failed: extension #${extensionId} no longer exists` });
  t.is(run!.path.at(-1)!.note, `transfer n4 failed: extension #${extensionId} no longer exists`);
});

test('flow runner: a caller who hangs up mid-menu ends the run as caller_hangup, with no fallback transfer', async (t) => {
  const ctx = t.context;
  const { flowId } = mainMenu(ctx);
  await spoken(ctx, ALL_SPEECH);
  await running(ctx);

  // As the event socket reports it: the application's wait rejects because the channel is gone.
  ctx.sw.finish = (x) => (x.app === 'play_and_get_digits' ? Promise.reject(new FreeswitchCommandError('switch.channel_gone', { uuid: x.uuid }, { message: 'the call ended' })) : 'FILE PLAYED');
  ctx.sw.emit('channel.parked', channel(U, flowId));
  await ended(ctx, U);
  t.deepEqual(sent(ctx), [`execute answer @${U}`, `execute playback <tts>/#.wav @${U}`, `execute play_and_get_digits <tts>/#.wav @${U}`]);
  t.like(ctx.flows.runs.ofCall(U)[0], { outcome: 'caller_hangup', detail: 'during n3' });

  // The hangup event arriving while the question is still out: whatever the question answers, nothing follows.
  ctx.sw.sent.length = 0;
  let answer!: (r: Executed) => void;
  ctx.sw.finish = (x) => (x.app === 'play_and_get_digits' ? new Promise<Executed>((r) => (answer = r)) : 'FILE PLAYED');
  ctx.sw.emit('channel.parked', channel(V, flowId));
  await until('the menu question', () => callLines(ctx).length === 3);
  ctx.sw.emit('channel.hungup', hungup(V, flowId));
  answer({ response: '', vars: {} });
  await ended(ctx, V);
  t.deepEqual(sent(ctx), [`execute answer @${V}`, `execute playback <tts>/#.wav @${V}`, `execute play_and_get_digits <tts>/#.wav @${V}`]);
  const [run] = ctx.flows.runs.ofCall(V);
  t.like(run, { outcome: 'caller_hangup', detail: 'during n3' });
  t.is(run!.path.at(-1)?.note ?? null, null, 'no "no input" is noted for a caller who hung up');
});

test('flow runner: a caller who hangs up before the answer, or before the fallback, is a caller_hangup, not an error', async (t) => {
  const ctx = t.context;
  const { flowId } = mainMenu(ctx);
  const draftOnly = ctx.flows.create({ name: 'Draft only', fallbackKind: 'hangup' }, testActor);
  await running(ctx);
  const gone = (uuid: string) => new FreeswitchCommandError('switch.channel_gone', { uuid }, { message: 'the call ended' });
  ctx.sw.finish = (x) => Promise.reject(gone(x.uuid));
  ctx.sw.emit('channel.parked', channel(U, flowId));
  await ended(ctx, U);
  t.like(ctx.flows.runs.ofCall(U)[0], { outcome: 'caller_hangup', detail: 'before the flow started' });

  ctx.sw.respond = (c) => {
    if (c.startsWith('uuid_setvar')) throw gone(V);
    return '+OK\n';
  };
  ctx.sw.emit('channel.parked', channel(V, draftOnly.id));
  await ended(ctx, V);
  t.like(ctx.flows.runs.ofCall(V)[0], { outcome: 'caller_hangup', detail: 'before the flow started' });
  t.false(sent(ctx).some((l) => l.startsWith('api uuid_transfer')));
});

test('flow runner: a flow with nothing published sends the call to its fallback at once', async (t) => {
  const ctx = t.context;
  const flow = ctx.flows.create({ name: 'Draft only', fallbackKind: 'hangup' }, testActor);
  await running(ctx);
  ctx.sw.emit('channel.parked', channel(U, flow.id));
  await ended(ctx, U);
  t.deepEqual(callLines(ctx), [`api uuid_setvar ${U} callbox_fallback no_published_version`, `api uuid_transfer ${U} flow_${flow.id} XML callbox_fallback`]);
  t.like(ctx.flows.runs.ofCall(U)[0], { flowId: flow.id, version: 0, outcome: 'fallback', detail: 'no published version' });
});

test('flow runner: after a restart, open runs are finished: a call still there goes to the fallback, a gone one is a hangup', async (t) => {
  const ctx = t.context;
  const { flowId } = mainMenu(ctx);
  const start = (uuid: string) => ctx.flows.runs.start({ callUuid: uuid, flowId, version: 1, numberId: null, caller: '+4930111', called: '+4930999', startedAt: '2026-01-01T08:59:00.000Z' });
  const there = start(U);
  start(V);
  ctx.flows.runs.progress(there, { node: 'n1', kind: 'play', at: 0, branch: 'next', digits: [], played: ['Welcome'], note: null }, { caller_number: '+4930111' });
  ctx.sw.respond = (c) => (c === `uuid_exists ${U}` ? 'true' : c === `uuid_exists ${V}` ? 'false' : c === 'show channels as json' ? '{"row_count": 0}' : '+OK\n');

  // A new runner, as after a controller restart; FreeSWITCH comes up after it.
  const runner = new FlowRunner({ sw: ctx.sw, flows: ctx.flows, prompts: ctx.prompts, clock: ctx.clock, log: ctx.log, fetch: () => Promise.reject(new Error('no http')), queues: { enter: () => Promise.reject(new Error('no queues')) }, ledger: ctx.ledger });
  runner.start();
  t.deepEqual(callLines(ctx), [], 'nothing is sent while the switch is down');
  ctx.sw.setConnected(true);
  await until('both runs to end', () => ctx.flows.runs.open().length === 0 && ctx.sw.lines().includes('api show channels as json'));
  runner.stop();

  t.deepEqual(sent(ctx), [`api uuid_exists ${U}`, `api uuid_transfer ${U} flow_${flowId} XML callbox_fallback`, `api uuid_exists ${V}`, 'api show channels as json']);
  const [a] = ctx.flows.runs.ofCall(U);
  t.like(a, { outcome: 'fallback', detail: 'the controller restarted during the flow', endedAt: '2026-01-01T09:00:00.000Z' });
  t.deepEqual(a!.path.map((s) => s.node), ['n1'], 'the path so far is kept');
  t.like(ctx.flows.runs.ofCall(V)[0], { outcome: 'caller_hangup' });
});

test('flow runner: a call that parked for a flow while the controller was away is adopted and its flow starts', async (t) => {
  const ctx = t.context;
  const { flowId } = mainMenu(ctx);
  await spoken(ctx, ALL_SPEECH);
  caller(ctx, ['2']);
  const row = (uuid: string, dest: string, application: string) => ({
    uuid, direction: 'inbound', created: '2026-11-21 07:17:55', created_epoch: '1795245475', name: 'sofia/external/5551000@192.0.2.10:5091', state: 'CS_EXECUTE', cid_name: 'ESL Trace', cid_num: '5551000', ip_addr: '192.0.2.10', dest, application, application_data: '', dialplan: 'XML', context: 'callbox', read_codec: 'PCMU', read_rate: '8000', read_bit_rate: '64000', write_codec: 'PCMU', write_rate: '8000', write_bit_rate: '64000', secure: '', hostname: 'fshost', presence_id: '', presence_data: '', accountcode: '', callstate: 'ACTIVE', callee_name: '', callee_num: '', callee_direction: '', call_uuid: '', sent_callee_name: '', sent_callee_num: '', initial_cid_name: 'ESL Trace', initial_cid_num: '5551000', initial_ip_addr: '192.0.2.10', initial_dest: '+4930999', initial_dialplan: 'XML', initial_context: 'public',
  });
  const vars: Record<string, string> = { callbox_flow_id: String(flowId), callbox_dialed: '+4930999' };
  ctx.sw.respond = (c) => {
    if (c === 'show channels as json') return JSON.stringify({ row_count: 2, rows: [row(U, 'enter', 'park'), row(V, '7005', 'bridge')] });
    const get = /^uuid_getvar \S+ (\S+)$/.exec(c);
    if (get) return vars[get[1]!] ?? '_undef_';
    return '+OK\n';
  };
  ctx.flowRunner.start();
  ctx.sw.setConnected(true);
  await ended(ctx, U);

  t.deepEqual(sent(ctx), [
    'api show channels as json',
    `api uuid_getvar ${U} callbox_queue_id`,
    `api uuid_getvar ${U} callbox_flow_id`,
    `api uuid_getvar ${U} callbox_dialed`,
    `api uuid_getvar ${U} callbox_number_id`,
    `execute answer @${U}`,
    `execute playback <tts>/#.wav @${U}`,
    `execute play_and_get_digits <tts>/#.wav @${U}`,
    `execute playback <tts>/#.wav @${U}`,
    `api uuid_kill ${U} NORMAL_CLEARING`,
  ]);
  t.like(ctx.flows.runs.ofCall(U)[0], { flowId, numberId: null, caller: '5551000', called: '+4930999', outcome: 'hangup' });
  t.deepEqual(ctx.flows.runs.ofCall(V), [], 'a bridged call is left alone');
});

test('flow runner: a caller parked in a queue\u2019s hands (hold, consult, back in line) does not run the flow again; one sent on from the queue does', async (t) => {
  const ctx = t.context;
  const { flowId } = mainMenu(ctx);
  await spoken(ctx, ALL_SPEECH);
  caller(ctx, ['2']);
  await running(ctx);
  // The channel still says it entered through flow 1, but the ACD has it: an agent put it on hold.
  ctx.sw.emit('channel.parked', channel(U, flowId, { queue_id: '3' }));
  await new Promise((r) => setTimeout(r, 50));
  t.deepEqual(callLines(ctx), []);
  t.deepEqual(ctx.flows.runs.ofCall(U), []);
  t.is(ctx.flowRunner.active, 0);
  // Sent on to the flow (blind transfer, overflow): callbox_queue_id is cleared first, and the flow runs.
  ctx.sw.emit('channel.parked', channel(U, flowId, { queue_id: '' }));
  await ended(ctx, U);
  t.is(callLines(ctx)[0], `execute answer @${U}`);
  t.is(ctx.flows.runs.ofCall(U).length, 1);
});
