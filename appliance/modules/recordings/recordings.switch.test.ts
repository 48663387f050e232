import anyTest, { type TestFn } from 'ava';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../clock.js';
import { emptyModelData, voiceDirectory, type ModelData } from '../../confgen/model.js';
import { ConfigPublisher } from '../../confgen/publish.js';
import { parseConfig, type Config } from '../../config.js';
import { openDatabase } from '../../db/database.js';
import { loadMigrations, migrate } from '../../db/migrate.js';
import { EslSwitch } from '../../freeswitch/esl-switch.js';
import { FakeSwitch } from '../../freeswitch/testing/fake-switch.js';
import { findFreeswitch, findSipp, freePort, next, runSipp, startFreeswitch, until, type RunningSwitch } from '../../freeswitch/testing/real-switch.js';
import { createLogger, silentLogger } from '../../logger.js';
import { projectRoot } from '../../paths.js';
import { testActor } from '../../test/make-test-context.js';
import { AuditService } from '../audit/audit.service.js';
import { RegistrationTracker } from '../extensions/registrations.js';
import { flowsOnSwitch } from '../flows/testing/on-switch.js';
import { Ledger } from '../ledger/ledger.js';
import { ensureSystemPrompts } from '../prompts/system-prompts.js';
import { acdOnSwitch } from '../queues/testing/on-switch.js';
import { recordsOnSwitch } from '../records/testing/on-switch.js';
import { DiskGuard, PolicyService, Recorder } from './index.js';

const bin = findFreeswitch();
const sipp = findSipp();
const AGENT_PASSWORD = 'Rec0rding-agent-pw-1001';

interface Ctx {
  work: string;
  config: Config;
  fs: RunningSwitch;
  sw: EslSwitch;
  ports: { internal: number; external: number };
}
const test = anyTest as TestFn<Ctx>;

/** One sipp process on a scenario file (placeholders already replaced), for one call. */
function sippOnce(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(sipp!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output: output.slice(-2000) })));
}

/** RMS level (dB) of one channel of an audio file, from sox's stats (which it writes to stderr). */
function rmsDb(file: string, channel: 1 | 2, band: string[] = []): number {
  const r = spawnSync('sox', [file, '-n', 'remix', String(channel), ...band, 'stats'], { encoding: 'utf8' });
  const m = /RMS lev dB\s+(-?[0-9.]+)/.exec(r.stderr);
  return m ? Number(m[1]) : -Infinity;
}

