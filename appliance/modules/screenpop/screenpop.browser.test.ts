import test from 'ava';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { staticDir } from '../../paths.js';
import { chromiumPath, hasChromium, launchBrowser, mustHaveBrowser, screenshotPath } from '../../test/browser.js';
import { startTestServer } from '../../test/http-client.js';
import { makeTestContext, testActor } from '../../test/make-test-context.js';
import { sdkEvent } from './pop.js';
import { HUAWEI_SDK_PATH } from './sdk.routes.js';
import type { PopCall } from './screenpop.types.js';

/** Huawei's sample reads origin from its own address without decoding, and posts to top. */
const CRM_GET = `<!doctype html><title>CRM</title><p id="who">customer</p><script>
  function originParam() {
    var href = location.href, q = href.substring(href.indexOf('?') + 1).split('#')[0].split('&');
    for (var i = 0; i < q.length; i++) { var kv = q[i].split('='); if (kv[0] === 'origin') return kv[1]; }
  }
  window.replies = [];
  window.addEventListener('message', function (e) { window.replies.push(e.data); });
  window.callout = function (data, asString) { top.postMessage(asString ? JSON.stringify(data) : data, originParam()); };
</script>`;

const CRM_SDK = (app: string) => `<!doctype html><title>SDK page</title><script src="${app}${HUAWEI_SDK_PATH}"></script><script>
  window.events = [];
  function record(name) { return function (data) { window.events.push({ name: name, data: data }); }; }
  window.onload = function () { AICCSupport.addHandler('Init', record('Init')); };
  AICCSupport.addHandler('Ringing', record('Ringing'));
  AICCSupport.addHandler('Talking', record('Talking'));
  AICCSupport.addHandler('Release', record('Release'));
</script>`;

/** The workbench stand-in: the host script, a container, and a frame that is not a pop. */
const HARNESS = (crm: string) => `<!doctype html><title>Workbench</title><div id="pops"></div>
  <iframe id="stranger" src="${crm}/get.html?origin=x"></iframe><script src="/js/screen-pop-host.js"></script>`;

