import test from 'ava';
import { chromiumPath, hasChromium, launchBrowser, mustHaveBrowser, screenshotPath } from '../../test/browser.js';
import { startTestServer } from '../../test/http-client.js';
import { makeTestContext } from '../../test/make-test-context.js';

if (!hasChromium && !mustHaveBrowser) {
  test('browser: flows (skipped)', (t) => {
    t.log(`SKIPPED: no Chromium at ${chromiumPath}; install Debian's chromium package or set CHROMIUM_BIN`);
    t.pass();
  });
} else {
  test('browser: an admin builds a menu flow, publishes it and follows key 1 in the simulator', async (t) => {
    const ctx = await makeTestContext();
    await ctx.addUser('root', 'admin');
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
    // Every confirm question is answered yes.
    page.on('dialog', (d) => void d.accept());

    await page.goto(`${server.base}/login`);
    await page.fill('#f-username', 'root');
    await page.fill('#f-password', 'correct horse battery');
    await page.click('main form button[type=submit]');
    await page.waitForURL(`${server.base}/admin`);

    await page.click('nav >> text=Flows');
    await page.fill('#f-name', 'Main menu');
    await page.fill('#f-description', 'Daytime calls to the main number');
    await page.click('#new-flow button[type=submit]');
    await page.waitForURL(/\/admin\/flows\/\d+$/);
    const editor = page.url();
    const save = async (node: string) => {
      await page.click(`#node-${node} button:has-text("Save node")`);
      await page.waitForURL(editor);
    };

    // welcome → menu; menu key 1 → a new "Sales" play → goodbye; key 2 → goodbye.
    await page.selectOption('#f-add-kind', 'menu');
    await page.click('#add-node button[type=submit]');
    await page.waitForURL(editor);
    // The unfinished menu stops publishing: the banner, and the problems with links to the node.
    await page.click('button:has-text("Publish")');
    await page.waitForSelector('[data-testid=publish-error]');
    t.regex((await page.textContent('[data-testid=problems]')) ?? '', /n3 · Menu 3/);
    await page.screenshot({ path: screenshotPath('flows-00b-publish-refused') });
    await page.fill('#f-n1-prompt_say', 'Welcome to Acme.');
    await page.selectOption('#f-n1-next_next', 'n3');
    await save('n1');
    await page.fill('#f-n3-name', 'Main menu');
    await page.fill('#f-n3-prompt_say', 'For sales press 1. To end the call press 2.');
    await page.fill('#f-n3-options', '1 Sales\n2 Goodbye');
    await page.selectOption('#f-n3-next_2', 'n2');
    await save('n3');
    await page.selectOption('#f-add-kind', 'play');
    await page.selectOption('#f-add-from', 'n3:1');
    await page.click('#add-node button[type=submit]');
    await page.waitForURL(editor);
    await page.fill('#f-n4-name', 'Sales');
    await page.fill('#f-n4-prompt_say', 'Sales');
    await page.selectOption('#f-n4-next_next', 'n2');
    await save('n4');
    t.regex((await page.textContent('[data-testid=problems]')) ?? '', /Ready to publish/);
    await page.screenshot({ path: screenshotPath('flows-01-editor'), fullPage: true });
    await page.screenshot({ path: screenshotPath('flows-01b-editor-top') });
    await page.locator('#node-n3').screenshot({ path: screenshotPath('flows-01c-menu-card') });
    await page.locator('#settings').screenshot({ path: screenshotPath('flows-01d-settings') });

    await page.click('button:has-text("Publish")');
    await page.waitForURL(editor);
    t.regex((await page.textContent('.flash-success')) ?? '', /Version 1 published/);
    t.regex((await page.textContent('[data-testid=versions]')) ?? '', /root/);

    await page.goto(`${server.base}/admin/flows`);
    t.regex((await page.textContent('[data-testid=flows]')) ?? '', /version 1/);
    await page.screenshot({ path: screenshotPath('flows-00a-list') });
    await page.goto(editor);
    await page.click('a:has-text("Simulate")');
    await page.fill('#f-answers', '1');
    await page.click('main form button:has-text("Run the call")');
    await page.waitForSelector('[data-testid=result]');
    const steps = await page.$$eval('[data-testid=path] .path-step', (els) => els.map((e) => e.textContent));
    t.deepEqual(steps, ['Welcome', 'Main menu', 'Sales', 'Goodbye']);
    const heard = (await page.textContent('[data-testid=heard]')) ?? '';
    for (const said of ['Welcome to Acme.', 'For sales press 1. To end the call press 2.', 'Sales', 'Goodbye.']) t.true(heard.includes(`“${said}”`), said);
    t.regex((await page.textContent('[data-testid=outcome]')) ?? '', /Hung up by the flow/);
    await page.screenshot({ path: screenshotPath('flows-02-simulator'), fullPage: true });
    t.deepEqual(consoleErrors, []);
  });
}
