import test from 'ava';
import type { Page } from 'playwright-core';
import { chromiumPath, hasChromium, launchBrowser, mustHaveBrowser, screenshotPath } from '../../test/browser.js';
import { startTestServer } from '../../test/http-client.js';
import { makeTestContext, testActor } from '../../test/make-test-context.js';
import { acdFixtures, queueForm } from '../queues/testing/fixtures.js';

const CALLER = '77777777-7777-4777-8777-777777777777';

const until = async (f: () => boolean, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (f()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

if (!hasChromium && !mustHaveBrowser) {
  test('browser: recording policies and the pause button (skipped)', (t) => {
    t.log(`SKIPPED: no Chromium at ${chromiumPath}; install Debian's chromium package or set CHROMIUM_BIN`);
    t.pass();
  });
} else {
  test('browser: an admin adds a recording policy with the form; an agent on a recorded call pauses and resumes the recording', async (t) => {
    const ctx = await makeTestContext();
    const f = await acdFixtures(ctx);
    const sales = ctx.queues.create(queueForm(), testActor);
    const ann = await ctx.agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id) }, testActor);
    ctx.agents.memberships.add(sales.id, { agentId: String(ann.id) }, testActor);
    const ringing = new Map<string, () => void>();
    ctx.sw.respond = (c) => {
      if (c === 'show registrations as json') return JSON.stringify({ rows: [{ reg_user: '1001', token: 't1', url: 'sip:1001@127.0.0.1:5070' }] });
      if (c === 'show channels as json') return JSON.stringify({ rows: [{ uuid: CALLER }] });
      if (c === 'global_getvar domain') return 'callbox.test';
      if (c.startsWith('originate ')) {
        const leg = /origination_uuid=([0-9a-f-]{36})/.exec(c)![1]!;
        return new Promise<string>((resolve) => ringing.set(leg, () => resolve(`+OK ${leg}\n`)));
      }
      return '+OK\n';
    };
    ctx.sw.finish = () => new Promise(() => undefined);
    ctx.sw.setConnected(true);
    ctx.acdRunner.start();
    ctx.agentCalls.start();
    const server = await startTestServer(ctx);
    const browser = await launchBrowser();
    t.teardown(async () => {
      ctx.agentCalls.stop();
      ctx.acdRunner.stop();
      await browser.close();
      await server.close();
      ctx.close();
    });
    const signIn = async (page: Page, user: string) => {
      await page.goto(`${server.base}/login`);
      await page.fill('#f-username', user);
      await page.fill('#f-password', 'correct horse battery');
      await page.click('main form button[type=submit]');
    };

    // The admin: a bad percentage is refused with its field error, then the policy is added and given to the queue.
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(admin, 'root');
    await admin.goto(`${server.base}/admin/recording-policies/new`);
    t.false(await admin.isVisible('#f-percent'), 'the percentage is asked for only for a percent policy');
    await admin.fill('#f-name', 'Sales calls');
    await admin.selectOption('#f-mode', 'percent');
    t.true(await admin.isVisible('#f-percent'));
    await admin.fill('#f-percent', '150');
    await admin.click('main form button[type=submit]');
    await admin.waitForSelector('#e-percent:has-text("Use 1 to 99 percent")');
    await admin.screenshot({ path: screenshotPath('recording-policies-01-form-error'), fullPage: true });
    await admin.selectOption('#f-mode', 'always');
    await admin.click('main form button[type=submit]');
    await admin.waitForURL(`${server.base}/admin/recording-policies`);
    t.regex((await admin.textContent('[data-testid="policies"]')) ?? '', /Sales calls.*Always, from the agent's answer, stereo, kept 90 days/s);
    await admin.screenshot({ path: screenshotPath('recording-policies-02-list'), fullPage: true });
    const policy = ctx.recordingPolicies.idByName('Sales calls')!;
    await admin.goto(`${server.base}/admin/queues/${sales.id}`);
    await admin.selectOption('#f-recordingPolicyId', String(policy));
    await admin.click('#settings form button[type=submit]');
    await admin.waitForSelector('.flash');
    t.is(ctx.queues.find(sales.id)?.recordingPolicyId, policy);

    // Ann takes a Sales call: it is recorded; she pauses while the caller reads a card number, then resumes.
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, 'ann');
    await page.waitForURL(`${server.base}/agent`);
    await page.click('[data-wb-action="login"]');
    await page.waitForSelector('[data-wb="state"]:has-text("Ready")');
    await ctx.acdRunner.enter({ uuid: CALLER, queueId: sales.id, priority: 0, caller: '+4930555', callerName: 'Mia Meyer' });
    await until(() => ringing.size > 0, 'the offer');
    [...ringing.values()][0]!();
    await page.waitForSelector('[data-wb="talk-state"]:has-text("Talking")');
    await page.waitForSelector('[data-wb-action="pause-recording"]:visible');
    t.true(await page.isVisible('[data-wb="recording"]'));
    t.true(ctx.sw.lines().some((l) => l.startsWith(`api uuid_record ${CALLER} start `)));
    await page.screenshot({ path: screenshotPath('recording-03-workbench-recorded') });
    await page.click('[data-wb-action="pause-recording"]');
    await page.waitForSelector('[data-wb="recording-paused"]:visible');
    t.true(await page.isVisible('[data-wb-action="resume-recording"]'));
    t.false(await page.isVisible('[data-wb-action="pause-recording"]'));
    t.true(ctx.sw.lines().some((l) => l.startsWith(`api uuid_record ${CALLER} mask `)));
    await page.screenshot({ path: screenshotPath('recording-04-workbench-paused') });
    await page.click('[data-wb-action="resume-recording"]');
    await page.waitForSelector('[data-wb="recording"]:visible');
    t.true(ctx.sw.lines().some((l) => l.startsWith(`api uuid_record ${CALLER} unmask `)));
    t.deepEqual(ctx.ledger.forCall(CALLER).filter((e) => e.kind.startsWith('recording.')).map((e) => e.kind), ['recording.started', 'recording.paused', 'recording.resumed']);
    t.deepEqual(errors, []);
  });
}
