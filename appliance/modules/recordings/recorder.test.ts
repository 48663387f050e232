import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError } from '../../errors.js';
import { AGENT_LEG, CALLER, CUSTOMER, recordingWorld, until, writeWav } from './testing/world.js';

const recordLines = (lines: string[]) => lines.filter((l) => /uuid_record|RECORD_STEREO/.test(l));

test('recording: a whole-call number policy records from the IVR answer, stereo, on the caller\'s leg under the data dir by date', async (t) => {
  const w = await recordingWorld();
  t.teardown(w.close);
  w.use.number(w.ctx.recordingPolicies.idByName('Record all calls'));
  w.call.arrives();
  await w.ctx.recorder.idle();
  const file = join(w.ctx.dataDir, `recordings/2026/01/01/${CALLER}-1.wav`);
  t.deepEqual(recordLines(w.ctx.sw.lines()), [`api uuid_setvar ${CALLER} RECORD_STEREO true`, `api uuid_record ${CALLER} start ${file}`]);
  t.like(w.ctx.recordings.recordingsOfCall(CALLER)[0], { id: 1, legUuid: CALLER, status: 'recording', stereo: true, path: `recordings/2026/01/01/${CALLER}-1.wav`, agentId: null });
  t.like(w.entries('recording.started')[0], { callId: CALLER, agentId: null, data: { recordingId: 1, uuid: CALLER, stereo: true, policyId: 1, from: 'call' } });
  // The agent's answer finds it running: it is not started twice, and it now belongs to the agent (who may pause it).
  w.call.queueAnswered();
  await w.ctx.recorder.idle();
  t.is(recordLines(w.ctx.sw.lines()).length, 2);
  t.deepEqual(w.ctx.recorder.current(w.ann.id), { id: 1, isPaused: false });
});

test('recording: the most specific policy applies (agent, then queue, then number); an answer policy starts at the agent\'s answer', async (t) => {
  const w = await recordingWorld();
  t.teardown(w.close);
  const mono = w.policy('Mono from answer', { stereo: '' });
  const never = w.policy('Never', { mode: 'never' });
  w.use.number(w.ctx.recordingPolicies.idByName('Record all calls'));
  w.use.queue(mono.id);
  w.use.agent(never.id);
  // Whole call from the number; the agent's never stops it at their answer.
  w.call.arrives();
  await w.ctx.recorder.idle();
  w.call.queueAnswered();
  await w.ctx.recorder.idle();
  const file = join(w.ctx.dataDir, `recordings/2026/01/01/${CALLER}-1.wav`);
  t.is(recordLines(w.ctx.sw.lines()).at(-1), `api uuid_record ${CALLER} stop ${file}`);
  t.like(w.entries('recording.stopped')[0], { data: { recordingId: 1, reason: 'agent policy Never records never' } });
  // Without the agent's policy, the queue's (mono, from the answer) applies to a call the number does not record.
  w.use.agent(null);
  w.use.number(null);
  const other = '44444444-4444-4444-8444-444444444444';
  w.call.arrives(other);
  await w.ctx.recorder.idle();
  t.is(recordLines(w.ctx.sw.lines()).filter((l) => l.includes(other)).length, 0, 'nothing at the IVR');
  w.call.queueAnswered(other);
  await w.ctx.recorder.idle();
  t.deepEqual(recordLines(w.ctx.sw.lines()).filter((l) => l.includes(other)), [`api uuid_setvar ${other} RECORD_STEREO false`, `api uuid_record ${other} start ${join(w.ctx.dataDir, `recordings/2026/01/01/${other}-2.wav`)}`]);
  t.like(w.entries('recording.started').at(-1), { callId: other, agentId: w.ann.id, data: { stereo: false, policyId: mono.id, from: 'answer' } });
});

test('recording: a percent policy draws once per call with the injected dice', async (t) => {
  const w = await recordingWorld({ roll: 0.3 });
  t.teardown(w.close);
  const sample = w.policy('Sample', { mode: 'percent', percent: '25' });
  w.use.queue(sample.id);
  w.call.arrives();
  w.call.queueAnswered();
  await w.ctx.recorder.idle();
  t.is(recordLines(w.ctx.sw.lines()).length, 0, '0.3 is not within 25%');
  w.dice.roll = 0.1;
  w.call.queueAnswered();
  await w.ctx.recorder.idle();
  t.is(recordLines(w.ctx.sw.lines()).length, 0, 'the call was drawn once: a second answer does not draw again');
  const next = '44444444-4444-4444-8444-444444444444';
  w.call.arrives(next);
  w.call.queueAnswered(next);
  await w.ctx.recorder.idle();
  t.is(recordLines(w.ctx.sw.lines()).length, 2, 'the next call, drawn 0.1, is recorded');
});

