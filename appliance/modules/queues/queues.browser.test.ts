import test from 'ava';
import { chromiumPath, hasChromium, launchBrowser, mustHaveBrowser, screenshotPath } from '../../test/browser.js';
import { startTestServer } from '../../test/http-client.js';
import { makeTestContext, testActor } from '../../test/make-test-context.js';

if (!hasChromium && !mustHaveBrowser) {
  test('browser: queues and agents (skipped)', (t) => {
    t.log(`SKIPPED: no Chromium at ${chromiumPath}; install Debian's chromium package or set CHROMIUM_BIN`);
    t.pass();
  });
} else {
  test('browser: an admin makes a skill, a queue and an agent through the forms, fixing a refused field on the way', async (t) => {
    const ctx = await makeTestContext();
    await ctx.addUser('root', 'admin');
    await ctx.addUser('ann', 'agent');
    ctx.extensions.create({ number: '1001', displayName: 'Desk 1', isEnabled: 'on' }, testActor);
    ctx.extensions.create({ number: '1009', displayName: 'Office', isEnabled: 'on', voicemailEnabled: 'on', voicemailPin: '482915' }, testActor);
    const server = await startTestServer(ctx);
    const browser = await launchBrowser();
    t.teardown(async () => {
      await browser.close();
      await server.close();
      ctx.close();
    });
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && consoleErrors.push(m.text()));
    page.on('dialog', (d) => void d.accept());

    await page.goto(`${server.base}/login`);
    await page.fill('#f-username', 'root');
    await page.fill('#f-password', 'correct horse battery');
    await page.click('main form button[type=submit]');
    await page.waitForURL(`${server.base}/admin`);

    // A skill, from the Agents area's tabs.
    await page.click('nav >> text=Agents');
    await page.waitForURL(`${server.base}/admin/agents`);
    await page.click('.tabs >> text=Skills');
    await page.fill('#f-name', 'Spanish');
    await page.fill('#f-description', 'Callers who speak Spanish');
    await page.click('#new-skill button[type=submit]');
    await page.waitForSelector('.flash-success');
    t.regex((await page.textContent('[data-testid=skills]')) ?? '', /Spanish\s*Callers who speak Spanish\s*nothing/);

    // A queue: skills-based routing without a skill is refused beside the field, and what was typed stays.
    await page.click('.tabs >> text=Queues');
    await page.fill('#f-name', 'Sales');
    await page.selectOption('#f-strategy', 'skills');
    await page.click('#new-queue button[type=submit]');
    await page.waitForSelector('#e-skillId');
    t.regex((await page.textContent('#e-skillId')) ?? '', /Skills-based routing ranks agents by their level/);
    t.is(await page.inputValue('#f-name'), 'Sales');
    await page.locator('#new-queue').screenshot({ path: screenshotPath('queues-00-field-error') });
    await page.selectOption('#f-skillId', { label: 'Spanish' });
    await page.click('#new-queue button[type=submit]');
    await page.waitForURL(/\/admin\/queues\/\d+$/);
    const queuePage = page.url();
    t.regex((await page.textContent('.flash-success')) ?? '', /Queue Sales created/);

    // Fields that only matter for some choices show with them.
    t.false(await page.isVisible('#f-overflowExtensionId'));
    t.false(await page.isVisible('#f-exitKind'));
    await page.fill('#f-maxWaitS', '180');
    await page.selectOption('#f-overflowKind', 'voicemail');
    t.true(await page.isVisible('#f-overflowExtensionId'));
    await page.selectOption('#f-overflowExtensionId', { label: '1009 · Office' });
    await page.selectOption('#f-wrapUp', 'until_ready');
    t.false(await page.isVisible('#f-wrapUpS'));
    await page.check('input[name=requireDisposition]');
    await page.fill('#f-dispositions', 'Sale\nNo sale\nCall back');
    await page.selectOption('#f-exitKey', '*');
    await page.selectOption('#f-exitKind', 'callback');
    await page.click('#settings button[type=submit]');
    await page.waitForSelector('.flash-success');
    t.like(ctx.queues.get(ctx.queues.options()[0]!.id), { maxWaitS: 180, overflow: { kind: 'voicemail', extensionId: 2 }, wrapUpS: null, dispositions: ['Sale', 'No sale', 'Call back'], exitKey: '*', exitKind: 'callback' });

    // An agent on extension 1001 with a PIN, then Spanish at level 8 and the Sales queue on its page.
    await page.click('.tabs >> text=Agents');
    await page.selectOption('#f-userId', { label: 'ann (ann, agent)' });
    await page.fill('#f-number', '201');
    await page.selectOption('#f-extensionId', { label: '1001 · Desk 1' });
    t.false(await page.isVisible('#f-externalNumber'));
    await page.fill('#f-pin', '4829');
    await page.click('#new-agent button[type=submit]');
    await page.waitForURL(/\/admin\/agents\/\d+$/);
    t.regex((await page.textContent('.flash-success')) ?? '', /Agent 201 \(ann\) created/);
    await page.selectOption('#skills select', '8');
    await page.click('#skills button[type=submit]');
    await page.waitForSelector('.flash-success');
    await page.check('#queues input[name=queueIds]');
    await page.click('#queues button[type=submit]');
    await page.waitForSelector('.flash-success >> text=Queues saved');
    await page.screenshot({ path: screenshotPath('queues-02-agent'), fullPage: true });
    t.truthy(await ctx.agents.checkPin('201', '4829'));

    await page.goto(queuePage);
    t.regex((await page.textContent('[data-testid=members]')) ?? '', /201 · ann\s*extension 1001\s*8/);
    await page.screenshot({ path: screenshotPath('queues-01-queue'), fullPage: true });
    await page.click('.tabs >> text=Queues');
    t.regex((await page.textContent('[data-testid=queues]')) ?? '', /Sales\s*Skills-based\s*Spanish\s*1\s*3m 0s\s*Voicemail 1009 · Office/);
    await page.screenshot({ path: screenshotPath('queues-03-list'), fullPage: true });
    await page.click('.tabs >> text=Agents');
    await page.screenshot({ path: screenshotPath('queues-04-agents') });
    await page.click('.tabs >> text=Break reasons');
    await page.screenshot({ path: screenshotPath('queues-05-break-reasons') });
    await page.click('.tabs >> text=VIP callers');
    await page.screenshot({ path: screenshotPath('queues-06-vip-callers') });
    t.deepEqual(consoleErrors, []);
  });
}