if (!bin || !sipp) {
  test('real switch: recording SKIPPED', (t) => {
    const why = [!bin && 'no FreeSWITCH binary (set FREESWITCH_BIN or put freeswitch on the PATH)', !sipp && 'no sipp (Debian package sip-tester)'].filter(Boolean).join('; ');
    console.log(`real-switch recording test SKIPPED: ${why}`);
    t.log(why);
    t.pass();
  });
} else {
  test.before(async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'callbox-recording-'));
    const [eslPort, internal, external, wsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const rtpStartPort = 34000 + Math.floor(Math.random() * 2000) * 10;
    const config = parseConfig({
      dataDir: join(work, 'data'),
      session: { secret: 's'.repeat(32) },
      esl: { host: '127.0.0.1', port: eslPort, password: 'recording-test-pw' },
      freeswitch: { confDir: join(work, 'conf'), sipIp: '127.0.0.1', internalSipPort: internal, externalSipPort: external, wsPort, rtpStartPort, rtpEndPort: rtpStartPort + 100 },
    });
    // An agent's phone (extension 1001), an IP trunk from loopback, and a number that runs flow 1 (into the queue).
    const data = (): ModelData => ({
      ...emptyModelData(),
      extensions: [{ number: '1001', displayName: 'Ann', sipPassword: AGENT_PASSWORD, dnd: false, isEnabled: true, callClass: 'national' }],
      trunks: [{ id: 1, authMode: 'ip', host: '127.0.0.1', port: 5060, transport: 'udp', username: null, password: null, realm: null, expirySeconds: 600, fromUser: null, fromDomain: null, allowedCidrs: ['127.0.0.1/32'], codecs: ['PCMU', 'PCMA'], dtmfMode: 'rfc2833', maxCalls: 5, isEnabled: true, contactSecret: null }],
      numbers: [{ id: 5, number: '+4930300005', trunkId: 1, isInbound: true, destinationKind: 'flow', extension: null, flowId: 1 }],
      flows: [{ id: 1, fallbackKind: 'hangup', fallbackExtension: null }],
    });
    const db = openDatabase(':memory:');
    await migrate(db, { migrations: await loadMigrations(), backupDir: null, clock: systemClock, log: silentLogger() });
    const offline = new FakeSwitch();
    offline.setConnected(false);
    const published = await new ConfigPublisher({ db, clock: systemClock, log: silentLogger(), config, sw: offline, confDir: config.freeswitch.confDir, data }).publish('recording test', 'test');
    db.close();
    if (published.status !== 'applied') throw new Error(`publish failed: ${published.error}`);
    await ensureSystemPrompts(voiceDirectory(config), silentLogger());
    const fs = await startFreeswitch(bin, config.freeswitch.confDir, join(work, 'fs'), eslPort);
    const sw = new EslSwitch({ host: '127.0.0.1', port: eslPort, password: config.esl.password, log: createLogger('warn'), clock: systemClock, backoff: { firstMs: 100, maxMs: 500 } });
    sw.start();
    await until(() => sw.isConnected, 15_000);
    t.context = { work, config, fs, sw, ports: { internal, external } };
  });
  test.after.always(async (t) => {
    await t.context.sw?.stop();
    await t.context.fs?.stop();
    if (t.context.work) rmSync(t.context.work, { recursive: true, force: true });
  });

  test.serial('real switch: a recorded queue call gives a stereo MP3 with the caller on the left, the agent on the right, as long as the talk', async (t) => {
    const { work, sw, ports, config } = t.context;
    // The controller's side over one database: the ACD (queue 1, Ann on 1001), flow 1, and the recorder following the ledger.
    const db = openDatabase(join(work, 'controller.db'));
    await migrate(db, { migrations: await loadMigrations(), backupDir: null, clock: systemClock, log: silentLogger() });
    const ledger = new Ledger(db);
    const policies = new PolicyService({ db, clock: systemClock, audit: new AuditService({ db, clock: systemClock }), usedBy: () => [] });
    const stereo = policies.create({ name: 'Queue, stereo', mode: 'always', start: 'answer', stereo: 'on', retentionDays: '30' }, testActor);
    const log = createLogger('warn');
    const recorder = new Recorder({
      db,
      sw,
      ledger,
      clock: systemClock,
      log,
      policies,
      guard: new DiskGuard({ dir: join(config.dataDir, 'recordings'), clock: systemClock, log, minFreeMb: () => 0 }),
      dataDir: config.dataDir,
      lookups: { ofNumber: () => null, ofQueue: (id) => (id === 1 ? stereo.id : null), ofAgent: () => null },
    });
    const runner = acdOnSwitch({ sw, db, ledger, phones: new RegistrationTracker(sw, silentLogger(), () => Date.now()), queues: [{ strategy: 'longest_idle', ringTimeoutS: 15, wrapUpS: 0 }], agents: [{ id: 1, name: 'Ann', extension: '1001' }], saved: new Map() });
    // The call's record comes from the same ledger: the legs' entries (the tracker), the flow's, the ACD's, the recorder's.
    const records = recordsOnSwitch(sw, db);
    const flowsSide = await flowsOnSwitch(sw, config.dataDir, {}, { names: { 1: 'Sales' }, enter: (c) => runner.enter(c) }, records.ledger);
    const { flows, admin } = flowsSide;
    const flow = flows.create({ name: 'Queue line', fallbackKind: 'hangup' }, admin);
    flows.updateNode(flow.id, 'n1', { name: 'Hold', prompt_say: 'Please hold.', next_next: '' }, admin);
    flows.deleteNode(flow.id, 'n2', admin);
    const added = flows.addNode(flow.id, { kind: 'transfer', from: 'n1:next' }, admin);
    flows.updateNode(flow.id, added.node, { name: 'Sales queue', target: 'queue', queueId: '1', priority: '0' }, admin);
    flows.publish(flow.id, admin);
    t.teardown(() => {
      recorder.close();
      runner.stop();
      flowsSide.stop();
      records.stop();
      db.close();
    });
    // Two voices: the caller a 300 Hz tone, the agent 800 Hz, both as phones send them (PCMU).
    const callerVoice = join(work, 'caller.wav');
    const agentVoice = join(work, 'agent.wav');
    execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'u-law', callerVoice, 'synth', '30', 'sine', '300', 'vol', '0.3']);
    execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'u-law', agentVoice, 'synth', '30', 'sine', '800', 'vol', '0.3']);

    // Ann's phone registers, then answers the offer and talks.
    const phone = await freePort();
    const reg = await runSipp(sipp, { scenario: 'register', target: `127.0.0.1:${ports.internal}`, service: '1001', port: phone, args: ['-au', '1001', '-ap', AGENT_PASSWORD], workDir: work });
    t.is(reg.code, 0, `1001 registers:\n${reg.output.slice(0, 1500)}`);
    const scenario = join(work, 'answer-audio.xml');
    writeFileSync(scenario, readFileSync(join(projectRoot, 'appliance', 'freeswitch', 'testing', 'sipp', 'answer-audio.xml'), 'utf8').replaceAll('__AUDIO__', agentVoice));
    const answers = sippOnce(['-sf', scenario, '-i', '127.0.0.1', '-p', String(phone), '-m', '1', '-timeout', '40', '-timeout_error', '-nostdin']);
    await new Promise((r) => setTimeout(r, 300));
    await until(() => Boolean(runner.acd.agent(1)?.deviceUp), 5000, 'the agent phone registered');
    runner.login(1, 'test');

    const entered = next(sw, 'channel.parked', (e) => e.destination === 'enter' && e.vars.flow_id === '1');
    const call = runSipp(sipp, { scenario: 'queue-call', replace: { STAY_MS: '9000', AUDIO: callerVoice }, target: `127.0.0.1:${ports.external}`, service: '4930300005', workDir: work });
    const caller = (await entered).uuid;
    const hungup = next(sw, 'channel.hungup', (e) => e.uuid === caller, 30_000);
    const done = await call;
    t.is(done.code, 0, `the caller waited, talked and hung up:\n${done.output.slice(0, 1500)}`);
    t.is((await answers).code, 0, 'the agent answered and talked until the caller left');
    const end = await hungup;
    await until(() => recorder.repo.ofCall(caller).some((r) => r.status !== 'recording'), 20_000, 'the recording stored');
    await recorder.idle();

    const [r] = recorder.repo.ofCall(caller);
    t.like(r, { status: 'stored', format: 'mp3', stereo: true, error: null });
    const answeredAt = ledger.forCall(caller).find((e) => e.kind === 'queue.answered')!.at;
    const talkMs = end.at - answeredAt;
    t.log(`talk ${talkMs} ms; recording ${r!.durationMs} ms, ${r!.sizeBytes} bytes`);
    t.true(Math.abs(r!.durationMs! - talkMs) <= 1000, `the recording lasts the talk: ${r!.durationMs} ms vs ${talkMs} ms`);
    const mp3 = join(config.dataDir, r!.path);
    t.is(execFileSync('soxi', ['-c', mp3], { encoding: 'utf8' }).trim(), '2', 'stereo');
    const [left, right] = [rmsDb(mp3, 1), rmsDb(mp3, 2)];
    t.log(`RMS: left (caller) ${left} dB, right (agent) ${right} dB`);
    t.true(left > -40, `the caller is heard on the left: ${left} dB`);
    t.true(right > -40, `the agent is heard on the right: ${right} dB`);
    // Which voice is where: the agent's 800 Hz tone is on the right channel, not the left (customer) one.
    const [left800, right800] = [rmsDb(mp3, 1, ['sinc', '650-950']), rmsDb(mp3, 2, ['sinc', '650-950'])];
    t.log(`800 Hz band: left ${left800} dB, right ${right800} dB`);
    t.true(right800 - left800 > 20, `the agent's tone is on the right: left ${left800} dB, right ${right800} dB`);
    const kinds = ledger.forCall(caller).map((e) => e.kind).filter((k) => k.startsWith('recording.'));
    t.deepEqual(kinds, ['recording.started', 'recording.stored']);
    // The call's record says what happened, with its recording.
    await until(() => Boolean(records.record(caller)?.endedAt), 10_000, 'the call record ended');
    const record = records.record(caller)!;
    t.like(record, { direction: 'inbound', queueId: 1, outcome: 'answered', hangupSide: 'customer' });
    t.is(record.flows.length, 1, 'the IVR on the record');
    t.true(Math.abs(record.agents[0]!.talkMs - talkMs) <= 1000, `the agent's talk on the record: ${record.agents[0]!.talkMs} ms`);
    t.like(record.recordings, [{ recordingId: r!.id, stereo: true, durationMs: r!.durationMs, sizeBytes: r!.sizeBytes, deleted: false }]);
  });
}