test('recording: an agent\'s outbound call is recorded on the customer\'s leg by the agent\'s policy', async (t) => {
  const w = await recordingWorld();
  t.teardown(w.close);
  const p = w.policy('Outbound');
  w.use.agent(p.id);
  w.ctx.ledger.append({ at: w.ctx.clock.now(), kind: 'call.answered', callId: AGENT_LEG, agentId: w.ann.id, data: { customerLeg: CUSTOMER } });
  await w.ctx.recorder.idle();
  t.deepEqual(recordLines(w.ctx.sw.lines()), [`api uuid_setvar ${CUSTOMER} RECORD_STEREO true`, `api uuid_record ${CUSTOMER} start ${join(w.ctx.dataDir, `recordings/2026/01/01/${AGENT_LEG}-1.wav`)}`]);
  t.like(w.ctx.recordings.recordingsOfCall(AGENT_LEG)[0], { legUuid: CUSTOMER, agentId: w.ann.id });
});

test('recording: the agent on the call pauses (mask) and resumes (unmask); the ledger marks both; nobody else can', async (t) => {
  const w = await recordingWorld();
  t.teardown(w.close);
  w.use.queue(w.policy('Queue').id);
  w.call.arrives();
  w.call.queueAnswered();
  await w.ctx.recorder.idle();
  const file = join(w.ctx.dataDir, `recordings/2026/01/01/${CALLER}-1.wav`);
  await w.ctx.recorder.pause(w.ann.id, true, 'agent ann');
  await w.ctx.recorder.pause(w.ann.id, true, 'agent ann');
  t.deepEqual(w.ctx.recorder.current(w.ann.id), { id: 1, isPaused: true });
  w.ctx.clock.advance(20_000);
  await w.ctx.recorder.pause(w.ann.id, false, 'agent ann');
  t.deepEqual(recordLines(w.ctx.sw.lines()).slice(2), [`api uuid_record ${CALLER} mask ${file}`, `api uuid_record ${CALLER} unmask ${file}`], 'a second pause sends nothing');
  t.like(w.entries('recording.paused'), [{ callId: CALLER, agentId: w.ann.id, data: { recordingId: 1, by: 'agent ann' } }]);
  t.like(w.entries('recording.resumed'), [{ at: w.ctx.clock.now(), data: { recordingId: 1, by: 'agent ann' } }]);
  const bob = await w.ctx.agents.create({ userId: String(w.f.bob.id), number: '202', deviceKind: 'extension', extensionId: String(w.f.desk2.id) }, { userId: null, name: 'test', ip: '127.0.0.1' });
  await t.throwsAsync(w.ctx.recorder.pause(bob.id, true, 'agent bob'), { instanceOf: ConflictError, message: 'Your call is not being recorded.' });
});

test('recording: RECORD_STOP stores the file compressed with sox (stereo MP3), duration and size in the database, the WAV removed', async (t) => {
  const w = await recordingWorld();
  t.teardown(w.close);
  w.use.queue(w.policy('Queue').id);
  w.call.arrives();
  w.call.queueAnswered();
  await w.ctx.recorder.idle();
  const wav = join(w.ctx.dataDir, `recordings/2026/01/01/${CALLER}-1.wav`);
  writeWav(wav, 3);
  w.ctx.clock.advance(3000);
  w.ctx.sw.emit('record.stopped', { uuid: CALLER, file: wav, ms: 3000, at: w.ctx.clock.now() });
  await w.ctx.recorder.idle();
  const r = w.ctx.recordings.recordingsOfCall(CALLER)[0]!;
  t.like(r, { status: 'stored', format: 'mp3', path: `recordings/2026/01/01/${CALLER}-1.mp3`, durationMs: 3000, stoppedAt: w.ctx.clock.now(), error: null, deleteAfter: w.ctx.clock.now() + 30 * 86_400_000 });
  const mp3 = join(w.ctx.dataDir, r.path);
  t.false(existsSync(wav));
  t.true(r.sizeBytes! > 1000 && r.sizeBytes! < 48_000 * 3, `size ${r.sizeBytes}`);
  t.is(execFileSync('soxi', ['-c', mp3]).toString().trim(), '2');
  t.like(w.entries('recording.stored')[0], { callId: CALLER, agentId: w.ann.id, data: { recordingId: 1, durationMs: 3000, sizeBytes: r.sizeBytes } });
  t.is(w.ctx.recorder.current(w.ann.id), null);
});

