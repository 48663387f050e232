import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { XMLParser } from 'fast-xml-parser';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../clock.js';
import { parseConfig, type Config } from '../config.js';
import { buildModel, emptyModelData, voiceDirectory, voicemailDirectory, type ModelData } from '../confgen/model.js';
import { ConfigPublisher } from '../confgen/publish.js';
import { openDatabase } from '../db/database.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { FreeswitchCommandError } from '../errors.js';
import { createLogger, silentLogger } from '../logger.js';
import { localClock, scheduleStatus } from '../modules/numbers/open-now.js';
import { WEEKDAYS, type Schedule } from '../modules/numbers/schedule.js';
import { ensureSystemPrompts } from '../modules/prompts/system-prompts.js';
import { switchZoneRule } from '../timezones.js';
import { CallControl } from './call-control.js';
import { commands } from './commands.js';
import { EslSwitch, LEASE_VARIABLE } from './esl-switch.js';
import type { SwitchEventName, SwitchEvents } from './switch.types.js';
import { listVoicemail } from './voicemail.js';
import { FakeSwitch } from './testing/fake-switch.js';
import { flowsOnSwitch } from '../modules/flows/testing/on-switch.js';
import { answerOnce, carrierOn, findFreeswitch, findSipp, freePort, next, registrarOnce, runSipp, serveOnce, sippInviteRefused, startFreeswitch, until, type RunningSwitch } from './testing/real-switch.js';
import type { SwitchPort } from './switch.port.js';
import { RegistrationTracker } from '../modules/extensions/registrations.js';
import { Ledger } from '../modules/ledger/ledger.js';
import type { SavedAgentState } from '../modules/queues/acd.source.js';
import { acdOnSwitch } from '../modules/queues/testing/on-switch.js';
import { recordsOnSwitch } from '../modules/records/testing/on-switch.js';
import type { CallRecord } from '../modules/records/records.types.js';
import { AgentCalls } from '../modules/calls/agent-calls.js';

const bin = findFreeswitch();
const sipp = findSipp();

interface Ctx {
  work: string;
  config: Config;
  fs: RunningSwitch;
  sw: EslSwitch;
  ports: { internal: number; external: number };
  registrar: ReturnType<typeof registrarOnce> | null;
  /** The IP trunk's carrier: answers its pings throughout, and a call when a test asks. */
  carrier: Awaited<ReturnType<typeof carrierOn>> | null;
  /** What the published configuration was made from. */
  data: () => ModelData;
  /** Every call of the run, as its call record (a test's queue calls are in that test's own database). */
  calls: ReturnType<typeof recordsOnSwitch>;
}
const test = anyTest as TestFn<Ctx>;

/** The extensions the generated directory holds in this tier, with passwords the test knows. */
const EXTENSIONS: ModelData['extensions'] = [
  { number: '1001', displayName: 'Caller Phone', sipPassword: 'Test1001Password7xyz', dnd: false, isEnabled: true, callClass: 'national' },
  { number: '1002', displayName: 'Callee Phone', sipPassword: 'Test1002Password7xyz', dnd: false, isEnabled: true, callClass: 'national' },
  { number: '1003', displayName: 'Busy Phone', sipPassword: 'Test1003Password7xyz', dnd: true, isEnabled: true, callClass: 'national' },
  { number: '1004', displayName: 'Away Phone', sipPassword: 'Test1004Password7xyz', dnd: false, isEnabled: true, callClass: 'national', forwardAlways: '1002' },
  // Never registered: its callers reach its voicemail box.
  { number: '1005', displayName: 'Voicemail Phone', sipPassword: 'Test1005Password7xyz', dnd: false, isEnabled: true, callClass: 'national', voicemailEnabled: true, voicemailPin: '482915' },
];

/** An IP trunk from this machine's loopback, and a number on it that rings extension 1002. */
const TRUNKS: ModelData['trunks'] = [
  { id: 1, authMode: 'ip', host: '127.0.0.1', port: 5060, transport: 'udp', username: null, password: null, realm: null, expirySeconds: 600, fromUser: null, fromDomain: null, allowedCidrs: ['127.0.0.1/32'], codecs: ['PCMU', 'PCMA'], dtmfMode: 'rfc2833', maxCalls: 5, isEnabled: true, contactSecret: null },
];
/** A registration trunk pointing at a sipp registrar, and the IP trunk's carrier, on ports chosen at start. */
const registrarPort = { value: 0 };
const carrierPort = { value: 0 };
/** National calls (0Z.) go out on trunk 1 as +49…; international ones (00Z.) are blocked by the default policy. */
const OUTBOUND: ModelData['outbound'] = {
  policy: { allowInternational: false, premiumPrefixes: ['0900'], emergencyNumbers: ['112'], extensionConcurrent: 2, extensionPerHour: 30, globalConcurrent: 10, globalPerHour: 200 },
  routes: [
    { id: 1, regex: '^0[1-9][0-9]+$', strip: 1, prepend: '+49', callClass: 'national', trunkIds: [1], callerId: '+4930123456' },
    { id: 2, regex: '^00[1-9][0-9]+$', strip: 0, prepend: '', callClass: 'international', trunkIds: [1], callerId: '+4930123456' },
  ],
};
/** +4930123456 on the IP trunk, +4930999888 on the registration trunk; both ring 1002. +4930300005 runs flow 1. */
const NUMBERS: ModelData['numbers'] = [
  { id: 1, number: '+4930123456', trunkId: 1, isInbound: true, destinationKind: 'extension', extension: '1002' },
  { id: 2, number: '+4930999888', trunkId: 2, isInbound: true, destinationKind: 'extension', extension: '1002' },
  { id: 5, number: '+4930300005', trunkId: 1, isInbound: true, destinationKind: 'flow', extension: null, flowId: 1 },
];
/** Flow 1 (built in its test) falls back to extension 1002 when the controller cannot run it. */
const FLOWS: ModelData['flows'] = [{ id: 1, fallbackKind: 'extension', fallbackExtension: '1002' }];
const CONTACT_SECRET = '0123456789abcdef0123456789abcdef';

/**
 * Schedules in Pacific/Kiritimati (UTC+14, far from this machine's clock, no daylight saving), made when the tier
 * starts: closed today for a holiday, closed by hours that hold the time in UTC but not there, and open by hours
 * around the time there. A switch that ignored the zone would route each the other way.
 */
const ZONE = 'Pacific/Kiritimati';
function schedulesAt(now: number): Record<'holiday' | 'closed' | 'open', Schedule> {
  const there = localClock(ZONE, now);
  const [utcMinute, localMinute] = [Math.floor((now % 86_400_000) / 60_000), Math.floor(there.second / 60)];
  return {
    holiday: { timezone: ZONE, hours: around(0, 1440), holidays: [{ date: there.date, label: 'test' }] },
    closed: { timezone: ZONE, hours: around(utcMinute - 60, utcMinute + 60), holidays: [] },
    open: { timezone: ZONE, hours: around(localMinute - 60, localMinute + 60), holidays: [] },
  };
}
/** Every weekday open from `from` to `to` minutes, split at midnight when the window crosses it. */
function around(from: number, to: number): Schedule['hours'] {
  const parts = from < 0 ? [[0, to], [1440 + from, 1440]] : to > 1440 ? [[from, 1440], [0, to - 1440]] : [[from, to]];
  return WEEKDAYS.flatMap((day) => parts.map(([opens, closes]) => ({ day, opens: opens!, closes: closes! })));
}
/** Numbers 2, 3 and 4 on the IP trunk: each sends calls to 1002 on one side of its schedule and hangs up on the other. */
function scheduledNumbers(s: ReturnType<typeof schedulesAt>): ModelData['numbers'] {
  const zoneRule = switchZoneRule(ZONE);
  const toDesk = { destinationKind: 'extension', extension: '1002', afterHoursKind: 'hangup', afterHoursExtension: null } as const;
  const afterHoursToDesk = { destinationKind: 'hangup', extension: null, afterHoursKind: 'extension', afterHoursExtension: '1002' } as const;
  return [
    { id: 2, number: '+4930200002', trunkId: 1, isInbound: true, ...toDesk, schedule: { ...s.holiday, zoneRule } },
    { id: 3, number: '+4930200003', trunkId: 1, isInbound: true, ...afterHoursToDesk, schedule: { ...s.closed, zoneRule } },
    { id: 4, number: '+4930200004', trunkId: 1, isInbound: true, ...toDesk, schedule: { ...s.open, zoneRule } },
  ];
}
const scheduled: { at: ReturnType<typeof schedulesAt> | null } = { at: null };

