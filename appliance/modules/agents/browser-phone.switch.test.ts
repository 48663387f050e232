import anyTest, { type TestFn } from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { systemClock } from '../../clock.js';
import { emptyModelData, voiceDirectory, type ModelData } from '../../confgen/model.js';
import { ConfigPublisher } from '../../confgen/publish.js';
import { openDatabase } from '../../db/database.js';
import { loadMigrations, migrate } from '../../db/migrate.js';
import { commands } from '../../freeswitch/commands.js';
import { EslSwitch } from '../../freeswitch/esl-switch.js';
import { FakeSwitch } from '../../freeswitch/testing/fake-switch.js';
import { findFreeswitch, findSipp, freePort, next, runSipp, startFreeswitch, until, type RunningSwitch } from '../../freeswitch/testing/real-switch.js';
import { createLogger, silentLogger } from '../../logger.js';
import { hasChromium, launchBrowser, screenshotPath } from '../../test/browser.js';
import { startTestServer } from '../../test/http-client.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';
import { RegistrationTracker } from '../extensions/registrations.js';
import { flowsOnSwitch } from '../flows/testing/on-switch.js';
import { Ledger } from '../ledger/ledger.js';
import { ensureSystemPrompts } from '../prompts/system-prompts.js';
import { acdOnSwitch } from '../queues/testing/on-switch.js';
import { recordsOnSwitch } from '../records/testing/on-switch.js';

const bin = findFreeswitch();
const sipp = findSipp();

interface Ctx {
  work: string;
  ctx: TestContext;
  fs: RunningSwitch;
  sw: EslSwitch;
  ports: { internal: number; external: number; ws: number };
}
const test = anyTest as TestFn<Ctx>;