test('recording: a file sox cannot read is kept as WAV and the error logged; a hangup without RECORD_STOP and without a file fails the recording', async (t) => {
  const w = await recordingWorld({ grace: 20 });
  t.teardown(w.close);
  w.use.queue(w.policy('Queue').id);
  w.call.arrives();
  w.call.queueAnswered();
  await w.ctx.recorder.idle();
  const wav = join(w.ctx.dataDir, `recordings/2026/01/01/${CALLER}-1.wav`);
  writeFileSync(wav, 'not audio');
  w.ctx.sw.emit('record.stopped', { uuid: CALLER, file: wav, ms: null, at: w.ctx.clock.now() });
  await w.ctx.recorder.idle();
  t.like(w.ctx.recordings.recordingsOfCall(CALLER)[0], { status: 'stored', format: 'wav', sizeBytes: 9, durationMs: null });
  t.regex(w.ctx.recordings.recordingsOfCall(CALLER)[0]!.error ?? '', /sox/);

  const lost = '44444444-4444-4444-8444-444444444444';
  w.call.arrives(lost);
  w.call.queueAnswered(lost);
  await w.ctx.recorder.idle();
  w.call.hungup(lost, lost);
  await until(() => w.entries('recording.failed').length > 0);
  t.like(w.ctx.recordings.recordingsOfCall(lost)[0], { status: 'failed' });
  t.regex(w.ctx.recordings.recordingsOfCall(lost)[0]!.error ?? '', /no file/);
  t.like(w.entries('recording.failed')[0], { callId: lost, data: { recordingId: 2 } });
});

test('recording: a command FreeSWITCH refuses fails the recording, and the call is left alone', async (t) => {
  const w = await recordingWorld();
  t.teardown(w.close);
  w.use.queue(w.policy('Queue').id);
  w.ctx.sw.respond = (c) => {
    if (c.startsWith('uuid_record')) throw new Error('-ERR Cannot locate session!');
    return '+OK\n';
  };
  w.call.arrives();
  w.call.queueAnswered();
  await w.ctx.recorder.idle();
  t.like(w.ctx.recordings.recordingsOfCall(CALLER)[0], { status: 'failed', error: 'could not start: -ERR Cannot locate session!' });
  t.like(w.entries('recording.failed')[0], { data: { recordingId: 1, error: '-ERR Cannot locate session!' } });
  t.false(w.ctx.sw.lines().some((l) => l.includes('uuid_kill')));
});

test('recording: after a reconnect, a recording whose leg ended while the controller was away is stored from its file; a live one goes on', async (t) => {
  const w = await recordingWorld();
  t.teardown(w.close);
  w.use.queue(w.policy('Queue').id);
  const live = '44444444-4444-4444-8444-444444444444';
  for (const call of [CALLER, live]) {
    w.call.arrives(call);
    w.call.queueAnswered(call);
  }
  await w.ctx.recorder.idle();
  writeWav(join(w.ctx.dataDir, `recordings/2026/01/01/${CALLER}-1.wav`), 2);
  // The controller was away: CALLER hung up and its RECORD_STOP came meanwhile; `live` is still talking.
  w.ctx.sw.respond = (c) => (c.startsWith('uuid_exists') ? (c.includes(CALLER) ? 'false' : 'true') : '+OK\n');
  w.ctx.sw.setConnected(false);
  w.ctx.sw.setConnected(true);
  await until(() => w.ctx.recordings.recordingsOfCall(CALLER)[0]!.status !== 'recording');
  await w.ctx.recorder.idle();
  t.like(w.ctx.recordings.recordingsOfCall(CALLER)[0], { status: 'stored', format: 'mp3', durationMs: 2000 });
  t.like(w.ctx.recordings.recordingsOfCall(live)[0], { status: 'recording' });
  t.true(w.ctx.sw.lines().includes(`api uuid_exists ${live}`));
  t.like(w.entries('recording.stored'), [{ callId: CALLER }]);
});
