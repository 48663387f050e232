import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boot } from '../../boot.js';
import { systemClock } from '../../clock.js';
import { AuditService } from '../audit/audit.service.js';
import { UserService } from '../users/users.service.js';
import { chromiumPath, hasChromium, launchBrowser, mustHaveBrowser, screenshotPath } from '../../test/browser.js';
import { silentLogger } from '../../logger.js';
import { testActor, testConfig } from '../../test/make-test-context.js';

if (!hasChromium && !mustHaveBrowser) {
  test('browser: prompts (skipped)', (t) => {
    t.log(`SKIPPED: no Chromium at ${chromiumPath}; install Debian's chromium package or set CHROMIUM_BIN`);
    t.pass();
  });
} else {
  test('browser: a text-to-speech prompt becomes ready with a player; a recording from the (fake) microphone is saved', async (t) => {
    const app = await boot(testConfig(mkdtempSync(join(tmpdir(), 'callbox-browser-prompts-'))), silentLogger());
    const browser = await launchBrowser();
    t.teardown(async () => {
      await browser.close();
      await app.stop();
    });
    const users = new UserService({ db: app.db, clock: systemClock, audit: new AuditService({ db: app.db, clock: systemClock }), log: silentLogger(), events: { onSignOut: () => undefined } });
    await users.create({ username: 'owner', displayName: 'Owner', role: 'admin', password: 'owner password 1', passwordConfirm: 'owner password 1' }, testActor);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && consoleErrors.push(m.text()));
    await page.goto(`${app.url}/login`);
    await page.fill('#f-username', 'owner');
    await page.fill('#f-password', 'owner password 1');
    await page.click('main form.form button[type=submit]');
    await page.waitForURL(`${app.url}/admin`);

    await page.click('nav >> text=Prompts');
    await page.waitForURL(`${app.url}/admin/prompts`);
    t.true(await page.isVisible('[data-recorder]'), 'the recorder shows when scripts run');

    // Text to speech: saved as rendering, then the page notices it is ready and shows a player.
    await page.fill('#speech #f-name', 'Welcome');
    await page.fill('#f-text', 'Thank you for calling. Please hold while we find someone to help you.');
    await page.selectOption('#f-voice', 'en-gb');
    await page.click('#speech button[type=submit]');
    await page.waitForURL(/\/admin\/prompts\/\d+$/);
    await page.waitForSelector('audio[src$="/audio.wav"]', { timeout: 15000 });
    t.regex((await page.textContent('[data-prompt-status]')) ?? '', /ready/);
    const duration = await page.$eval('audio[src$="/audio.wav"]', async (a: HTMLAudioElement) => {
      a.preload = 'metadata';
      a.load();
      await new Promise((r) => a.addEventListener('loadedmetadata', r, { once: true }));
      return a.duration;
    });
    t.true(duration > 2, `the player reads the audio: ${duration} s`);
    await page.screenshot({ path: screenshotPath('20-prompt-speech'), fullPage: true });

    // Record two seconds from Chromium's fake microphone (a beep), listen back, name it, save it.
    await page.click('nav >> text=Prompts');
    await page.click('[data-start]');
    await page.waitForFunction(() => document.querySelector('[data-timer]')?.textContent === '0:02', undefined, { timeout: 10000 });
    await page.screenshot({ path: screenshotPath('21-prompt-recording'), fullPage: true });
    await page.click('[data-stop]');
    t.true(await page.isVisible('[data-playback]'));
    await page.click('[data-save]');
    await page.waitForSelector('[data-error]:not([hidden])');
    t.regex((await page.textContent('[data-error]')) ?? '', /Enter a name/);
    await page.fill('#r-name', 'Recorded greeting');
    await page.click('[data-save]');
    await page.waitForURL(/\/admin\/prompts\/\d+$/);
    t.regex((await page.textContent('.flash-success')) ?? '', /Prompt Recorded greeting saved/);
    t.regex((await page.textContent('main')) ?? '', /Recording[\s\S]*recording\.wav/);
    await page.click('text=Back to prompts');
    const rows = await page.locator('table.prompts tbody tr').allTextContents();
    t.is(rows.length, 2);
    t.regex(rows.join('\n'), /Recorded greeting\s*Prompt\s*Recording\s*2s\s*ready/);
    t.is(await page.locator('table.prompts audio').count(), 2);
    await page.screenshot({ path: screenshotPath('22-prompts'), fullPage: true });
    t.deepEqual(consoleErrors, [], 'no errors in the browser console (CSP violations show here)');
  });
}