if (!bin) {
  test('real switch: SKIPPED', (t) => {
    const why = 'no FreeSWITCH binary found (set FREESWITCH_BIN or put freeswitch on the PATH); the real-switch tier did not run';
    console.log(`real-switch tier SKIPPED: ${why}`);
    t.log(why);
    t.pass();
  });
} else {
  test.before(async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'callbox-realswitch-'));
    const [eslPort, internal, external, wsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const rtpStartPort = 30000 + Math.floor(Math.random() * 2000) * 10;
    const config = parseConfig({
      dataDir: join(work, 'data'),
      session: { secret: 's'.repeat(32) },
      esl: { host: '127.0.0.1', port: eslPort, password: 'realswitch-test-pw' },
      freeswitch: { confDir: join(work, 'conf'), sipIp: '127.0.0.1', internalSipPort: internal, externalSipPort: external, wsPort, rtpStartPort, rtpEndPort: rtpStartPort + 100 },
    });
    // Write the configuration the appliance would publish.
    const db = openDatabase(':memory:');
    await migrate(db, { migrations: await loadMigrations(), backupDir: null, clock: systemClock, log: silentLogger() });
    const offline = new FakeSwitch();
    offline.setConnected(false);
    registrarPort.value = await freePort();
    carrierPort.value = await freePort();
    const trunks: ModelData['trunks'] = [
      { ...TRUNKS[0]!, port: carrierPort.value },
      { ...TRUNKS[0]!, id: 2, authMode: 'registration', port: registrarPort.value, username: 'acct77', password: 'carrier-pw-77', allowedCidrs: [], expirySeconds: 600, contactSecret: CONTACT_SECRET },
    ];
    const schedules = (scheduled.at = schedulesAt(Date.now()));
    const data = (): ModelData => ({ ...emptyModelData(), extensions: EXTENSIONS, trunks, numbers: [...NUMBERS, ...scheduledNumbers(schedules)], flows: FLOWS, blocked: [{ id: 1, regex: '^\\+?5559999$', extension: null }], outbound: OUTBOUND });
    const published = await new ConfigPublisher({ db, clock: systemClock, log: silentLogger(), config, sw: offline, confDir: config.freeswitch.confDir, data }).publish('real-switch test', 'test');
    db.close();
    if (published.status !== 'applied') throw new Error(`publish failed: ${published.error}`);
    await ensureSystemPrompts(voiceDirectory(config), silentLogger());
    // The carrier's registrar must be listening before FreeSWITCH starts its gateways.
    const registrar = sipp ? registrarOnce(sipp, registrarPort.value, work) : null;
    const carrier = sipp ? await carrierOn(sipp, carrierPort.value) : null;
    const fs = await startFreeswitch(bin, config.freeswitch.confDir, join(work, 'fs'), eslPort);
    const sw = new EslSwitch({ host: '127.0.0.1', port: eslPort, password: config.esl.password, log: createLogger('warn'), clock: systemClock, backoff: { firstMs: 100, maxMs: 500 } });
    sw.start();
    await until(() => sw.isConnected, 15_000);
    const recordsDb = openDatabase(join(work, 'records.db'));
    await migrate(recordsDb, { migrations: await loadMigrations(), backupDir: null, clock: systemClock, log: silentLogger() });
    t.context = { work, config, fs, sw, ports: { internal, external }, registrar, carrier, data, calls: recordsOnSwitch(sw, recordsDb) };
  });
  test.after.always(async (t) => {
    t.context.calls?.stop();
    await t.context.sw?.stop();
    await t.context.fs?.stop();
    await t.context.carrier?.stop();
    if (t.context.work) rmSync(t.context.work, { recursive: true, force: true });
  });

  test.serial('real switch: every configured module loads, both SIP profiles run, and the log has no errors', async (t) => {
    const { sw, config, fs } = t.context;
    t.regex(sw.switchVersion, /1\.10\./);
    for (const m of buildModel(config).modules) t.is((await sw.api(commands.moduleExists(m))).trim(), 'true', m);
    const status = new XMLParser({ isArray: (n) => n === 'profile' }).parse(await sw.api(commands.sofiaStatus())) as { profiles: { profile: { name: string; state: string }[] } };
    for (const name of ['internal', 'external']) {
      t.regex(status.profiles.profile.find((p) => p.name === name)?.state ?? 'missing', /^RUNNING/, `profile ${name}`);
    }
    const errors = fs.log().split('\n').filter((l) => /\[(ERR|CRIT|ALERT)\]/.test(l));
    t.deepEqual(errors, [], 'no errors in the FreeSWITCH log at start');
  });

  test.serial('real switch: the controller answers a loopback call and plays a tone; without its lease a call goes to the fallback', async (t) => {
    const { sw } = t.context;
    const seen: string[] = [];
    const names: SwitchEventName[] = ['channel.created', 'channel.parked', 'channel.answered', 'playback.started', 'playback.stopped', 'channel.hungup'];
    for (const n of names) sw.on(n, (e: SwitchEvents[typeof n]) => seen.push(`${n}:${'destination' in e ? e.destination : ''}`));
    const parked = next(sw, 'channel.parked', (e) => e.destination === 'enter');
    const cc = new CallControl(sw);
    // originate resolves once the entering leg is answered, which is the controller's job: do both at once.
    const caller = cc.originate({ kind: 'loopback', extension: 'enter', context: 'callbox' }, { vars: { callbox_test: 'loopback' } });
    const entered = await parked;
    t.is(entered.vars.test, 'loopback', 'our channel variables travel with the call');
    await cc.answer(entered.uuid);
    t.not(entered.uuid, await caller);
    t.is(await cc.play(entered.uuid, 'tone_stream://%(1000,0,440)'), 'FILE PLAYED');
    const hungup = next(sw, 'channel.hungup', (e) => e.uuid === entered.uuid);
    await cc.hangup(entered.uuid);
    t.is((await hungup).cause, 'NORMAL_CLEARING');
    for (const expected of ['channel.parked:enter', 'channel.answered:enter', 'playback.started:', 'playback.stopped:', 'channel.hungup:enter']) {
      t.true(seen.includes(expected), `saw ${expected} in ${seen.join(' ')}`);
    }
    await sw.api(commands.globalSetvar('callbox_lease', '0'));
    const refused = await t.throwsAsync(cc.originate({ kind: 'loopback', extension: 'enter', context: 'callbox' }), { instanceOf: FreeswitchCommandError });
    t.regex(refused!.message, /NORMAL_TEMPORARY_FAILURE/);
  });

  test.serial('real switch: SIP from an unknown carrier is refused (403), also when it offers an extension\'s credentials, and a phone without credentials is challenged (407)', async (t) => {
    if (!sipp) return t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run'), t.pass();
    const { work, ports } = t.context;
    // 127.0.0.2 is not a trunk's address (127.0.0.1 is).
    const carrier = await runSipp(sipp, { scenario: 'invite-expect', replace: { EXPECTED: '403', CALLER: '5551000' }, target: `127.0.0.1:${ports.external}`, service: '4930123456', source: '127.0.0.2', workDir: work });
    t.is(carrier.code, 0, carrier.output.slice(0, 1500));
    // A challenge here would let anyone guess extensions' passwords on the carrier profile (accept-blind-auth).
    const guesser = await runSipp(sipp, { scenario: 'invite-credentials', replace: { EXPECTED: '403', CALLER: '1001' }, target: `127.0.0.1:${ports.external}`, service: '1002', source: '127.0.0.2', workDir: work });
    t.is(guesser.code, 0, guesser.output.slice(0, 1500));
    const unknownNumber = await sippInviteRefused(sipp, `127.0.0.1:${ports.external}`, '4930999999', 404, work);
    t.is(unknownNumber.code, 0, `a trunk calling a number we do not have gets 404:\n${unknownNumber.output.slice(0, 1500)}`);
    const phone = await sippInviteRefused(sipp, `127.0.0.1:${ports.internal}`, '1001', 407, work);
    t.is(phone.code, 0, phone.output.slice(-1500));
  });

  test.serial('real switch: an extension registers, another calls it and it rings and answers; forwarding reaches it too; do-not-disturb is busy', async (t) => {
    if (!sipp) return t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run'), t.pass();
    const { work, ports, sw } = t.context;
    const target = `127.0.0.1:${ports.internal}`;
    const phonePort = await freePort();
    const registered = next(sw, 'registration.registered', (r) => r.user === '1002');
    const reg = await runSipp(sipp, { scenario: 'register', target, service: '1002', port: phonePort, args: ['-au', '1002', '-ap', EXTENSIONS[1]!.sipPassword], workDir: work });
    t.is(reg.code, 0, `1002 registers:\n${reg.output.slice(-1500)}`);
    t.is((await registered).userAgent, 'callbox-test-phone');
    const wrong = await runSipp(sipp, { scenario: 'register', target, service: '1002', args: ['-au', '1002', '-ap', 'not-the-password'], workDir: work });
    t.not(wrong.code, 0, 'a wrong password does not register');

    const answered = answerOnce(sipp, phonePort);
    await new Promise((r) => setTimeout(r, 300));
    const bridged = next(sw, 'channel.bridged', () => true);
    const call = await runSipp(sipp, { scenario: 'call', replace: { CALLER: '1001' }, target, service: '1002', args: ['-au', '1001', '-ap', EXTENSIONS[0]!.sipPassword], workDir: work });
    t.is(call.code, 0, `1001 calls 1002:\n${call.output.slice(0, 1500)}`);
    t.is((await answered).code, 0, '1002 took the call');
    const b = await bridged;
    t.is(b.callerNumber, '1001', 'caller ID is the calling extension');
    t.is(b.destination, '1002');
    t.like(await recordOnceEnded(t, b.aUuid), { direction: 'internal', caller: '1001', callee: '1002', outcome: 'answered', hangupSide: 'customer' });

    const caller = { CALLER: '1001' };
    const credentials = ['-au', '1001', '-ap', EXTENSIONS[0]!.sipPassword];
    // 1004 forwards every call to 1002.
    const forwarded = answerOnce(sipp, phonePort);
    await new Promise((r) => setTimeout(r, 300));
    const viaForward = await runSipp(sipp, { scenario: 'call', replace: caller, target, service: '1004', args: credentials, workDir: work });
    t.is(viaForward.code, 0, `1001 calls 1004, forwarded to 1002:\n${viaForward.output.slice(0, 1500)}`);
    t.is((await forwarded).code, 0, '1002 took the forwarded call');
    const busy = await runSipp(sipp, { scenario: 'call-refused', replace: { ...caller, EXPECTED: '486' }, target, service: '1003', args: credentials, workDir: work });
    t.is(busy.code, 0, `an extension on do-not-disturb is busy:\n${busy.output.slice(0, 1500)}`);
    const nobody = await runSipp(sipp, { scenario: 'call-refused', replace: { ...caller, EXPECTED: '404' }, target, service: '1999', args: credentials, workDir: work });
    t.is(nobody.code, 0, `a number nobody has is not found:\n${nobody.output.slice(0, 1500)}`);
  });

  test.serial('real switch: a registration trunk registers with the carrier\'s registrar', async (t) => {
    if (!sipp || !t.context.registrar) return t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run'), t.pass();
    const reg = await t.context.registrar;
    t.is(reg.code, 0, `the registrar saw a REGISTER:\n${reg.output.slice(-800)}`);
    const states = new XMLParser({ isArray: (n) => n === 'gateway' });
    let state = '';
    for (let i = 0; i < 50 && state !== 'REGED'; i++) {
      const doc = states.parse(await t.context.sw.api(commands.sofiaGateways())) as { gateways?: { gateway?: { name: string; state: string }[] } };
      state = doc.gateways?.gateway?.find((g) => g.name === 'trunk_2')?.state ?? '';
      if (state !== 'REGED') await new Promise((r) => setTimeout(r, 200));
    }
    t.is(state, 'REGED');
  });

  test.serial('real switch: an extension calls out through a route and the carrier answers; international and premium numbers are blocked', async (t) => {
    if (!sipp) return t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run'), t.pass();
    const { work, ports, sw } = t.context;
    const target = `127.0.0.1:${ports.internal}`;
    const credentials = ['-au', '1001', '-ap', EXTENSIONS[0]!.sipPassword];
    const carrier = (await t.context.carrier!.answer()).done;
    const bridged = next(sw, 'channel.bridged', () => true);
    const call = await runSipp(sipp, { scenario: 'call', replace: { CALLER: '1001' }, target, service: '030555123', args: credentials, workDir: work });
    t.is(call.code, 0, `1001 calls 030555123 out:\n${call.output.slice(0, 1500)}`);
    t.is((await carrier).code, 0, 'the carrier got the call');
    const out = await bridged;
    t.is(out.destination, '030555123');
    t.like(await recordOnceEnded(t, out.aUuid), { direction: 'outbound', caller: '1001', dialed: '030555123', trunkId: 1, outcome: 'answered', result: 'success' });

    // 1001 is of class national: an international number is beyond it (the policy would block it for anyone).
    const hungup = next(sw, 'channel.hungup', (h) => h.vars.blocked_reason === 'class');
    const intl = await runSipp(sipp, { scenario: 'call-refused', replace: { CALLER: '1001', EXPECTED: '603' }, target, service: '0044207946000', args: credentials, workDir: work });
    t.is(intl.code, 0, `an international number is refused:\n${intl.output.slice(0, 1500)}`);
    const h = await hungup;
    t.is(h.vars.dialed, '0044207946000');
    t.is(h.vars.extension, '1001');
    const premiumHungup = next(sw, 'channel.hungup', (x) => x.vars.blocked_reason === 'premium');
    const premium = await runSipp(sipp, { scenario: 'call-refused', replace: { CALLER: '1001', EXPECTED: '603' }, target, service: '09001234567', args: credentials, workDir: work });
    t.is(premium.code, 0, `a premium number is refused:\n${premium.output.slice(0, 1500)}`);
    t.is((await premiumHungup).vars.dialed, '09001234567');
  });

  test.serial('real switch: an agent dials out from the workbench: their phone answers by itself, the customer is called through the route with the queue\'s caller ID', async (t) => {
    if (!sipp) return t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run'), t.pass();
    const { sw } = t.context;
    const q = await queueOnSwitch(t, [{ strategy: 'longest_idle', ringTimeoutS: 10, wrapUpS: 0 }]);
    const calls = callsOnSwitch(t, q, { callerIds: ['+4930300005'] });
    const ann = await agentPhone(t, sipp, '1001');
    const annAnswers = answerOnce(sipp, ann);
    const carrier = (await t.context.carrier!.answer()).done;
    await new Promise((r) => setTimeout(r, 300));
    await until(() => Boolean(q.runner().acd.agent(1)?.deviceUp), 5000);
    q.runner().login(1, 'test');
    q.runner().notReady(1, 'Outbound', 'test');
    // The carrier has answered the gateway's pings so far, so the trunk is up (a ping refused would mark it down).
    const gateways = new XMLParser({ isArray: (n) => n === 'gateway' }).parse(await sw.api(commands.sofiaGateways())) as { gateways?: { gateway?: { name: string; status: string }[] } };
    t.is(gateways.gateways?.gateway?.find((g) => g.name === 'trunk_1')?.status, 'UP', JSON.stringify(gateways));
    const outside = next(sw, 'channel.created', (e) => e.channelName.startsWith('sofia/external/'), 15_000);
    const { callId } = await calls.dial(1, '030555123', '+4930300005', 'agent ann');
    const gw = await outside.catch((e: Error) => {
      // Say which side failed and why (FreeSWITCH's cause), not just that no carrier leg appeared.
      throw new Error(`${e.message}: ${JSON.stringify(q.ledger.forCall(callId).map((x) => [x.kind, x.data]))}`);
    });
    t.is(gw.callerNumber, '+4930300005', 'the carrier sees the caller ID the agent chose');
    await until(() => calls.desk(1)?.state === 'talking', 10_000, () => `the call talking (${JSON.stringify(q.ledger.forCall(callId).map((x) => [x.kind, x.data]))})`).catch(async (e: Error) => {
      const c = await carrier;
      throw new Error(`${e.message}\ncarrier (${c.code}): ${c.output.slice(0, 2000)}\nFreeSWITCH: ${t.context.fs.log().slice(-3000)}`);
    });
    const customer = calls.desk(1)!.customerLeg!;
    t.truthy(customer);
    await calls.hangup(1, 'agent ann');
    t.is((await annAnswers).code, 0, `Ann's phone took the call by itself and was hung up:\n${(await annAnswers).output.slice(0, 1500)}`);
    t.is((await carrier).code, 0, 'the carrier answered and was hung up when Ann hung up');
    await until(() => calls.desk(1) === null, 5000, 'the call gone from the desk');
    t.deepEqual(q.ledger.forCall(callId).map((e) => e.kind).filter((k) => k.startsWith('call.')), ['call.outbound', 'call.answered', 'call.hangup', 'call.end']);
    const record = await recordOnceEnded(t, callId, q.record);
    t.like(record, { direction: 'outbound', caller: '+4930300005', callee: '030555123', trunkId: 1, outcome: 'answered', result: 'success', hangupSide: 'agent' });
    t.true(record.agents[0]!.talkMs > 0);
  });

  test.serial('real switch: a call from the carrier on an IP trunk reaches its number\'s extension; a blocked caller is declined', async (t) => {
    if (!sipp) return t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run'), t.pass();
    const { work, ports, sw } = t.context;
    const phonePort = await deskPhone(t, sipp);
    const answered = answerOnce(sipp, phonePort);
    await new Promise((r) => setTimeout(r, 300));
    const bridged = next(sw, 'channel.bridged', (b) => b.destination === '1002' || b.destination === '+4930123456');
    const call = await runSipp(sipp, { scenario: 'carrier-call', target: `127.0.0.1:${ports.external}`, service: '+4930123456', workDir: work });
    t.is(call.code, 0, `the carrier's call is answered:\n${call.output.slice(0, 1500)}`);
    t.is((await answered).code, 0, 'extension 1002 took the call');
    const inbound = await bridged;
    t.is(inbound.callerNumber, '5551000', 'the caller\'s number reaches the phone');
    t.like(await recordOnceEnded(t, inbound.aUuid), { direction: 'inbound', caller: '5551000', callee: '1002', trunkId: 1, outcome: 'answered', hangupSide: 'customer' });
    const blocked = await runSipp(sipp, { scenario: 'invite-expect', replace: { EXPECTED: '603', CALLER: '5559999' }, target: `127.0.0.1:${ports.external}`, service: '+4930123456', workDir: work });
    t.is(blocked.code, 0, `a blocked caller is declined (603):\n${blocked.output.slice(0, 1500)}`);
  });

  test.serial('real switch: a caller who gets no answer leaves a voicemail after spoken prompts; the owner opens the box by phone with the PIN', async (t) => {
    const { sw, config, fs } = t.context;
    const cc = new CallControl(sw);
    const domain = (await sw.api(commands.globalGetvar('domain'))).trim();
    const box = async () => listVoicemail(sw, '1005', domain);
    const logFrom = fs.log().length;
    // Resolves when the switch starts playing a file whose path ends so: the prompts pace the test like an ear.
    const heard = (file: string, ms = 20_000) => next(sw, 'playback.started', (e) => e.file.endsWith(file), ms);
    t.deepEqual(await box(), [], 'an empty box lists no messages');

    // The caller: a loopback leg into the phones' context dialling 1005, which is not registered.
    const instructions = heard('vm/record-message.wav');
    const recording = next(sw, 'record.started', (e) => e.file.startsWith(`${voicemailDirectory(config)}/`), 30_000);
    const caller = await cc.originate({ kind: 'loopback', extension: '1005', context: 'internal' }, { timeoutSeconds: 20 });
    await instructions;
    await recording;
    // A tone stands in for the caller's voice.
    t.is(await cc.play(caller, 'tone_stream://%(5000,0,440)'), 'FILE PLAYED');
    await cc.hangup(caller);
    t.like(await recordOnceEnded(t, caller), { outcome: 'voicemail' });
    let messages = await box();
    for (let i = 0; i < 40 && messages.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      messages = await box();
    }
    t.is(messages.length, 1, 'one message in the box');
    const [message] = messages;
    t.true(message!.seconds >= 4 && message!.seconds <= 7, `message of ${message!.seconds} s`);
    t.true(message!.path.startsWith(`${voicemailDirectory(config)}/`), message!.path);
    t.is(message!.readEpoch, null, 'new until heard');

    // The owner dials *98 and gives the box and a wrong PIN three times: the box hangs up, the message stays new.
    const login = async (pins: string[]) => {
      const prompt = heard('vm/enter-id.wav');
      const owner = await cc.originate({ kind: 'loopback', extension: '*98', context: 'internal' }, { timeoutSeconds: 20 });
      for (const [i, pin] of pins.entries()) {
        await (i === 0 ? prompt : heard('vm/enter-id.wav'));
        const askPin = heard('vm/enter-pass.wav');
        await sw.api(commands.uuidSendDtmf(owner, '1005#'));
        await askPin;
        await sw.api(commands.uuidSendDtmf(owner, `${pin}#`));
      }
      return owner;
    };
    const ended = next(sw, 'channel.hungup', () => true, 60_000);
    const aborted = heard('vm/abort.wav', 60_000);
    await login(['111111', '222222', '333333']);
    await aborted;
    await ended;
    t.is((await box())[0]!.readEpoch, null, 'wrong PINs open nothing');

    // The right PIN: "you have one new message", which plays at once; 2 saves it, and it counts as heard.
    const count = heard('vm/you-have.wav');
    const played = heard(message!.path, 40_000);
    const owner = await login(['482915']);
    await count;
    await played;
    const menu = heard('vm/listen-file-check.wav');
    await menu;
    const saved = heard('vm/ack-saved.wav');
    await sw.api(commands.uuidSendDtmf(owner, '2'));
    await saved;
    // With no message left to play, the box marks what was saved as heard and sums up the folders again.
    await heard('vm/you-have.wav');
    t.not((await box())[0]!.readEpoch, null, 'heard after the right PIN');
    await cc.hangup(owner);
    // Missing files and macros are errors of the media code (the trunk's registrar, gone by now, errs elsewhere).
    const missing = fs.log().slice(logFrom).split('\n').filter((l) => /\[ERR\]/.test(l) && /switch_ivr|mod_voicemail|mod_say|mod_sndfile/.test(l));
    t.deepEqual(missing, [], 'no errors: every prompt and macro was there');
  });

  test.serial('real switch: the carrier behind a registration trunk calls the contact it registered and reaches its number\'s extension; forgeries of the contact and other trunks\' numbers are refused', async (t) => {
    if (!sipp || !t.context.registrar) return t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run'), t.pass();
    const { work, ports, sw } = t.context;
    const { contact } = await t.context.registrar;
    t.regex(contact ?? 'none', new RegExp(`^sip:gw\\+trunk_2@127\\.0\\.0\\.1:${ports.external};callbox-secret=${CONTACT_SECRET};`), 'the trunk registered its contact with its secret');
    const target = `127.0.0.1:${ports.external}`;
    const phonePort = await deskPhone(t, sipp);
    const answered = answerOnce(sipp, phonePort);
    await new Promise((r) => setTimeout(r, 300));
    const bridged = next(sw, 'channel.bridged', (b) => b.callerNumber === '5552000');
    // The carrier calls from another of its machines (127.0.0.3), which is no IP trunk's address: the contact is what counts.
    const call = await runSipp(sipp, { scenario: 'contact-call', replace: { CONTACT: contact! }, target, service: '+4930999888', source: '127.0.0.3', workDir: work });
    t.is(call.code, 0, `the carrier's call to the contact is answered:\n${call.output.slice(0, 1500)}`);
    t.is((await answered).code, 0, 'extension 1002 took the call');
    const b = await bridged;
    t.is(b.vars.contact_trunk, 'trunk_2');
    t.is(b.vars.number_id, '2', 'the number in To: is the one that answered');

    const refused = async (why: string, uri: string, source: string, service: string, expected: string) => {
      const r = await runSipp(sipp, { scenario: 'contact-refused', replace: { CONTACT: uri, EXPECTED: expected }, target, service, source, workDir: work });
      t.is(r.code, 0, `${why}: ${expected} expected:\n${r.output.slice(0, 1500)}`);
    };
    await refused('a stranger names the gateway without the secret', contact!.replace(/;callbox-secret=[0-9a-f]+/, ''), '127.0.0.2', '+4930999888', '403');
    await refused('a stranger guesses a secret', contact!.replace(CONTACT_SECRET, 'f'.repeat(32)), '127.0.0.2', '+4930999888', '403');
    await refused('the IP trunk\'s number does not answer the registration trunk', contact!, '127.0.0.3', '+4930123456', '404');
    const direct = await sippInviteRefused(sipp, target, '+4930999888', 404, work);
    t.is(direct.code, 0, `the registration trunk's number does not answer the IP trunk's carrier:\n${direct.output.slice(0, 1500)}`);
  });

  test.serial('real switch: schedules in the number\'s time zone: a holiday and closed hours go after hours, open hours reach the destination', async (t) => {
    if (!sipp) return t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run'), t.pass();
    const { work, ports, sw } = t.context;
    const carrier = `127.0.0.1:${ports.external}`;
    // The controller's "open now" says what the switch must do.
    const at = scheduled.at!;
    t.like(scheduleStatus(at.holiday, Date.now()), { isOpen: false, why: 'holiday' });
    t.like(scheduleStatus(at.closed, Date.now()), { isOpen: false, why: 'outside hours' });
    t.like(scheduleStatus(at.open, Date.now()), { isOpen: true });

    // Holiday: the destination would be extension 1002; after hours is hang up.
    const holiday = next(sw, 'channel.hungup', (h) => h.vars.number_id === '2');
    const refused = await runSipp(sipp, { scenario: 'invite-expect', replace: { EXPECTED: '603', CALLER: '5551000' }, target: carrier, service: '+4930200002', workDir: work });
    t.is(refused.code, 0, `a number closed for a holiday goes after hours (hang up, 603):\n${refused.output.slice(0, 1500)}`);
    t.is((await holiday).vars.after_hours, 'holiday');

    const phonePort = await deskPhone(t, sipp);
    // Closed hours: the destination would be hang up; after hours is extension 1002.
    for (const [service, why] of [['+4930200003', 'closed hours send the call after hours, to 1002'], ['+4930200004', 'open hours send the call to its destination, 1002']] as const) {
      const answered = answerOnce(sipp, phonePort);
      await new Promise((r) => setTimeout(r, 300));
      const bridged = next(sw, 'channel.bridged', (b) => b.destination === '1002');
      const call = await runSipp(sipp, { scenario: 'carrier-call', target: carrier, service, workDir: work });
      t.is(call.code, 0, `${why}:\n${call.output.slice(0, 1500)}`);
      t.is((await answered).code, 0, `${service}: extension 1002 took the call`);
      t.is((await bridged).callerNumber, '5551000');
    }
    t.deepEqual(t.context.fs.log().split('\n').filter((l) => /Timezone '.*' not found/.test(l)), [], 'FreeSWITCH knows the zone');
  });

  test.serial('real switch: a caller reaches a number bound to a flow, hears its spoken greeting and menu, presses 1 (RFC 2833) and is transferred to an extension', async (t) => {
    if (!sipp) return t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run'), t.pass();
    const { work, ports, sw, config } = t.context;
    // The flow as an admin builds it in the console: greeting → menu → 1: transfer to 1002, 2: goodbye.
    const { flows, admin, stop } = await flowsOnSwitch(sw, config.dataDir, { 2: '1002' }, undefined, t.context.calls.ledger);
    t.teardown(stop);
    const flow = flows.create({ name: 'Main line', fallbackKind: 'hangup' }, admin);
    t.is(flow.id, 1, 'the id the generated dialplan names');
    flows.updateNode(flow.id, 'n1', { name: 'Welcome', prompt_say: 'Welcome to Callbox.', next_next: 'n2' }, admin);
    flows.addNode(flow.id, { kind: 'menu', from: 'n1:next' }, admin);
    flows.updateNode(flow.id, 'n3', { name: 'Main menu', prompt_say: 'For sales, press 1. To hang up, press 2.', options: '1 Sales\n2 Goodbye', timeoutSeconds: '8', tries: '2', next_1: '', next_2: 'n2' }, admin);
    flows.addNode(flow.id, { kind: 'transfer', from: 'n3:1' }, admin);
    flows.updateNode(flow.id, 'n4', { name: 'Sales desk', target: 'extension', extensionId: '2' }, admin);
    t.is(flows.publish(flow.id, admin).version, 1);

    const phonePort = await deskPhone(t, sipp);
    const answered = answerOnce(sipp, phonePort);
    await new Promise((r) => setTimeout(r, 300));
    const played: string[] = [];
    const offPlay = sw.on('playback.started', (e) => played.push(e.file));
    t.teardown(offPlay);
    const entered = next(sw, 'channel.parked', (e) => e.destination === 'enter' && e.vars.flow_id === '1');
    const dtmf = next(sw, 'dtmf.received', () => true, 20_000);
    const bridged = next(sw, 'channel.bridged', (b) => b.destination === '1002' || b.callerNumber === '5551000', 20_000);
    // The caller's voice: a quiet tone, µ-law as a carrier sends it.
    const voice = join(work, 'caller-voice.wav');
    execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'u-law', voice, 'synth', '20', 'sine', '300', 'vol', '0.05']);
    const call = runSipp(sipp, { scenario: 'flow-call', replace: { DIGIT: '1', LISTEN_MS: '6000', STAY_MS: '3000', AUDIO: voice }, target: `127.0.0.1:${ports.external}`, service: '4930300005', workDir: work });
    const caller = await entered;
    t.is(caller.vars.dialed, '4930300005', 'the number dialled travels with the call into the flow');
    const hungup = next(sw, 'channel.hungup', (e) => e.uuid === caller.uuid, 30_000);
    t.is((await dtmf).digit, '1');
    await bridged;
    const done = await call;
    t.is(done.code, 0, `the caller walked the flow and hung up:\n${done.output.slice(0, 1500)}`);
    const took = await answered;
    t.is(took.code, 0, `extension 1002 took the transferred call:\n${took.output.slice(-2500)}`);
    const leg = await hungup;
    // 8 kHz audio in 20 ms packets: 50 a second. The greeting and the menu prompt take a few seconds.
    t.true((leg.media?.outPackets ?? 0) > 100, `the caller was sent the spoken prompts: ${JSON.stringify(leg.media)}`);
    t.true((leg.media?.dtmfPackets ?? 0) > 0, 'the key press arrived as RFC 2833 events');
    t.true(played.some((f) => f.includes('/sounds/tts/')), `the text-to-speech renderings played: ${played.join(' ')}`);
    const [run] = flows.runs.ofCall(caller.uuid);
    t.like(run, { flowId: 1, version: 1, outcome: 'transfer', detail: 'extension 1002', caller: '5551000', called: '4930300005' });
    t.deepEqual(run!.path.map((s) => [s.node, s.branch, s.digits.join('')]), [['n1', 'next', ''], ['n3', '1', '1'], ['n4', null, '']]);
    t.deepEqual(run!.path[1]!.played, ['For sales, press 1. To hang up, press 2.']);
    const record = await recordOnceEnded(t, caller.uuid);
    t.like(record, { direction: 'inbound', caller: '5551000', dialed: '4930300005', callee: '1002', outcome: 'answered' });
    t.is(record.flows[0]!.path.length, 3, 'the IVR path is on the record');
  });

  test.serial('real switch: with the controller away, a call to a flow\'s number goes straight to the flow\'s fallback destination', async (t) => {
    if (!sipp) return t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run'), t.pass();
    const { work, ports, sw } = t.context;
    const phonePort = await deskPhone(t, sipp);
    const answered = answerOnce(sipp, phonePort);
    await new Promise((r) => setTimeout(r, 300));
    let parked = false;
    const off = sw.on('channel.parked', (e) => (parked ||= e.destination === 'enter'));
    t.teardown(off);
    const bridged = next(sw, 'channel.bridged', (b) => b.callerNumber === '5551000', 20_000);
    // The lease lapses as if the controller had died; the client renews it within seconds, so call at once.
    await sw.api(commands.globalSetvar('callbox_lease', '0'));
    const call = await runSipp(sipp, { scenario: 'carrier-call', target: `127.0.0.1:${ports.external}`, service: '4930300005', workDir: work });
    t.is(call.code, 0, `the caller is answered by the fallback's extension:\n${call.output.slice(0, 1500)}`);
    t.is((await answered).code, 0, 'extension 1002, the flow\'s fallback, took the call');
    t.is((await bridged).callerNumber, '5551000');
    t.false(parked, 'the call never waited for a controller that was not there');
  });

  test.serial('real switch: a caller enters a queue from a flow; the first agent does not answer, the second does; the caller hangs up and the agent wraps up, then is ready', async (t) => {
    if (!sipp) return t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run'), t.pass();
    const { work, ports, sw } = t.context;
    const q = await queueOnSwitch(t, [{ strategy: 'sequential', ringTimeoutS: 3, wrapUpS: 2 }]);
    const [ann, bob] = [await agentPhone(t, sipp, '1001'), await agentPhone(t, sipp, '1002')];
    const rang = serveOnce(sipp, 'ring-no-answer', ann, work);
    const answered = answerOnce(sipp, bob);
    await new Promise((r) => setTimeout(r, 300));
    await until(() => Boolean(q.runner().acd.agent(1)?.deviceUp && q.runner().acd.agent(2)?.deviceUp), 5000);
    q.runner().login(1, 'test');
    q.runner().login(2, 'test');
    // When FreeSWITCH created each agent leg (its own event time): the INVITE to the phone leaves then.
    const legs: { agentId: string; at: number }[] = [];
    const offLegs = sw.on('channel.created', (e) => void (e.vars.agent_id && legs.push({ agentId: e.vars.agent_id, at: e.at })));
    t.teardown(offLegs);
    const entered = next(sw, 'channel.parked', (e) => e.destination === 'enter' && e.vars.flow_id === '1');
    const call = runSipp(sipp, { scenario: 'queue-call', replace: { STAY_MS: '9000', AUDIO: q.voice }, target: `127.0.0.1:${ports.external}`, service: '4930300005', workDir: work });
    const caller = (await entered).uuid;
    const bridged = next(sw, 'channel.bridged', (b) => b.aUuid === caller || b.bUuid === caller, 20_000);
    t.is((await rang).code, 0, `Ann's phone rang and was not answered:\n${(await rang).output.slice(0, 1500)}`);
    await bridged;
    t.is(q.runner().acd.agent(1)?.state, 'not_ready');
    t.is(q.runner().acd.agent(1)?.reason, 'Missed call');
    t.is(q.runner().acd.agent(2)?.state, 'talking');
    const done = await call;
    t.is(done.code, 0, `the caller waited, talked and hung up:\n${done.output.slice(0, 1500)}`);
    t.is((await answered).code, 0, 'Bob answered and was hung up when the caller left');
    await until(() => q.runner().acd.agent(2)?.state === 'ready', 6000);
    const wrap = q.ledger.forAgent(2).filter((e) => e.kind === 'agent.state' && (e.data.to === 'wrap_up' || e.data.from === 'wrap_up'));
    t.is(wrap.length, 2, 'Bob wrapped up, then was ready');
    t.true(wrap[0]!.at - wrap[1]!.at >= 2000, `the wrap-up lasted the queue's 2 s: ${wrap[0]!.at - wrap[1]!.at} ms`);
    const kinds = q.ledger.forCall(caller).map((e) => `${e.kind}${e.agentId ? `:${e.agentId}` : ''}`);
    t.deepEqual(kinds.filter((k) => k.startsWith('queue.') && !k.startsWith('queue.end')), ['queue.entered', 'queue.offer:1', 'queue.missed:1', 'queue.offer:2', 'queue.answered:2']);
    t.is(q.ledger.forCall(caller).find((e) => e.kind === 'queue.missed')?.data.cause, 'NO_ANSWER');
    // On the wire: the caller entered the queue → Ann's leg (her INVITE); Ann's ring-no-answer → Bob's leg.
    const at = (kind: string) => q.ledger.forCall(caller).find((e) => e.kind === kind)!.at;
    const toFirst = legs[0]!.at - at('queue.entered');
    const toSecond = legs[1]!.at - at('queue.missed');
    t.log(`caller enqueued → first agent leg created: ${toFirst} ms; first agent's no-answer → second agent leg: ${toSecond} ms`);
    t.true(toFirst < 50 && toSecond < 50, `offers leave at once: ${toFirst} ms, ${toSecond} ms`);
    t.is(q.ledger.forCall(caller).find((e) => e.kind === 'queue.end')?.data.by, 'caller');
    const bobStates = q.ledger.forAgent(2).filter((e) => e.kind === 'agent.state').map((e) => e.data.to).reverse();
    t.deepEqual(bobStates, ['ready', 'reserved', 'talking', 'wrap_up', 'ready']);
    const record = await recordOnceEnded(t, caller, q.record);
    t.like(record, { direction: 'inbound', queueId: 1, outcome: 'answered', hangupSide: 'customer' });
    t.like(record.agents.find((a) => a.agentId === 1), { missed: true, talkMs: 0 });
    const bobOnRecord = record.agents.find((a) => a.agentId === 2)!;
    t.true(bobOnRecord.talkMs > 0 && bobOnRecord.wrapMs >= 2000, `Bob talked and wrapped up: ${JSON.stringify(bobOnRecord)}`);
    t.is(record.flows.length, 1);
  });

  test.serial('real switch: the controller restarts while a caller waits in a queue; the new one finds them and delivers them to an agent', async (t) => {
    if (!sipp) return t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run'), t.pass();
    const { work, ports, sw, config } = t.context;
    const q = await queueOnSwitch(t, [{ strategy: 'longest_idle', ringTimeoutS: 10, wrapUpS: 0 }]);
    const bob = await agentPhone(t, sipp, '1002');
    await until(() => Boolean(q.runner().acd.agent(2)?.deviceUp), 5000);
    q.runner().login(2, 'test');
    q.runner().notReady(2, 'Lunch', 'test');
    const entered = next(sw, 'channel.parked', (e) => e.destination === 'enter' && e.vars.flow_id === '1');
    const call = runSipp(sipp, { scenario: 'queue-call', replace: { STAY_MS: '12000', AUDIO: q.voice }, target: `127.0.0.1:${ports.external}`, service: '4930300005', workDir: work });
    const caller = (await entered).uuid;
    await until(() => q.runner().acd.waiting(1).length === 1, 8000);
    // The controller dies: its process and its event-socket connection are gone. A new one starts over the same database.
    const restarted = await q.restart(config);
    t.deepEqual(restarted.acd.waiting(1).map((w) => w.callId), [caller], 'the waiting caller was found again');
    t.is(restarted.acd.agent(2)?.state, 'not_ready', 'the agent state was restored');
    const answered = answerOnce(sipp, bob);
    await new Promise((r) => setTimeout(r, 300));
    const bridged = next(restarted.sw, 'channel.bridged', (b) => b.aUuid === caller || b.bUuid === caller, 15_000);
    restarted.ready(2, 'test');
    await bridged;
    t.is((await call).code, 0, 'the caller was delivered and hung up');
    t.is((await answered).code, 0, 'Bob took the call after the restart');
    t.deepEqual(q.ledger.forCall(caller).map((e) => e.kind).filter((k) => k.startsWith('queue.') && k !== 'queue.end'), ['queue.entered', 'queue.entered', 'queue.offer', 'queue.answered']);
  });

  test.serial('real switch: the agent holds the caller (music), takes them back, then transfers them blind to another phone; the agent is freed', async (t) => {
    if (!sipp) return t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run'), t.pass();
    const { sw } = t.context;
    const { q, calls, annAnswers, targetAnswers, call, caller, leg } = await annTalking(t, sipp, 14000);
    // Hold: the caller leaves the bridge and hears the music; Ann's leg stays up, parked.
    await calls.hold(1, 'agent ann');
    const row = async (uuid: string) => (JSON.parse(await sw.api(commands.showChannels())) as { rows?: { uuid: string; application: string; application_data: string }[] }).rows?.find((r) => r.uuid === uuid);
    await until(async () => (await row(caller))?.application_data === 'local_stream://moh', 5000);
    t.is((await row(caller))?.application, 'playback', 'the caller hears the hold music');
    t.truthy(await row(leg), 'the agent leg is still up');
    t.is(q.runner().acd.agent(1)?.state, 'held');
    const back = next(sw, 'channel.bridged', (b) => (b.aUuid === caller && b.bUuid === leg) || (b.aUuid === leg && b.bUuid === caller), 5000);
    await calls.unhold(1, 'agent ann');
    await back;
    t.is(q.runner().acd.agent(1)?.state, 'talking');
    // Blind transfer to extension 1002: the caller is bridged to it, Ann's phone is hung up and she is free.
    const toTarget = next(sw, 'channel.bridged', (b) => (b.aUuid === caller || b.bUuid === caller) && b.aUuid !== leg && b.bUuid !== leg, 10_000);
    await calls.transfer(1, { kind: 'extension', number: '1002' }, 'agent ann');
    await toTarget;
    t.is((await annAnswers).code, 0, `Ann's phone was hung up after the transfer:\n${(await annAnswers).output.slice(0, 1500)}`);
    await until(() => q.runner().acd.agent(1)?.state === 'ready', 5000);
    t.is((await call).code, 0, 'the caller talked to 1002 and hung up');
    t.is((await targetAnswers).code, 0, '1002 took the transferred call');
    const kinds = q.ledger.forCall(caller).map((e) => e.kind);
    t.deepEqual(kinds.filter((k) => k.startsWith('call.')), ['call.hold', 'call.unhold', 'call.transfer']);
    t.is(q.ledger.forCall(caller).find((e) => e.kind === 'queue.end')?.data.by, 'transfer');
    const record = await recordOnceEnded(t, caller, q.record);
    t.is(record.transfers.length, 1);
    t.true(record.agents[0]!.holdMs > 0, 'the hold is on the record');
    t.true(record.legs.some((l) => l.destination === '1002'), 'the leg to 1002 is part of the call');
    t.is(record.flows.length, 1, 'putting the caller on hold (a park) did not run their flow again');
  });

  test.serial('real switch: the agent consults another phone while the caller hears music, then makes it a three-way call', async (t) => {
    if (!sipp) return t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run'), t.pass();
    const { sw } = t.context;
    const { q, calls, annAnswers, targetAnswers, call, caller, leg } = await annTalking(t, sipp, 12000);
    const consulted = next(sw, 'channel.bridged', (b) => (b.aUuid === leg || b.bUuid === leg) && b.aUuid !== caller && b.bUuid !== caller, 10_000);
    await calls.consult(1, { kind: 'extension', number: '1002' }, 'agent ann');
    await consulted.catch(async (e: Error) => {
      // Say what the call did and what 1002's phone saw, not only that no bridge came.
      const phone = await targetAnswers;
      throw new Error(`${e.message}\nledger: ${JSON.stringify(q.ledger.forCall(caller).map((x) => [x.kind, x.data]))}\ncall controls: ${controlsLog.join('\n')}\n1002 (${phone.code}): ${phone.output.slice(0, 1500)}\nFreeSWITCH: ${t.context.fs.log().slice(-3000)}`);
    });
    await until(() => calls.desk(1)?.consult?.answered === true, 5000);
    t.is(q.runner().acd.agent(1)?.state, 'held', 'the caller waits on hold while Ann consults');
    await calls.conference(1, 'agent ann');
    const room = q.ledger.forCall(caller).find((e) => e.kind === 'call.conference')!.data.room as string;
    let members = '';
    await until(async () => ((members = await sw.api(commands.conferenceCount(room)).catch(() => '')), members.trim() === '3'), 5000);
    t.is(members.trim(), '3', `three people in room ${room}`);
    // The caller hangs up (sipp's stay ends): the three-way is over for Ann too, and the room ends for 1002.
    t.is((await call).code, 0, 'the caller was in the three-way call and hung up');
    t.is((await annAnswers).code, 0, 'Ann was in the room and was hung up when the caller left');
    t.is((await targetAnswers).code, 0, '1002 was hung up when the room ended');
    await until(() => q.runner().acd.agent(1)?.state === 'ready', 5000);
    t.deepEqual(q.ledger.forCall(caller).map((e) => e.kind).filter((k) => k.startsWith('call.')), ['call.hold', 'call.consult', 'call.conference']);
    const record = await recordOnceEnded(t, caller, q.record);
    t.deepEqual(record.conferences.map((c) => c.room), [room]);
    t.like(record, { outcome: 'answered', hangupSide: 'customer' });
    t.is(record.flows.length, 1, 'the hold for the consultation did not run the caller\'s flow again');
  });

  test.serial('real switch: a changed trunk replaces its running gateway (killgw, then rescan), without restarting the profile', async (t) => {
    const { sw, config } = t.context;
    const db = openDatabase(':memory:');
    await migrate(db, { migrations: await loadMigrations(), backupDir: null, clock: systemClock, log: silentLogger() });
    const before = t.context.data();
    const data = () => ({ ...before, trunks: before.trunks.map((x) => (x.id === 2 ? { ...x, expirySeconds: 345 } : x)) });
    const r = await new ConfigPublisher({ db, clock: systemClock, log: silentLogger(), config, sw, confDir: config.freeswitch.confDir, data }).publish('trunk changed', 'test');
    db.close();
    t.is(r.status, 'applied', r.error ?? '');
    t.deepEqual(r.changed, ['sip_profiles/external/gateways.xml']);
    t.deepEqual(r.actions, ['reloadxml', 'sofia profile external killgw trunk_2', 'sofia profile external rescan']);
    let status = '';
    for (let i = 0; i < 50 && !status.includes('<expires>345</expires>'); i++) {
      await new Promise((res) => setTimeout(res, 100));
      status = await sw.api(commands.sofiaGateway('trunk_2')).catch(() => '');
    }
    t.true(status.includes('<expires>345</expires>'), `the running gateway has the new expiry:\n${status.slice(0, 600)}`);
    const ip = await sw.api(commands.sofiaGateway('trunk_1'));
    t.true(ip.includes('<name>trunk_1</name>'), 'the unchanged trunk is still there');
    // Late in the run, after pings every 30 s, the IP trunk is still up: the carrier answered them all.
    t.regex(ip, /<status>UP<\/status>/, ip.slice(0, 1200));
    t.log(`trunk_1 after the run: ${/<pingtime>[^<]*<\/pingtime>/.exec(ip)?.[0] ?? 'no pingtime'}, ${/<uptime-usec>[^<]*<\/uptime-usec>/.exec(ip)?.[0] ?? ''}`);
  });
}

