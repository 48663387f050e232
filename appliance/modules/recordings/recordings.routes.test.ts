import test from 'ava';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeClock } from '../../clock.js';
import { openDatabase } from '../../db/database.js';
import { loadMigrations, migrate } from '../../db/migrate.js';
import { silentLogger } from '../../logger.js';
import { startTestServer } from '../../test/http-client.js';
import { CALLER, recordingWorld, writeWav, type RecordingWorld } from './testing/world.js';

/** A call recorded and stored (3 s stereo MP3), and the app over the world. */
async function stored(w: RecordingWorld) {
  w.use.queue(w.policy('Queue').id);
  w.call.arrives();
  w.call.queueAnswered();
  await w.ctx.recorder.idle();
  const wav = join(w.ctx.dataDir, `recordings/2026/01/01/${CALLER}-1.wav`);
  writeWav(wav, 3);
  w.ctx.sw.emit('record.stopped', { uuid: CALLER, file: wav, ms: 3000, at: w.ctx.clock.now() });
  await w.ctx.recorder.idle();
  return w.ctx.recordings.recordingsOfCall(CALLER)[0]!;
}

async function served(t: { teardown(f: () => unknown): void }, w: RecordingWorld) {
  const server = await startTestServer(w.ctx);
  t.teardown(async () => {
    await server.close();
    w.close();
  });
  const admin = server.client();
  await admin.login('root');
  return { server, admin };
}

test('recordings: playback seeks with range requests (206, suffix ranges, 416 past the end) and downloads as an attachment', async (t) => {
  const w = await recordingWorld();
  const r = await stored(w);
  const { admin } = await served(t, w);
  const whole = await admin.raw(`/recordings/${r.id}/audio`);
  t.is(whole.status, 200);
  t.is(whole.headers.get('content-type'), 'audio/mpeg');
  t.is(whole.headers.get('accept-ranges'), 'bytes');
  t.is((await whole.arrayBuffer()).byteLength, r.sizeBytes!);
  const part = await admin.raw(`/recordings/${r.id}/audio`, { range: 'bytes=100-199' });
  t.is(part.status, 206);
  t.is(part.headers.get('content-range'), `bytes 100-199/${r.sizeBytes}`);
  t.is((await part.arrayBuffer()).byteLength, 100);
  const tail = await admin.raw(`/recordings/${r.id}/audio`, { range: 'bytes=-500' });
  t.is(tail.status, 206);
  t.is(tail.headers.get('content-range'), `bytes ${r.sizeBytes! - 500}-${r.sizeBytes! - 1}/${r.sizeBytes}`);
  t.is((await tail.arrayBuffer()).byteLength, 500);
  const past = await admin.raw(`/recordings/${r.id}/audio`, { range: `bytes=${r.sizeBytes! + 10}-` });
  t.is(past.status, 416);
  t.is(past.headers.get('content-range'), `bytes */${r.sizeBytes}`);
  const download = await admin.raw(`/recordings/${r.id}/audio?download=1`);
  t.is(download.status, 200);
  t.is(download.headers.get('content-disposition'), `attachment; filename=recording-20260101-090000-${r.id}.mp3`);
  t.is((await admin.raw('/recordings/999/audio')).status, 404);
});

test('recordings: access follows the records rule (canSee); a deleted or missing file is 404; signed-out users are sent to sign in', async (t) => {
  const w = await recordingWorld();
  const r = await stored(w);
  const { server, admin } = await served(t, w);
  await w.ctx.addUser('zoe', 'agent');
  w.ctx.records.flush();
  const zoe = server.client();
  await zoe.login('zoe');
  t.is((await zoe.raw(`/recordings/${r.id}/audio`)).status, 404, 'an agent who was not on the call: a refused call is one that does not exist');
  t.not((await server.client().raw(`/recordings/${r.id}/audio`)).status, 200);
  // The call records' rule: the agent who took the call hears it.
  const ann = server.client();
  await ann.login('ann');
  t.is((await ann.raw(`/recordings/${r.id}/audio`)).status, 200);
  // Retention: after its policy's 30 days the job deletes the file; playback is then 404.
  w.ctx.clock.advance(29 * 86_400_000);
  t.is(await w.ctx.recordings.purgeExpired(), 0);
  w.ctx.clock.advance(2 * 86_400_000);
  t.is(await w.ctx.recordings.purgeExpired(), 1);
  t.false(existsSync(join(w.ctx.dataDir, r.path)));
  t.like(w.ctx.recordings.find(r.id), { status: 'deleted' });
  t.like(w.entries('recording.deleted'), [{ callId: CALLER, data: { recordingId: r.id } }]);
  await admin.login('root');
  t.is((await admin.raw(`/recordings/${r.id}/audio`)).status, 404);
  t.is(await w.ctx.recordings.purgeExpired(), 0, 'done once');
});