if (!bin || !sipp || !hasChromium) {
  test('real switch: browser phone SKIPPED', (t) => {
    const why = [!bin && 'no FreeSWITCH binary (set FREESWITCH_BIN or put freeswitch on the PATH)', !sipp && 'no sipp (Debian package sip-tester)', !hasChromium && 'no Chromium'].filter(Boolean).join('; ');
    console.log(`real-switch browser phone test SKIPPED: ${why}`);
    t.log(why);
    t.pass();
  });
} else {
  test.before(async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'callbox-browserphone-'));
    const [eslPort, internal, external, ws] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const rtpStartPort = 32000 + Math.floor(Math.random() * 2000) * 10;
    // The console's side: Ann is an agent whose extension 1001 allows a browser phone.
    const ctx = await makeTestContext({
      esl: { host: '127.0.0.1', port: eslPort, password: 'browserphone-test-pw' },
      // The console's own publisher writes here (its debounced publish after each change): FreeSWITCH reads ./conf.
      freeswitch: { confDir: join(work, 'console-conf'), sipIp: '127.0.0.1', internalSipPort: internal, externalSipPort: external, wsPort: ws, rtpStartPort, rtpEndPort: rtpStartPort + 100 },
    });
    const ann = await ctx.addUser('ann', 'agent');
    const { extension, sipPassword } = ctx.extensions.create({ number: '1001', displayName: 'Ann Browser', isEnabled: 'on', browserPhone: 'on' }, testActor);
    await ctx.agents.create({ userId: String(ann.id), number: '201', deviceKind: 'extension', extensionId: String(extension.id) }, testActor);
    // The switch's side: the same extension and password, an IP trunk from loopback and a number running flow 1.
    const data = (): ModelData => ({
      ...emptyModelData(),
      extensions: [{ number: '1001', displayName: 'Ann Browser', sipPassword, dnd: false, isEnabled: true, callClass: 'national' }],
      trunks: [{ id: 1, authMode: 'ip', host: '127.0.0.1', port: 5060, transport: 'udp', username: null, password: null, realm: null, expirySeconds: 600, fromUser: null, fromDomain: null, allowedCidrs: ['127.0.0.1/32'], codecs: ['PCMU', 'PCMA'], dtmfMode: 'rfc2833', maxCalls: 5, isEnabled: true, contactSecret: null }],
      numbers: [{ id: 5, number: '+4930300005', trunkId: 1, isInbound: true, destinationKind: 'flow', extension: null, flowId: 1 }],
      flows: [{ id: 1, fallbackKind: 'hangup', fallbackExtension: null }],
    });
    const db = openDatabase(':memory:');
    await migrate(db, { migrations: await loadMigrations(), backupDir: null, clock: systemClock, log: silentLogger() });
    const offline = new FakeSwitch();
    offline.setConnected(false);
    const config = { ...ctx.config, freeswitch: { ...ctx.config.freeswitch, confDir: join(work, 'conf') } };
    const published = await new ConfigPublisher({ db, clock: systemClock, log: silentLogger(), config, sw: offline, confDir: config.freeswitch.confDir, data }).publish('browser phone test', 'test');
    db.close();
    if (published.status !== 'applied') throw new Error(`publish failed: ${published.error}`);
    await ensureSystemPrompts(voiceDirectory(ctx.config), silentLogger());
    const fs = await startFreeswitch(bin, config.freeswitch.confDir, join(work, 'fs'), eslPort);
    const sw = new EslSwitch({ host: '127.0.0.1', port: eslPort, password: ctx.config.esl.password, log: createLogger('warn'), clock: systemClock, backoff: { firstMs: 100, maxMs: 500 } });
    sw.start();
    await until(() => sw.isConnected, 15_000);
    t.context = { work, ctx, fs, sw, ports: { internal, external, ws } };
  });
  test.after.always(async (t) => {
    await t.context.sw?.stop();
    await t.context.fs?.stop();
    t.context.ctx?.close();
    if (t.context.work) rmSync(t.context.work, { recursive: true, force: true });
  });

  test.serial('real switch: a browser phone registers through the proxy, takes a queue call and media flows both ways; its hangup ends the talk', async (t) => {
    const { work, ctx, sw, ports, fs } = t.context;
    // The ACD over the real switch: agent 1 (Ann) on extension 1001; queue 1 (Sales) entered from flow 1.
    const acdDb = openDatabase(join(work, 'acd.db'));
    await migrate(acdDb, { migrations: await loadMigrations(), backupDir: null, clock: systemClock, log: silentLogger() });
    const runner = acdOnSwitch({ sw, db: acdDb, phones: new RegistrationTracker(sw, silentLogger(), () => Date.now()), queues: [{ strategy: 'longest_idle', ringTimeoutS: 15, wrapUpS: 2 }], agents: [{ id: 1, name: 'Ann', extension: '1001' }], saved: new Map() });
    // The call's record, from the same ledger the ACD and the flow write to.
    const records = recordsOnSwitch(sw, acdDb);
    const flowsSide = await flowsOnSwitch(sw, ctx.config.dataDir, {}, { names: { 1: 'Sales' }, enter: (c) => runner.enter(c) }, records.ledger);
    const flow = flowsSide.flows.create({ name: 'Queue line', fallbackKind: 'hangup' }, flowsSide.admin);
    flowsSide.flows.updateNode(flow.id, 'n1', { name: 'Hold', prompt_say: 'Please hold.', next_next: '' }, flowsSide.admin);
    flowsSide.flows.deleteNode(flow.id, 'n2', flowsSide.admin);
    const added = flowsSide.flows.addNode(flow.id, { kind: 'transfer', from: 'n1:next' }, flowsSide.admin);
    flowsSide.flows.updateNode(flow.id, added.node, { name: 'Sales queue', target: 'queue', queueId: '1', priority: '0' }, flowsSide.admin);
    flowsSide.flows.publish(flow.id, flowsSide.admin);
    const voice = join(work, 'caller-voice.wav');
    execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'u-law', voice, 'synth', '30', 'sine', '300', 'vol', '0.2']);

    const server = await startTestServer(ctx);
    const browser: Browser = await launchBrowser();
    t.teardown(async () => {
      await browser.close();
      await server.close();
      runner.stop();
      records.stop();
      flowsSide.stop();
      acdDb.close();
    });

    const page: Page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.base}/login`);
    await page.fill('#f-username', 'ann');
    await page.fill('#f-password', 'correct horse battery');
    await page.click('main form button[type=submit]');
    await page.waitForURL(`${server.base}/agent`);
    await page.goto(`${server.base}/agent/phone-check`);
    await page.waitForFunction(() => Boolean((window as unknown as { CallboxPhone?: unknown }).CallboxPhone && (window as unknown as { JsSIP?: unknown }).JsSIP));

    // The phone starts and registers through the proxy; the page keeps every event with its time.
    const registerMs = await page.evaluate(async () => {
      const w = window as unknown as { CallboxPhone: any; phoneEvents: { name: string; at: number; data: any }[] };
      w.phoneEvents = [];
      for (const name of ['status', 'incoming', 'answered', 'ended']) w.CallboxPhone.on(name, (data: unknown) => w.phoneEvents.push({ name, at: Date.now(), data }));
      const t0 = performance.now();
      await w.CallboxPhone.start();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not registered: ${JSON.stringify(w.CallboxPhone.state())}`)), 10_000);
        const check = () => (w.CallboxPhone.state().state === 'registered' ? (clearTimeout(timer), resolve()) : setTimeout(check, 10));
        check();
      });
      return Math.round(performance.now() - t0);
    });
    t.is(server.sipProxy.openSockets, 1, 'the phone is connected through the proxy');
    // FreeSWITCH's own list (sofia writes it to the core's table a moment after the 200 OK).
    let regs: { rows?: { reg_user: string; url: string; network_ip: string }[] } = {};
    for (let i = 0; i < 40 && !regs.rows?.some((r) => r.reg_user === '1001'); i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      regs = JSON.parse(await sw.api(commands.showRegistrations())) as typeof regs;
    }
    const reg = regs.rows?.find((r) => r.reg_user === '1001');
    t.truthy(reg, `FreeSWITCH has 1001 registered: ${JSON.stringify(regs)}\n${await sw.api(commands.sofiaStatus())}`);
    t.regex(reg!.url, /transport=ws/, 'over the WebSocket');
    t.is(reg!.network_ip, '127.0.0.1', 'from the proxy on loopback');
    await until(() => Boolean(runner.acd.agent(1)?.deviceUp), 5000);
    runner.login(1, 'test');
    t.is(runner.acd.agent(1)?.state, 'ready');

    const legs: { uuid: string; at: number }[] = [];
    t.teardown(sw.on('channel.created', (e) => void (e.vars.agent_id && legs.push({ uuid: e.uuid, at: e.at }))));
    const entered = next(sw, 'channel.parked', (e) => e.destination === 'enter' && e.vars.flow_id === '1');
    const call = runSipp(sipp, { scenario: 'queue-call', replace: { STAY_MS: '30000', AUDIO: voice }, target: `127.0.0.1:${ports.external}`, service: '4930300005', workDir: work });
    const caller = (await entered.catch(async (e: Error) => {
      const r = await call;
      throw new Error(`${e.message}\nsipp (${r.code}): ${r.output.slice(0, 1500)}\nFreeSWITCH: ${fs.log().slice(-4000)}`);
    })).uuid;
    const bridged = next(sw, 'channel.bridged', (b) => b.aUuid === caller || b.bUuid === caller, 20_000);

    // The offer reaches the browser as a ringing call, which it answers.
    await page.waitForFunction(() => (window as unknown as { phoneEvents: { name: string }[] }).phoneEvents.some((e) => e.name === 'incoming'), undefined, { timeout: 15_000 });
    const incoming = await page.evaluate(() => (window as unknown as { phoneEvents: { name: string; at: number; data: any }[] }).phoneEvents.find((e) => e.name === 'incoming')!);
    t.is(incoming.data.callerNumber, '5551000');
    t.false(incoming.data.autoAnswer, 'a queue offer rings; it is not answered by itself');
    const answeredAt = Date.now();
    await page.evaluate(() => (window as unknown as { CallboxPhone: { answer(): Promise<void> } }).CallboxPhone.answer());
    await page.waitForFunction(() => (window as unknown as { phoneEvents: { name: string }[] }).phoneEvents.some((e) => e.name === 'answered'), undefined, { timeout: 10_000 });
    await bridged;
    t.is(runner.acd.agent(1)?.state, 'talking');
    // The first packet from FreeSWITCH reaches the browser.
    const firstRtpAt = await page.evaluate(async () => {
      const P = (window as unknown as { CallboxPhone: { stats(): Promise<{ packetsReceived: number } | null> } }).CallboxPhone;
      for (let i = 0; i < 500; i++) {
        const s = await P.stats();
        if (s && s.packetsReceived > 0) return Date.now();
        await new Promise((r) => setTimeout(r, 10));
      }
      return null;
    });
    await page.waitForTimeout(3000);
    const stats = await page.evaluate(() => (window as unknown as { CallboxPhone: { stats(): Promise<unknown> } }).CallboxPhone.stats()) as { packetsSent: number; packetsReceived: number; codec: string | null };
    t.true(stats.packetsReceived > 50, `the browser received audio: ${JSON.stringify(stats)}`);
    t.true(stats.packetsSent > 50, `the browser sent audio: ${JSON.stringify(stats)}`);
    const agentLeg = legs[0]!.uuid;
    await sw.api(commands.uuidSetMediaStats(agentLeg));
    const fromBrowser = Number((await sw.api(commands.uuidGetvar(agentLeg, 'rtp_audio_in_packet_count'))).trim());
    const toBrowser = Number((await sw.api(commands.uuidGetvar(agentLeg, 'rtp_audio_out_packet_count'))).trim());
    t.true(fromBrowser > 50, `FreeSWITCH received RTP from the browser on the agent leg: ${fromBrowser}`);
    t.true(toBrowser > 50, `FreeSWITCH sent RTP to the browser on the agent leg: ${toBrowser}`);
    await page.screenshot({ path: screenshotPath('browser-phone-switch-01-talking') });

    // The agent hangs up in the browser: the ACD sees the talk end, and the agent wraps up.
    const ended = next(sw, 'channel.hungup', (e) => e.uuid === caller, 10_000);
    await page.evaluate(() => (window as unknown as { CallboxPhone: { hangup(): void } }).CallboxPhone.hangup());
    await ended;
    await until(() => runner.acd.agent(1)?.state === 'wrap_up' || runner.acd.agent(1)?.state === 'ready', 5000);
    const ledger = new Ledger(acdDb);
    const kinds = ledger.forCall(caller).map((e) => e.kind);
    t.true(kinds.includes('queue.answered'), kinds.join(', '));
    t.true(kinds.includes('queue.end'), kinds.join(', '));
    t.is(ledger.forCall(caller).find((e) => e.kind === 'queue.end')?.data.by, 'agent');
    const phoneEvents = await page.evaluate(() => (window as unknown as { phoneEvents: { name: string; data: any }[] }).phoneEvents);
    t.true(phoneEvents.some((e) => e.name === 'ended'));
    // The call's record says what happened: in through the flow, answered in the browser by Ann, who hung up.
    await until(() => Boolean(records.record(caller)?.endedAt), 10_000, () => `the record of ${caller} to end: ${JSON.stringify(records.record(caller))}`);
    const record = records.record(caller)!;
    t.like(record, { direction: 'inbound', caller: '5551000', dialed: '4930300005', numberId: 5, trunkId: 1, queueId: 1, outcome: 'answered', hangupSide: 'agent' });
    t.is(record.flows[0]?.path.length, 2, `the flow's two nodes: ${JSON.stringify(record.flows)}`);
    t.is(record.agents.length, 1);
    t.like(record.agents[0], { agentId: 1, missed: false });
    t.true(record.agents[0]!.talkMs >= 3000, `Ann talked for the 3 s the test waited: ${record.agents[0]!.talkMs} ms`);
    t.true(record.legs.some((l) => l.uuid === agentLeg), 'the browser phone\'s leg is one of the call\'s legs');
    const sippResult = await call;
    t.log(`sipp caller ended with code ${sippResult.code} (the agent hung up first, so its BYE came from the switch)`);

    const offeredAt = legs[0]!.at;
    t.log(`register through the proxy: ${registerMs} ms; agent leg created → browser ringing: ${incoming.at - Math.round(offeredAt)} ms; answer → first RTP in the browser: ${firstRtpAt === null ? 'none' : firstRtpAt - answeredAt} ms; codec ${stats.codec}; browser sent ${stats.packetsSent}, received ${stats.packetsReceived}; FreeSWITCH agent leg in ${fromBrowser}, out ${toBrowser}`);
    t.deepEqual(errors, []);
    t.deepEqual(fs.log().split('\n').filter((l) => /\[(ERR|CRIT)\].*(sofia|rtp|dtls|ice|srtp)/i.test(l)).slice(0, 10), [], 'no media or SIP errors in the switch log');
    t.false(fs.log().includes('NO candidate ACL defined'), 'the internal profile names the candidate ACLs (the default, wan.auto alone, refuses LAN browsers)');
  });
}