/** Extension 1002 registers from a sipp phone on a free port, which then answers with answerOnce. */
async function deskPhone(t: ExecutionContext<Ctx>, sipp: string): Promise<number> {
  const { work, ports } = t.context;
  const port = await freePort();
  const reg = await runSipp(sipp, { scenario: 'register', target: `127.0.0.1:${ports.internal}`, service: '1002', port, args: ['-au', '1002', '-ap', EXTENSIONS[1]!.sipPassword], workDir: work });
  t.is(reg.code, 0, `1002 registers:\n${reg.output.slice(0, 1500)}`);
  return port;
}

/** Extension `ext` registers from a sipp phone on a free port (then a second sipp answers, or rings, there). */
async function agentPhone(t: ExecutionContext<Ctx>, sipp: string, ext: string): Promise<number> {
  const { work, ports } = t.context;
  const port = await freePort();
  const password = EXTENSIONS.find((e) => e.number === ext)!.sipPassword;
  const reg = await runSipp(sipp, { scenario: 'register', target: `127.0.0.1:${ports.internal}`, service: ext, port, args: ['-au', ext, '-ap', password], workDir: work });
  t.is(reg.code, 0, `${ext} registers:\n${reg.output.slice(0, 1500)}`);
  return port;
}

/**
 * Queue 1 (Sales) with agents Ann (1001) and Bob (1002), and flow 1 (+4930300005): "Please hold." then the queue.
 * The ACD runs over a database file, so a restart (a new runner on a new event-socket connection) finds what the
 * old one left.
 */
