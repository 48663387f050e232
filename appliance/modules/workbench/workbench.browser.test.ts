import test from 'ava';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame, Page } from 'playwright-core';
import { hangupInfo } from '../../freeswitch/testing/events.js';
import { chromiumPath, hasChromium, launchBrowser, mustHaveBrowser, screenshotPath } from '../../test/browser.js';
import { startTestServer } from '../../test/http-client.js';
import { makeTestContext, testActor } from '../../test/make-test-context.js';
import { acdFixtures, queueForm } from '../queues/testing/fixtures.js';
import { HUAWEI_SDK_PATH } from '../screenpop/index.js';

const CALLER = '66666666-6666-4666-8666-666666666666';

/** A CRM written for Huawei's contract: a customer page (GET pop) that dials with `callout`, and an SDK page. */
const CUSTOMER = `<!doctype html><title>Customer</title><h1>Customer card</h1><p id="q"></p><script>
  document.getElementById('q').textContent = location.search;
  function originParam() {
    var q = location.href.substring(location.href.indexOf('?') + 1).split('#')[0].split('&');
    for (var i = 0; i < q.length; i++) { var kv = q[i].split('='); if (kv[0] === 'origin') return kv[1]; }
  }
  window.replies = [];
  window.addEventListener('message', function (e) { window.replies.push(e.data); });
  window.dial = function (n) { top.postMessage(JSON.stringify({ name: 'callout', param: [n, 'audio'] }), originParam()); };
</script>`;
const SDK_PAGE = (app: string) => `<!doctype html><title>Events</title><script src="${app}${HUAWEI_SDK_PATH}"></script><script>
  window.events = [];
  function record(name) { return function (data) { window.events.push({ name: name, data: data }); }; }
  window.onload = function () { AICCSupport.addHandler('Init', record('Init')); };
  ['Ringing', 'Talking', 'Release'].forEach(function (n) { AICCSupport.addHandler(n, record(n)); });
</script>`;

