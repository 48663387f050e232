import test from 'ava';
import { chromiumPath, hasChromium, launchBrowser, mustHaveBrowser, screenshotPath } from '../../test/browser.js';
import { startTestServer } from '../../test/http-client.js';
import { makeTestContext } from '../../test/make-test-context.js';
import { recordsScenario } from './testing/scenario.js';

if (!hasChromium && !mustHaveBrowser) {
  test('browser: call records (skipped)', (t) => {
    t.log(`SKIPPED: no Chromium at ${chromiumPath}; install Debian's chromium package or set CHROMIUM_BIN`);
    t.pass();
  });
} else {
  test('browser: a supervisor filters the call records, opens a call and sees its timeline and its recording player', async (t) => {
    const ctx = await makeTestContext();
    const s = await recordsScenario(ctx);
    const server = await startTestServer(ctx);
    const browser = await launchBrowser();
    t.teardown(async () => {
      await browser.close();
      await server.close();
      ctx.close();
    });
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const consoleErrors: string[] = [];
    // The recording's audio is the recordings module's (not mounted here): its 404 is expected.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && consoleErrors.push(m.text()));

    await page.goto(`${server.base}/login`);
    await page.fill('#f-username', 'sam');
    await page.fill('#f-password', 'correct horse battery');
    await page.click('main form button[type=submit]');
    await page.waitForURL(`${server.base}/admin`);
    t.regex((await page.textContent('[data-testid=calls-today]')) ?? '', /3\s*answered\s*1\s*abandoned/);
    await page.screenshot({ path: screenshotPath('records-dashboard'), fullPage: true });

    await page.click('nav >> text=Call records');
    await page.waitForURL(`${server.base}/admin/calls`);
    t.is(await page.locator('[data-testid=calls] tbody tr').count(), 4, "sam's scope: Sales and his own call");
    await page.screenshot({ path: screenshotPath('records-list'), fullPage: true });

    // A bad number is refused beside its field; then a good filter.
    await page.fill('#f-number', '555-123');
    await page.click('.calls-filters button[type=submit]');
    t.regex((await page.textContent('#e-number')) ?? '', /Digits, optionally after a \+/);
    t.regex((await page.textContent('[data-testid=calls] tbody')) ?? '', /Fix the filters above/);
    await page.fill('#f-number', '+1555123');
    await page.selectOption('#f-outcome', 'answered');
    await page.click('.calls-filters button[type=submit]');
    await page.waitForSelector('[data-testid=calls] tbody tr >> nth=1');
    t.is(await page.locator('[data-testid=calls] tbody tr').count(), 2);
    t.regex(await page.getAttribute('[data-testid=export]', 'href') ?? '', /number=%2B1555123&outcome=answered/);

    await page.click(`a[href="/admin/calls/${s.calls.annSalesRecorded.callId}"]`);
    await page.waitForURL(`${server.base}/admin/calls/${s.calls.annSalesRecorded.callId}`);
    const items = page.locator('[data-testid=timeline] li');
    t.true((await items.count()) >= 10);
    t.regex((await items.first().textContent()) ?? '', /\+0:00\s*Call from \+15551230002/);
    t.is(await page.getAttribute('audio', 'src'), '/recordings/41/audio');
    t.is(await page.getAttribute('audio', 'preload'), 'metadata');
    t.regex((await page.textContent('[data-testid=recording]')) ?? '', /Paused \+1:12–\+1:27/);
    t.regex((await page.textContent('[data-testid=ivr-path]')) ?? '', /n2\s*menu\s*2/);
    await page.screenshot({ path: screenshotPath('records-call'), fullPage: true });
    t.deepEqual(consoleErrors, []);
  });
}