async function queueOnSwitch(t: ExecutionContext<Ctx>, queues: Parameters<typeof acdOnSwitch>[0]['queues']) {
  const { work, sw, config } = t.context;
  const file = join(work, `acd-${Date.now()}.db`);
  const db = openDatabase(file);
  await migrate(db, { migrations: await loadMigrations(), backupDir: null, clock: systemClock, log: silentLogger() });
  const saved = new Map<number, SavedAgentState>();
  const agents = [
    { id: 1, name: 'Ann', extension: '1001' },
    { id: 2, name: 'Bob', extension: '1002' },
  ];
  const tracker = (s: SwitchPort) => new RegistrationTracker(s, silentLogger(), () => Date.now());
  let runner = acdOnSwitch({ sw, db, phones: tracker(sw), queues, agents, saved });
  let restartedSw: EslSwitch | null = null;
  const records = recordsOnSwitch(sw, db);
  const flowsSide = await flowsOnSwitch(sw, config.dataDir, {}, { names: { 1: 'Sales' }, enter: (c) => runner.enter(c) }, records.ledger);
  const { flows, admin } = flowsSide;
  const flow = flows.create({ name: 'Queue line', fallbackKind: 'hangup' }, admin);
  flows.updateNode(flow.id, 'n1', { name: 'Hold', prompt_say: 'Please hold.', next_next: '' }, admin);
  flows.deleteNode(flow.id, 'n2', admin);
  const added = flows.addNode(flow.id, { kind: 'transfer', from: 'n1:next' }, admin);
  flows.updateNode(flow.id, added.node, { name: 'Sales queue', target: 'queue', queueId: '1', priority: '0' }, admin);
  t.is(flows.publish(flow.id, admin).version, 1);
  const voice = join(work, 'queue-caller-voice.wav');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'u-law', voice, 'synth', '30', 'sine', '300', 'vol', '0.05']);
  t.teardown(async () => {
    runner.stop();
    flowsSide.stop();
    records.stop();
    // A stopping controller gives its lease back; the test's own connection holds the switch again at once, or the
    // next test's calls would go to their fallbacks until its next renewal.
    if (restartedSw) {
      await restartedSw.stop();
      await sw.api(commands.globalSetvar(LEASE_VARIABLE, String(Math.floor(Date.now() / 1000) + 15)));
    }
    db.close();
  });
  return {
    voice,
    ledger: new Ledger(db),
    record: records.record,
    runner: () => runner,
    async restart(cfg: Config) {
      runner.stop();
      const fresh = new EslSwitch({ host: '127.0.0.1', port: cfg.esl.port, password: cfg.esl.password, log: createLogger('warn'), clock: systemClock, backoff: { firstMs: 100, maxMs: 500 } });
      const phones = tracker(fresh);
      fresh.start();
      await until(() => fresh.isConnected, 10_000);
      restartedSw = fresh;
      runner = acdOnSwitch({ sw: fresh, db, phones, queues, agents, saved: new Map(saved) });
      await until(() => runner.acd.waiting(1).length > 0, 5000).catch(() => undefined);
      return Object.assign(runner, { sw: fresh });
    },
  };
}

