import test from 'ava';
import { chromiumPath, hasChromium, launchBrowser, mustHaveBrowser, screenshotPath } from '../../test/browser.js';
import { startFakeSipWs } from '../../test/fake-sip-ws.js';
import { startTestServer } from '../../test/http-client.js';
import { makeTestContext, testActor } from '../../test/make-test-context.js';

if (!hasChromium && !mustHaveBrowser) {
  test('browser: the device check (skipped)', (t) => {
    t.log(`SKIPPED: no Chromium at ${chromiumPath}; install Debian's chromium package or set CHROMIUM_BIN`);
    t.pass();
  });
} else {
  test('browser: the device check lists the microphones and speakers, its meter moves, the tone and the echo play, and the connection check registers through the proxy', async (t) => {
    const ctx = await makeTestContext();
    const ann = await ctx.addUser('ann', 'agent');
    const ext = ctx.extensions.create({ number: '1001', displayName: 'Ann Desk', isEnabled: 'on', browserPhone: 'on' }, testActor);
    await ctx.agents.create({ userId: String(ann.id), number: '201', deviceKind: 'extension', extensionId: String(ext.extension.id) }, testActor);
    const upstream = await startFakeSipWs();
    const server = await startTestServer(ctx, { sipUpstream: upstream.url });
    const browser = await launchBrowser();
    t.teardown(async () => {
      await browser.close();
      await server.close();
      await upstream.close();
      ctx.close();
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.base}/login`);
    await page.fill('#f-username', 'ann');
    await page.fill('#f-password', 'correct horse battery');
    await page.click('main form button[type=submit]');
    await page.waitForURL(`${server.base}/agent`);
    await page.click('a:has-text("Device check")');
    await page.waitForURL(`${server.base}/agent/phone-check`);

    await page.click('[data-action="mic"]');
    await page.waitForFunction(() => Number(document.querySelector('#level')?.getAttribute('data-level')) > 0.02, undefined, { timeout: 8000 });
    await page.waitForSelector('[data-result="microphone"].badge-on');
    const mics = await page.$$eval('#mic option', (os) => os.map((o) => o.textContent));
    t.true(mics.some((m) => /Fake/i.test(m ?? '')), `the fake microphones are listed: ${mics.join(', ')}`);
    const speakers = await page.$$eval('#speaker option', (os) => os.map((o) => o.textContent));
    t.true(speakers.length >= 2, `speakers are listed: ${speakers.join(', ')}`);
    // The meter keeps moving: two readings a moment apart differ.
    const a = await page.getAttribute('#level', 'data-level');
    await page.waitForTimeout(400);
    t.not(await page.getAttribute('#level', 'data-level'), a);

    // The chosen microphone is remembered for the phone.
    const second = await page.$eval('#mic', (s) => (s as HTMLSelectElement).options[(s as HTMLSelectElement).options.length - 1]!.value);
    await page.selectOption('#mic', second);
    t.is(await page.evaluate(() => localStorage.getItem('callbox.phone.microphone')), second);

    await page.click('[data-action="tone"]');
    await page.waitForSelector('[data-result="speaker"].badge-on', { timeout: 5000 });
    await page.click('[data-action="echo"]');
    await page.waitForSelector('[data-result="echo"].badge-on', { timeout: 10_000 });
    t.true(Number(await page.getAttribute('[data-phone-check]', 'data-echo-bytes')) > 0);

    await page.click('[data-action="connection"]');
    await page.waitForSelector('[data-result="connection"]:is(.badge-on, .badge-off)', { timeout: 12_000 });
    t.is(await page.textContent('[data-result="connection"]'), 'ok', (await page.textContent('[data-message="connection"]')) ?? '');
    t.regex((await page.textContent('[data-figure="connect"]')) ?? '', /^\d+ ms$/);
    t.regex((await page.textContent('[data-figure="register"]')) ?? '', /^\d+ ms$/);
    const register = upstream.received.find((m) => m.startsWith('REGISTER '));
    t.truthy(register, 'the REGISTER reached the stand-in for FreeSWITCH through the proxy');
    t.regex(register!, /^From: "Ann Desk" <sip:1001@127\.0\.0\.1>/m);
    t.regex(register!, /^User-Agent: Callbox Browser \(JsSIP [\d.]+\)/m);
    t.log(`connection check: connected in ${await page.textContent('[data-figure="connect"]')}, registered in ${await page.textContent('[data-figure="register"]')}`);
    await page.screenshot({ path: screenshotPath('phone-check-01-all-ok'), fullPage: true });
    t.deepEqual(errors, []);
  });

  test('browser: the device check says why the connection check fails for an extension without the browser phone', async (t) => {
    const ctx = await makeTestContext();
    const bob = await ctx.addUser('bob', 'agent');
    const ext = ctx.extensions.create({ number: '1002', displayName: 'Bob Desk', isEnabled: 'on' }, testActor);
    await ctx.agents.create({ userId: String(bob.id), number: '202', deviceKind: 'extension', extensionId: String(ext.extension.id) }, testActor);
    const server = await startTestServer(ctx);
    const browser = await launchBrowser();
    t.teardown(async () => {
      await browser.close();
      await server.close();
      ctx.close();
    });
    const page = await browser.newPage();
    await page.goto(`${server.base}/login`);
    await page.fill('#f-username', 'bob');
    await page.fill('#f-password', 'correct horse battery');
    await page.click('main form button[type=submit]');
    await page.waitForURL(`${server.base}/agent`);
    await page.goto(`${server.base}/agent/phone-check`);
    t.regex((await page.textContent('#conn-h + * , [aria-labelledby="conn-h"]')) ?? '', /does not allow a browser phone/);
    t.is(await page.$('[data-action="connection"]'), null);
  });
}