test('recordings: below the disk threshold no recording starts, calls are untouched, admins see a banner; space back, recording resumes', async (t) => {
  const w = await recordingWorld();
  const { admin } = await served(t, w);
  w.use.queue(w.policy('Queue').id);
  w.disk.freeMb = 900;
  await w.ctx.recordings.checkDisk();
  w.call.arrives();
  w.call.queueAnswered();
  await w.ctx.recorder.idle();
  t.deepEqual(w.ctx.sw.lines().filter((l) => l.includes(CALLER)), [], 'no command reaches the call');
  t.like(w.entries('recording.skipped'), [{ callId: CALLER, agentId: w.ann.id, data: { reason: 'disk', uuid: CALLER } }]);
  const page = await admin.get('/admin');
  t.regex(page.text, /Call recording is stopped: disk space is low.<\/strong> 900 MB free in the recordings folder, below the\s+1024 MB minimum/);
  const policies = await admin.get('/admin/recording-policies');
  t.regex(policies.text, /<strong>Recording is stopped:<\/strong> 900 MB free/);
  // Space comes back: the next reading (the minute job, or a start after 30 s) lifts the stop.
  w.disk.freeMb = 5000;
  w.ctx.clock.advance(31_000);
  const next = '44444444-4444-4444-8444-444444444444';
  w.call.arrives(next);
  w.call.queueAnswered(next);
  await w.ctx.recorder.idle();
  t.true(w.ctx.sw.lines().some((l) => l.startsWith(`api uuid_record ${next} start`)));
  t.notRegex((await admin.get('/admin')).text, /Call recording is stopped/);
  // The threshold is a setting: bad input changes nothing.
  const bad = await admin.post('/admin/recording-policies/settings', { minFreeMb: '-5' });
  t.is(bad.status, 422);
  t.regex(bad.text, /Use 0 to 10,485,760 MB/);
  t.is(w.ctx.recordingPolicies.minFreeMb(), 1024);
  t.is((await admin.post('/admin/recording-policies/settings', { minFreeMb: '6000' })).status, 303);
  t.false(await w.ctx.recordings.checkDisk().then((s) => !s.isLow));
});

test('recording policies: the form shows field errors and changes nothing; a policy in use cannot be deleted; changes are audited', async (t) => {
  const w = await recordingWorld();
  const { admin } = await served(t, w);
  const list = await admin.get('/admin/recording-policies');
  t.regex(list.text, /Record all calls<\/a><\/td>\s*<td>Always, whole call, stereo, kept 90 days/);
  await admin.get('/admin/recording-policies/new');
  const bad = await admin.post('/admin/recording-policies', { name: '', mode: 'percent', percent: '100', start: 'answer', retentionDays: '5000' });
  t.is(bad.status, 422);
  t.regex(bad.text, /Enter a name\./);
  t.regex(bad.text, /Use 1 to 99 percent/);
  t.regex(bad.text, /Use 1 to 3,650 days, or 0/);
  t.is(w.ctx.recordingPolicies.list().length, 1);
  const ok = await admin.post('/admin/recording-policies', { name: 'Quality 10%', mode: 'percent', percent: '10', start: 'answer', stereo: 'on', retentionDays: '0' });
  t.is(ok.status, 303);
  const p = w.ctx.recordingPolicies.list().find((x) => x.name === 'Quality 10%')!;
  t.like(p, { mode: 'percent', percent: 10, stereo: true, retentionDays: 0, summary: "10% of calls, from the agent's answer, stereo, kept until deleted" });
  const dup = await admin.post(`/admin/recording-policies/${p.id}`, { name: 'record ALL calls', mode: 'always', start: 'answer', retentionDays: '1' });
  t.regex(dup.text, /A policy named Record all calls already exists\./);
  w.use.queue(p.id);
  w.use.agent(p.id);
  await admin.get(`/admin/recording-policies/${p.id}`);
  const refused = await admin.post(`/admin/recording-policies/${p.id}/delete`);
  t.is(refused.location, `/admin/recording-policies/${p.id}`);
  t.regex((await admin.get(refused.location!)).text, /Recording policy Quality 10% cannot be deleted: queue Sales, agent 201 \(ann\) use it\. Choose another policy there first\./);
  w.use.queue(null);
  w.use.agent(null);
  t.is((await admin.post(`/admin/recording-policies/${p.id}/delete`)).status, 303);
  t.deepEqual(w.ctx.audit.list({}, 50).items.filter((e) => e.action.startsWith('recording_policy.')).map((e) => e.action).sort(), ['recording_policy.created', 'recording_policy.deleted']);
  // The number, queue and agent forms offer the policies.
  t.regex((await admin.get(`/admin/numbers/${w.number.id}`)).text, /<option value="1">Record all calls: Always, whole call/);
  t.regex((await admin.get(`/admin/queues/${w.sales.id}`)).text, /name="recordingPolicyId"/);
  t.regex((await admin.get(`/admin/agents/${w.ann.id}`)).text, /name="recordingPolicyId"/);
});

test('recordings migration: numbers that had the recording switch on get the seeded whole-call policy', async (t) => {
  const db = openDatabase(':memory:');
  t.teardown(() => db.close());
  const all = await loadMigrations();
  const o = { backupDir: null, clock: createFakeClock(), log: silentLogger() };
  await migrate(db, { ...o, migrations: all.filter((m) => m.version < 19) });
  db.exec(`INSERT INTO trunks (id, name, auth_mode, host, port, transport, max_calls, created_at, updated_at) VALUES (1, 'A', 'ip', 'h', 5060, 'udp', 5, 'x', 'x');
    INSERT INTO numbers (number, trunk_id, destination_kind, is_recorded, created_at, updated_at) VALUES ('+4930123456', 1, 'hangup', 1, 'x', 'x'), ('+4930123457', 1, 'hangup', 0, 'x', 'x');`);
  await migrate(db, { ...o, migrations: all });
  t.deepEqual(db.prepare('SELECT n.number, p.name, p.mode, p.start, p.stereo, p.retention_days FROM numbers n LEFT JOIN recording_policies p ON p.id = n.recording_policy_id ORDER BY n.number').all(), [
    { number: '+4930123456', name: 'Record all calls', mode: 'always', start: 'call', stereo: 1, retention_days: 90 },
    { number: '+4930123457', name: null, mode: null, start: null, stereo: null, retention_days: null },
  ]);
  t.false((db.prepare("SELECT name FROM pragma_table_info('numbers')").all() as { name: string }[]).some((c) => c.name === 'is_recorded'));
});