/** A call's record once every one of its legs has ended (from the run's records, or a queue test's). */
async function recordOnceEnded(t: ExecutionContext<Ctx>, callId: string, record: (id: string) => CallRecord | null = (id) => t.context.calls.record(id)): Promise<CallRecord> {
  await until(() => Boolean(record(callId)?.endedAt), 10_000, () => `the record of ${callId} to end: ${JSON.stringify(record(callId))}`);
  return record(callId)!;
}

/**
 * Ann (1001) and a second phone (1002) registered and answering; a caller sent by flow 1 into the queue is bridged
 * to Ann, who has her call controls.
 */
async function annTalking(t: ExecutionContext<Ctx>, sipp: string, stayMs: number) {
  const { work, ports, sw } = t.context;
  const q = await queueOnSwitch(t, [{ strategy: 'longest_idle', ringTimeoutS: 10, wrapUpS: 0 }]);
  const calls = callsOnSwitch(t, q);
  const [ann, target] = [await agentPhone(t, sipp, '1001'), await agentPhone(t, sipp, '1002')];
  const annAnswers = answerOnce(sipp, ann);
  const targetAnswers = answerOnce(sipp, target);
  await new Promise((r) => setTimeout(r, 300));
  await until(() => Boolean(q.runner().acd.agent(1)?.deviceUp), 5000);
  q.runner().login(1, 'test');
  const entered = next(sw, 'channel.parked', (e) => e.destination === 'enter' && e.vars.flow_id === '1');
  const call = runSipp(sipp, { scenario: 'queue-call', replace: { STAY_MS: String(stayMs), AUDIO: q.voice }, target: `127.0.0.1:${ports.external}`, service: '4930300005', workDir: work });
  const caller = (await entered).uuid;
  await next(sw, 'channel.bridged', (b) => b.aUuid === caller || b.bUuid === caller, 15_000);
  return { q, calls, annAnswers, targetAnswers, call, caller, leg: q.runner().talkOfAgent(1)!.leg };
}

/** What the call controls of the running test logged (a failure shows it). */
const controlsLog: string[] = [];

/** Ann's (agent 1, extension 1001) call controls over the real switch; extension 1002 is a transfer target. */
function callsOnSwitch(t: ExecutionContext<Ctx>, q: Awaited<ReturnType<typeof queueOnSwitch>>, o: { callerIds?: string[] } = {}): AgentCalls {
  controlsLog.length = 0;
  const calls = new AgentCalls({
    sw: t.context.sw,
    runner: q.runner(),
    ledger: q.ledger,
    clock: systemClock,
    log: createLogger('debug', new Writable({ write: (chunk: Buffer, _enc, done) => (controlsLog.push(chunk.toString().trim()), done()) })),
    dir: {
      device: (id) => (id === 1 ? { kind: 'extension', extensionId: 1, extension: '1001' } : null),
      callClass: () => 'national',
      callerIds: () => o.callerIds ?? [],
      agentName: () => null,
      queueName: (id) => (id === 1 ? 'Sales' : null),
      flowName: () => null,
      extensionExists: (n) => n === '1002',
      music: () => 'local_stream://moh',
    },
  });
  calls.start();
  t.teardown(() => calls.stop());
  return calls;
}