/** One server, two origins: the workbench at 127.0.0.1, the CRM at localhost. POST bodies are recorded. */
async function sites(app: string) {
  const posts: { url: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posts.push({ url: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'text/html' }).end(CRM_GET.replace('customer', 'posted'));
      });
      return;
    }
    const html = (s: string) => res.writeHead(200, { 'content-type': 'text/html' }).end(s);
    if (path === '/harness') return html(HARNESS(crm));
    if (path === '/sdk.html') return html(CRM_SDK(app));
    if (path === '/get.html') return html(CRM_GET);
    if (path === '/js/screen-pop-host.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(staticDir, 'js', 'screen-pop-host.js')));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, r));
  const port = (server.address() as AddressInfo).port;
  const crm = `http://localhost:${port}`;
  return { workbench: `http://127.0.0.1:${port}`, crm, posts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const until = async (f: () => Promise<boolean> | boolean, what: string) => {
  for (let i = 0; i < 300; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

if (!hasChromium && !mustHaveBrowser) {
  test('browser: screen pops (skipped)', (t) => {
    t.log(`SKIPPED: no Chromium at ${chromiumPath}; install Debian's chromium package or set CHROMIUM_BIN`);
    t.pass();
  });
} else {
  test('browser: the workbench pops GET, POST and Web API pages across origins; SDK events and click-to-dial reach it, strangers do not', async (t) => {
    const ctx = await makeTestContext();
    const app = await startTestServer(ctx);
    const s = await sites(app.base);
    const browser = await launchBrowser();
    t.teardown(async () => {
      await browser.close();
      await s.close();
      await app.close();
      ctx.close();
    });
    const svc = ctx.screenPops;
    svc.setOrigins({ origins: `${s.crm}\n${s.workbench}` }, testActor);
    svc.create({ name: 'SDK', url: `${s.crm}/sdk.html`, openMode: 'embed', integration: 'webapi', trigger: 'answer', isEnabled: 'on' }, testActor);
    svc.create({ name: 'Customer', url: `${s.crm}/get.html?tab=info#top`, openMode: 'embed', integration: 'get', trigger: 'answer', isEnabled: 'on', paramName: ['phone', 'acct'], paramSource: ['call', 'var'], paramKey: ['callerNum', 'account'] }, testActor);
    svc.create({ name: 'Orders', url: `${s.crm}/post`, openMode: 'embed', integration: 'post', trigger: 'ring', isEnabled: 'on' }, testActor);
    // A pop from an origin the workbench was not told to trust (allowed in the database, not in the mount).
    svc.create({ name: 'Untrusted', url: `${s.workbench}/get.html`, openMode: 'embed', integration: 'get', trigger: 'answer', isEnabled: 'on' }, testActor);
    const call: PopCall = { callerNum: '88880085', calledNum: '2222813', callid: '1653963570-252', callType: 0, workNo: '2001', callskill: 'Sales', callskillid: '3', agentName: 'ann', vars: { account: 'A 42' } };
    const built = svc.forCall(call, s.workbench);

    const page: Page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    await page.goto(`${s.workbench}/harness`);
    await page.evaluate(
      ([o]) => {
        const w = window as unknown as { callouts: unknown[]; CallboxPops: { mount: (el: Element, o: unknown) => void } };
        w.callouts = [];
        w.CallboxPops.mount(document.getElementById('pops')!, { ...o, onCallout: (n: string, m: string, via: string) => void w.callouts.push([n, m, via]) });
      },
      [{ origin: s.workbench, allowedOrigins: [s.crm], workNo: '2001', pops: svc.forWorkbench(s.workbench) }] as const,
    );
    t.deepEqual(await page.$$eval('.pop-tabs button', (bs) => bs.map((b) => b.textContent)), ['SDK', 'Customer', 'Orders', 'Untrusted']);
    const frame = (name: string): Frame => page.frame({ url: new RegExp(name) })!;
    // Before its inline script has run (a slow machine), the page has no events list yet.
    const sdkEvents = async () => (await page.frame({ url: /sdk\.html/ })?.evaluate(() => (window as unknown as { events?: { name: string; data: unknown }[] }).events)) ?? [];

    // Init once the SDK page registers: every key, null but workNo.
    await until(async () => (await sdkEvents()).length === 1, 'Init');
    t.deepEqual(await sdkEvents(), [{ name: 'Init', data: { callerNum: null, calledNum: null, callid: null, mediaType: null, callType: null, workNo: '2001', calldata: null } }]);

    const emit = (name: 'Ringing' | 'Talking' | 'Release') => page.evaluate(([n, d]) => (window as unknown as { CallboxPops: { call: (n: string, d: unknown) => void } }).CallboxPops.call(n, d), [name, { pops: built, sdk: sdkEvent(name, call) }] as const);
    await emit('Ringing');
    // The POST pop opens on ringing: the CRM receives the 9 fields, urlencoded, as a form from the browser.
    await until(() => s.posts.length === 1, 'the POST pop');
    t.is(s.posts[0]!.url, `/post?origin=${s.workbench}`);
    t.is(s.posts[0]!.body, 'callerNum=88880085&calledNum=2222813&callid=1653963570-252&mediaType=1&callType=0&workNo=2001&callskill=Sales&callskillid=3&agentName=ann');
    t.is(await page.getAttribute('iframe[data-pop-id="2"]', 'src'), null, 'the GET pop waits for the answer');
    await emit('Talking');
    const customerUrl = `${s.crm}/get.html?tab=info&phone=88880085&acct=A%2042&origin=${s.workbench}#top`;
    t.is(await page.getAttribute('iframe[data-pop-id="2"]', 'src'), customerUrl);
    await emit('Release');
    await until(async () => (await sdkEvents()).length === 4, 'the call events');
    const events = await sdkEvents();
    t.deepEqual(events.map((e) => e.name), ['Init', 'Ringing', 'Talking', 'Release']);
    t.deepEqual(events[1]!.data, { callerNum: '88880085', calledNum: '2222813', callid: '1653963570-252', mediaType: 'audio', callType: '0', workNo: '2001', calldata: '{"account":"A 42"}' });
    for (const line of ['[AICCSupport Log] -Info- addHandler - add Init handler', '[AICCSupport Log] -Info- eventHandler - execute Ringing event handler', '[AICCSupport Log] -Info- eventHandler - execute Release event handler']) t.true(logs.includes(line), line);

    // Click-to-dial from the GET page: Huawei's string form and the object form; video is refused.
    await until(() => frame('get.html\\?tab').url() === customerUrl, 'the GET pop to load');
    const customer = frame('get.html\\?tab');
    const callouts = () => page.evaluate(() => (window as unknown as { callouts: unknown[] }).callouts);
    await customer.evaluate(() => (window as unknown as { callout: (d: unknown, s: boolean) => void }).callout({ name: 'callout', param: ['88880523', 'audio'] }, true));
    await customer.evaluate(() => (window as unknown as { callout: (d: unknown, s: boolean) => void }).callout({ name: 'callout', param: { number: '88880813', mode: 'audio' } }, false));
    await customer.evaluate(() => (window as unknown as { callout: (d: unknown, s: boolean) => void }).callout({ name: 'callout', param: ['88880814', 'video'] }, true));
    await until(async () => (await callouts()).length === 2 && (await customer.evaluate(() => (window as unknown as { replies: unknown[] }).replies.length)) === 3, 'the callouts');
    t.deepEqual(await customer.evaluate(() => (window as unknown as { replies: unknown[] }).replies), [{ name: 'calloutResult', ok: true }, { name: 'calloutResult', ok: true }, { name: 'calloutResult', ok: false }]);
    t.true(logs.some((l) => /video calls are not available/.test(l)));

    // A frame that is not a pop, and a pop from an origin not allowed, are ignored; then the SDK's clickToOutbound.
    const stranger = page.frames().find((f) => f.url().endsWith('/get.html?origin=x'))!;
    await stranger.evaluate((o) => top!.postMessage(JSON.stringify({ name: 'callout', param: ['111111', 'audio'] }), o), s.workbench);
    const untrusted = page.frame({ name: 'callbox-pop-4' })!;
    await until(() => untrusted.url().startsWith(`${s.workbench}/get.html?`), 'the untrusted pop');
    await untrusted.evaluate(() => (window as unknown as { callout: (d: unknown, s: boolean) => void }).callout({ name: 'callout', param: ['222222', 'audio'] }, true));
    await frame('sdk.html').evaluate(() => (window as unknown as { AICCSupport: { clickToOutbound: (p: unknown) => void } }).AICCSupport.clickToOutbound({ mediaType: 'audio', calledNum: '12345678' }));
    await until(async () => (await callouts()).length === 3, 'the SDK callout');
    t.deepEqual(await callouts(), [['88880523', 'audio', 'callout'], ['88880813', 'audio', 'callout'], ['12345678', 'audio', 'sdk']]);
    t.true(logs.includes('[AICCSupport Log] -Info- clickToOutbound - execute One-click out call'));

    const sdk = frame('sdk.html');
    t.deepEqual(await sdk.evaluate(() => (window as unknown as { AICCSupport: { getVerifyResult: (c: string) => unknown } }).AICCSupport.getVerifyResult('CARDVERIFY')), { verifyResult: '' });
    await sdk.evaluate(() => (window as unknown as { AICCSupport: { removeHandler: (n: string) => void } }).AICCSupport.removeHandler('Init'));
    await until(() => logs.includes('[AICCSupport Log] -Info- removeHandler -remove Init handler'), 'the removeHandler log');
    // A reloaded SDK page registers again and gets Init again.
    await page.click('.pop-tabs button:text("Customer")');
    t.true(await page.isVisible('iframe[data-pop-id="2"]'));
    t.false(await page.isVisible('iframe[data-pop-id="1"]'));
    await page.screenshot({ path: screenshotPath('screen-pops-workbench-harness') });
  });

  test('browser: the admin pages of screen pops, with a refused form', async (t) => {
    const ctx = await makeTestContext();
    await ctx.addUser('root', 'admin');
    ctx.screenPops.setOrigins({ origins: 'https://crm.example.com\nhttps://orders.example.com:8443' }, testActor);
    ctx.screenPops.create({ name: 'Customer detail', url: 'https://crm.example.com/customer?tab=info', openMode: 'embed', integration: 'get', trigger: 'answer', isEnabled: 'on', paramName: ['phone'], paramKey: ['callerNum'] }, testActor);
    ctx.screenPops.create({ name: 'Orders', url: 'https://orders.example.com:8443/postParamModelType', openMode: 'window', integration: 'post', trigger: 'ring' }, testActor);
    ctx.screenPops.create({ name: 'CRM events', url: 'https://crm.example.com/aicc/index.html', openMode: 'embed', integration: 'webapi', trigger: 'answer', isEnabled: 'on' }, testActor);
    ctx.clickToCall.createToken({ name: 'CRM server' }, testActor);
    const server = await startTestServer(ctx);
    const browser = await launchBrowser();
    t.teardown(async () => {
      await browser.close();
      await server.close();
      ctx.close();
    });
    const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    await page.goto(`${server.base}/login`);
    await page.fill('#f-username', 'root');
    await page.fill('#f-password', 'correct horse battery');
    await page.click('main form button[type=submit]');
    await page.waitForURL(`${server.base}/admin`);
    await page.click('nav >> text=Screen pops');
    await page.waitForURL(`${server.base}/admin/screen-pops`);
    await page.screenshot({ path: screenshotPath('screen-pops-00-list'), fullPage: true });
    t.regex((await page.textContent('[data-testid=screen-pops]')) ?? '', /1\s*Customer detail\s*1 param\s*https:\/\/crm\.example\.com\/customer\?tab=info\s*Embed\s*URL GET parameters\s*On answer\s*on/);

    await page.click('text=New screen pop');
    await page.fill('#f-name', 'Customer detail');
    await page.fill('#f-url', 'https://elsewhere.example.com/c');
    await page.fill('#f-param1-name', 'phone number');
    await page.fill('input[aria-label="Parameter 1 key"]', 'callerNum');
    await page.click('#pop-form button[type=submit]');
    await page.waitForSelector('#e-url');
    t.regex((await page.textContent('#e-url')) ?? '', /https:\/\/elsewhere\.example\.com is not an allowed origin/);
    t.regex((await page.textContent('#e-name')) ?? '', /already a pop named Customer detail/);
    t.regex((await page.textContent('#e-param1')) ?? '', /A name is a letter or _/);
    t.is(await page.inputValue('#f-param1-name'), 'phone number');
    await page.screenshot({ path: screenshotPath('screen-pops-01-form-errors'), fullPage: true });
    t.deepEqual(errors, []);
  });
}
