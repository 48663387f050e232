import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { boot } from '../boot.js';
import { createLogger } from '../logger.js';
import { hasChromium, launchBrowser, mustHaveBrowser, screenshotPath, chromiumPath } from '../test/browser.js';
import { testConfig } from '../test/make-test-context.js';

if (!hasChromium && !mustHaveBrowser) {
  test('browser: console (skipped)', (t) => {
    t.log(`SKIPPED: no Chromium at ${chromiumPath}; install Debian's chromium package or set CHROMIUM_BIN`);
    t.pass();
  });
} else {
  test('browser: first-run setup, sign-in, a field error, creating a user, on desktop and phone widths', async (t) => {
    let setupUrl = '';
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        const m = /"setupUrl":"([^"]+)"/.exec(chunk.toString());
        if (m) setupUrl = m[1]!;
        done();
      },
    });
    const app = await boot(testConfig(mkdtempSync(join(tmpdir(), 'callbox-browser-'))), createLogger('info', sink));
    const browser = await launchBrowser();
    t.teardown(async () => {
      await browser.close();
      await app.stop();
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const consoleErrors: string[] = [];
    // 401 and 422 answers are expected here; anything else (a CSP violation, a script error) is not.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && consoleErrors.push(m.text()));

    // First run: the link from the log creates the first admin.
    t.truthy(setupUrl, 'boot logged a setup link');
    await page.goto(`${app.url}${new URL(setupUrl).pathname}`);
    await page.screenshot({ path: screenshotPath('01-setup') });
    await page.fill('#f-username', 'owner');
    await page.fill('#f-displayName', 'Olivia Owner');
    await page.fill('#f-password', 'owner password 1');
    await page.fill('#f-passwordConfirm', 'owner password 1');
    await page.click('main form.form button[type=submit]');
    await page.waitForURL(`${app.url}/admin`);
    t.regex(await page.textContent('.flash-success') ?? '', /Welcome, Olivia Owner/);
    t.regex(await page.textContent('.switch-pill') ?? '', /FreeSWITCH not connected/);
    await page.screenshot({ path: screenshotPath('02-dashboard'), fullPage: true });

    // Sign out and back in.
    await page.click('text=Sign out');
    await page.waitForURL(`${app.url}/login`);
    await page.fill('#f-username', 'owner');
    await page.fill('#f-password', 'wrong password');
    await page.click('main form.form button[type=submit]');
    t.regex(await page.textContent('.flash-error') ?? '', /Wrong username or password/);
    await page.screenshot({ path: screenshotPath('03-login-error') });
    await page.fill('#f-password', 'owner password 1');
    await page.click('main form.form button[type=submit]');
    await page.waitForURL(`${app.url}/admin`);

    // A bad form shows field errors and keeps what was typed; the fixed form creates the user.
    await page.click('nav >> text=Users');
    await page.click('text=New user');
    await page.fill('#f-username', 'bad name!');
    await page.fill('#f-displayName', 'Agent Smith');
    await page.fill('#f-password', 'short');
    await page.fill('#f-passwordConfirm', 'short');
    await page.click('main form.form button[type=submit]');
    t.is(await page.getAttribute('#f-username', 'aria-invalid'), 'true');
    t.regex(await page.textContent('#e-username') ?? '', /Use letters, digits/);
    t.regex(await page.textContent('#e-password') ?? '', /at least 10 characters/);
    t.is(await page.inputValue('#f-displayName'), 'Agent Smith');
    await page.screenshot({ path: screenshotPath('04-user-form-errors'), fullPage: true });
    await page.fill('#f-username', 'smith');
    await page.fill('#f-password', 'agent password 1');
    await page.fill('#f-passwordConfirm', 'agent password 1');
    await page.selectOption('#f-role', 'agent');
    await page.click('main form.form button[type=submit]');
    await page.waitForURL(/\/admin\/users\/\d+$/);
    t.regex(await page.textContent('.flash-success') ?? '', /User smith created/);
    await page.click('text=Back to users');
    t.is(await page.locator('table.table tbody tr').count(), 2);
    await page.screenshot({ path: screenshotPath('05-users'), fullPage: true });
    // Telephony: an extension (its password shown once), a carrier trunk, a number that rings the extension.
    await page.click('nav >> text=Extensions');
    await page.click('text=New extension');
    await page.fill('#f-number', '1001');
    await page.fill('#f-displayName', 'Reception');
    // A voicemail box is on by default and needs a PIN that is not trivially guessed.
    await page.fill('#f-voicemailPin', '1234');
    await page.click('main form.form button[type=submit]');
    t.regex((await page.textContent('#e-voicemailPin')) ?? '', /run of digits/);
    await page.fill('#f-voicemailPin', '482915');
    await page.click('main form.form button[type=submit]');
    t.regex((await page.textContent('[data-testid="sip-password"]')) ?? '', /^[A-Za-z2-9]{20}$/);
    await page.click('nav >> text=Extensions');
    await page.click('table.table a >> text=1001');
    t.regex((await page.textContent('main')) ?? '', /Voicemail messages[\s\S]*FreeSWITCH is not connected/);
    await page.screenshot({ path: screenshotPath('06-extension-voicemail'), fullPage: true });
    await page.click('nav >> text=Trunks');
    await page.click('text=New trunk');
    await page.fill('#f-name', 'Carrier A');
    await page.fill('#f-host', 'sip.carrier.example');
    await page.fill('#f-allowedCidrs', '203.0.113.10');
    await page.click('main form.form button[type=submit]');
    t.regex((await page.textContent('.flash-success')) ?? '', /Trunk Carrier A created/);
    t.regex((await page.textContent('main')) ?? '', /no report from FreeSWITCH yet/);
    await page.click('nav >> text=Numbers');
    await page.click('text=New number');
    await page.fill('#f-number', '+4930123456');
    await page.selectOption('#f-destinationExtensionId', { label: '1001 · Reception' });
    await page.click('main form.form button[type=submit]');
    t.regex((await page.textContent('table.table')) ?? '', /\+4930123456\s*Carrier A\s*Extension 1001 · Reception/);
    // A schedule in UTC: a Monday that closes before it opens is refused on its row; today as a holiday closes it.
    await page.click('table.table a >> text=+4930123456');
    await page.selectOption('#f-timezone', 'UTC');
    await page.fill('input[name=mon_opens_1]', '17:30');
    await page.fill('input[name=mon_closes_1]', '09:00');
    await page.click('main form.form button[type=submit]');
    t.regex((await page.textContent('#e-hours_mon')) ?? '', /Monday 17:30-09:00: closes before it opens/);
    await page.screenshot({ path: screenshotPath('05a-number-form-errors'), fullPage: true });
    await page.fill('input[name=mon_opens_1]', '09:00');
    await page.fill('input[name=mon_closes_1]', '17:30');
    await page.fill('#f-holidays', `${new Date().toISOString().slice(0, 10)} Test day`);
    await page.click('main form.form button[type=submit]');
    await page.waitForURL(`${app.url}/admin/numbers`);
    t.regex((await page.textContent('[data-testid="open-now"]')) ?? '', /closed\s*holiday: Test day/);
    await page.screenshot({ path: screenshotPath('05a-numbers'), fullPage: true });
    await page.click('nav >> text=Extensions');
    t.regex((await page.textContent('table.table')) ?? '', /1001\s*Reception\s*not registered/);
    await page.screenshot({ path: screenshotPath('05b-extensions'), fullPage: true });
    await page.goto(`${app.url}/admin/system`);
    await page.screenshot({ path: screenshotPath('06-system'), fullPage: true });

    // The FreeSWITCH page says why it is not connected, and its live refresh runs without errors.
    await page.goto(`${app.url}/admin/freeswitch`);
    t.regex((await page.textContent('[data-live="state"]')) ?? '', /Not connected/);
    t.regex((await page.textContent('[data-live="detail"]')) ?? '', /nothing listens on 127\.0\.0\.1:1/);
    await page.waitForResponse((r) => r.url().endsWith('/admin/freeswitch/live.json') && r.status() === 200, { timeout: 8000 });
    await page.screenshot({ path: screenshotPath('06b-freeswitch'), fullPage: true });

    // Phone width: the menu folds behind a button that opens it.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${app.url}/admin/users`);
    t.false(await page.isVisible('#sidenav'));
    await page.click('[data-menu-toggle]');
    t.true(await page.isVisible('#sidenav'));
    await page.screenshot({ path: screenshotPath('07-phone-menu') });
    t.deepEqual(consoleErrors, [], 'no errors in the browser console (CSP violations show here)');

    // The new agent signs in to the workbench layout.
    const agent = await browser.newPage();
    await agent.goto(`${app.url}/login`);
    await agent.fill('#f-username', 'smith');
    await agent.fill('#f-password', 'agent password 1');
    await agent.click('main form.form button[type=submit]');
    await agent.waitForURL(`${app.url}/agent`);
    t.regex(await agent.textContent('h1') ?? '', /Workbench/);
    await agent.screenshot({ path: screenshotPath('08-agent') });
  });
}