async function crmSite(app: string) {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const html = (s: string) => res.writeHead(200, { 'content-type': 'text/html' }).end(s);
    if (path === '/customer') return html(CUSTOMER);
    if (path === '/events') return html(SDK_PAGE(app));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  // The CRM is another origin than the console (localhost vs 127.0.0.1).
  return { base: `http://localhost:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const until = async (f: () => Promise<boolean> | boolean, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

if (!hasChromium && !mustHaveBrowser) {
  test('browser: the agent workbench (skipped)', (t) => {
    t.log(`SKIPPED: no Chromium at ${chromiumPath}; install Debian's chromium package or set CHROMIUM_BIN`);
    t.pass();
  });
} else {
  test('browser: an agent takes a queue call on the workbench; the CRM pops with Huawei\u2019s parameters and events, dials with callout, and wrap-up requires a disposition', async (t) => {
    const ctx = await makeTestContext();
    const f = await acdFixtures(ctx);
    const trunk = ctx.trunks.create({ name: 'Carrier A', authMode: 'ip', host: '203.0.113.10', port: '5060', transport: 'udp', allowedCidrs: '203.0.113.10', codecs: 'PCMU', dtmfMode: 'rfc2833', maxCalls: '5', isEnabled: 'on' }, testActor);
    ctx.numbers.create({ number: '+4930999000', trunkId: String(trunk.id), isInbound: 'on', destinationKind: 'hangup', isCallerId: 'on' }, testActor);
    const sales = ctx.queues.create(queueForm({ wrapUp: 'until_ready', requireDisposition: 'on', dispositions: 'Sale\nNo sale', callerIds: '+4930999000' }), testActor);
    const ann = await ctx.agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id) }, testActor);
    ctx.agents.memberships.add(sales.id, { agentId: String(ann.id) }, testActor);
    // The switch: Ann's desk phone is registered; each originate rings until the test answers it.
    const ringing = new Map<string, { command: string; answer: () => void }>();
    ctx.sw.respond = (c) => {
      if (c === 'show registrations as json') return JSON.stringify({ rows: [{ reg_user: '1001', token: 't1', url: 'sip:1001@127.0.0.1:5070' }] });
      if (c === 'show channels as json') return JSON.stringify({ rows: [{ uuid: CALLER }] });
      if (c === 'global_getvar domain') return 'callbox.test';
      if (c.startsWith('originate ')) {
        const leg = /origination_uuid=([0-9a-f-]{36})/.exec(c)![1]!;
        return new Promise<string>((resolve) => ringing.set(leg, { command: c, answer: () => resolve(`+OK ${leg}\n`) }));
      }
      return '+OK\n';
    };
    ctx.sw.finish = () => new Promise(() => undefined);
    ctx.sw.setConnected(true);
    ctx.acdRunner.start();
    ctx.agentCalls.start();
    const server = await startTestServer(ctx);
    const crm = await crmSite(server.base);
    ctx.screenPops.setOrigins({ origins: crm.base }, testActor);
    ctx.screenPops.create({ name: 'Events', url: `${crm.base}/events`, openMode: 'embed', integration: 'webapi', trigger: 'answer', isEnabled: 'on' }, testActor);
    ctx.screenPops.create({ name: 'Customer', url: `${crm.base}/customer`, openMode: 'embed', integration: 'get', trigger: 'answer', isEnabled: 'on' }, testActor);
    const browser = await launchBrowser();
    t.teardown(async () => {
      ctx.agentCalls.stop();
      ctx.acdRunner.stop();
      await browser.close();
      await crm.close();
      await server.close();
      ctx.close();
    });

    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.base}/login`);
    await page.fill('#f-username', 'ann');
    await page.fill('#f-password', 'correct horse battery');
    await page.click('main form button[type=submit]');
    await page.waitForURL(`${server.base}/agent`);
    const frame = (path: string): Frame | null => page.frames().find((x) => x.url().startsWith(`${crm.base}${path}`)) ?? null;
    const sdkEvents = async () => ((await frame('/events')?.evaluate(() => (window as unknown as { events?: { name: string; data: Record<string, unknown> }[] }).events)) ?? []);
    await until(async () => (await sdkEvents()).length === 1, 'Init');
    t.deepEqual((await sdkEvents())[0], { name: 'Init', data: { callerNum: null, calledNum: null, callid: null, mediaType: null, callType: null, workNo: '201', calldata: null } });

    await page.click('[data-wb-action="login"]');
    await page.waitForSelector('[data-wb="state"]:has-text("Ready")');
    await page.screenshot({ path: screenshotPath('workbench-01-ready') });

    // A caller waits in Sales: Ann's page shows who is calling, from where, and the SDK page hears Ringing.
    await ctx.acdRunner.enter({ uuid: CALLER, queueId: sales.id, priority: 0, caller: '+4930555', callerName: 'Mia Meyer' });
    await page.waitForSelector('[data-wb="call-title"]:has-text("Incoming call from Mia Meyer")');
    t.regex((await page.textContent('[data-wb="offer-facts"]')) ?? '', /Number\+4930555.*QueueSales/s);
    t.regex((await page.textContent('[data-wb="answer-hint"]')) ?? '', /Answer on your phone/);
    await until(async () => (await sdkEvents()).length === 2, 'Ringing');
    await page.screenshot({ path: screenshotPath('workbench-02-ringing') });

    // Ann answers on her desk phone: the page shows the call and its controls; the customer page pops on the answer.
    const offer = [...ringing.entries()].find(([, r]) => /user\/1001@callbox\.test &park\(\)$/.test(r.command))!;
    ringing.delete(offer[0]);
    offer[1].answer();
    await page.waitForSelector('[data-wb="talk-state"]:has-text("Talking")');
    await until(() => frame('/customer') !== null, 'the customer pop');
    const src = new URL(frame('/customer')!.url());
    t.is(src.searchParams.get('callerNum'), '+4930555');
    t.is(src.searchParams.get('callid'), CALLER);
    t.is(src.searchParams.get('workNo'), '201');
    t.is(src.searchParams.get('mediaType'), '1');
    t.is(src.searchParams.get('callType'), '0');
    t.regex(frame('/customer')!.url(), new RegExp(`origin=${server.base.replace(/[.]/g, '\\.')}`), 'origin is there, unencoded');
    await until(async () => (await sdkEvents()).length === 3, 'Talking');

    // Hold, as a button: the caller is parked on music; then resume.
    await page.click('[data-wb-action="hold"]');
    await page.waitForSelector('[data-wb="talk-state"]:has-text("On hold")');
    t.true(ctx.sw.lines().includes(`api uuid_park ${CALLER}`));
    await page.click('[data-wb-action="unhold"]');
    await page.waitForSelector('[data-wb="talk-state"]:text-is("Talking")');
    await page.click('[data-wb-toggle="keypad"]');
    await page.click('[data-wb-key="5"]');
    await until(() => ctx.sw.lines().includes(`api uuid_send_dtmf ${CALLER} 5`), 'the key');
    await page.screenshot({ path: screenshotPath('workbench-03-talking') });

    // The caller hangs up: Release, then wrap-up, which will not end without a disposition.
    ctx.sw.emit('channel.hungup', hangupInfo(CALLER, { callerNumber: '+4930555', billsec: 5, duration: 9 }));
    await page.waitForSelector('[data-wb="wrap"]:not([hidden])');
    await until(async () => (await sdkEvents()).length === 4, 'Release');
    t.deepEqual((await sdkEvents()).map((e) => e.name), ['Init', 'Ringing', 'Talking', 'Release']);
    t.like((await sdkEvents())[1]!.data, { callerNum: '+4930555', callid: CALLER, mediaType: 'audio', callType: '0', workNo: '201' });
    t.true(await page.isHidden('[data-wb="ready-now"]'), 'no way to ready before the disposition');
    await page.click('[data-wb="disposition"] button[type=submit]');
    await page.waitForSelector('[data-error="code"]:has-text("Choose a disposition")');
    await page.screenshot({ path: screenshotPath('workbench-04-wrap-up-needs-disposition') });
    await page.selectOption('#wb-code', 'Sale');
    await page.fill('#wb-note', 'Two licences');
    await page.click('[data-wb="disposition"] button[type=submit]');
    await page.waitForSelector('[data-wb="ready-now"]:not([hidden])');
    t.deepEqual(ctx.ledger.forCall(CALLER).find((e) => e.kind === 'queue.disposition')?.data, { code: 'Sale', note: 'Two licences', by: 'agent ann' });
    await page.waitForSelector('[data-wb="history"] >> text=+4930555');
    t.regex((await page.textContent('[data-wb="history"]')) ?? '', /Sales.*ended by caller · Sale/);

    // The customer page dials back with Huawei's callout: Ann's phone rings first, then the customer is called
    // through the routes showing the queue's number.
    await frame('/customer')!.evaluate(() => (window as unknown as { dial: (n: string) => void }).dial('88880523'));
    await until(() => [...ringing.values()].some((r) => /origination_caller_id_number=88880523/.test(r.command)), 'the agent leg of the callout');
    const agentLeg = [...ringing.entries()].find(([, r]) => /origination_caller_id_number=88880523/.test(r.command))!;
    t.regex(agentLeg[1].command, /sip_auto_answer=true/);
    t.regex(agentLeg[1].command, /user\/1001@callbox\.test &park\(\)$/);
    ringing.delete(agentLeg[0]);
    agentLeg[1].answer();
    await until(() => [...ringing.values()].some((r) => /loopback\/88880523\/internal/.test(r.command)), 'the customer leg');
    const customerLeg = [...ringing.values()].find((r) => /loopback\/88880523\/internal/.test(r.command))!;
    t.regex(customerLeg.command, /callbox_agent_cid=\+4930999000/);
    await page.waitForSelector('[data-wb="call-title"]:has-text("Call to 88880523")');
    t.deepEqual(await frame('/customer')!.evaluate(() => (window as unknown as { replies: unknown[] }).replies), [{ name: 'calloutResult', ok: true }]);
    await page.screenshot({ path: screenshotPath('workbench-05-callout-dialling'), fullPage: true });
    t.deepEqual(errors, []);
  });
}
