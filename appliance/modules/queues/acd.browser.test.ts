import test from 'ava';
import { chromiumPath, hasChromium, launchBrowser, mustHaveBrowser, screenshotPath } from '../../test/browser.js';
import { hangupInfo } from '../../freeswitch/testing/events.js';
import { startTestServer } from '../../test/http-client.js';
import { makeTestContext, testActor } from '../../test/make-test-context.js';
import { acdFixtures, queueForm } from './testing/fixtures.js';

const CALLER = '44444444-4444-4444-8444-444444444444';

if (!hasChromium && !mustHaveBrowser) {
  test('browser: live queues and the agent page (skipped)', (t) => {
    t.log(`SKIPPED: no Chromium at ${chromiumPath}; install Debian's chromium package or set CHROMIUM_BIN`);
    t.pass();
  });
} else {
  test('browser: an agent logs in and takes a break from their page; the supervisor\'s live view shows it and a waiting caller as they happen', async (t) => {
    const ctx = await makeTestContext();
    const f = await acdFixtures(ctx);
    const sales = ctx.queues.create(queueForm({ wrapUp: 'timed', wrapUpS: '30', dispositions: 'Sale\nNo sale' }), testActor);
    const ann = await ctx.agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id) }, testActor);
    ctx.agents.memberships.add(sales.id, { agentId: String(ann.id) }, testActor);
    // The switch is up; Ann's desk phone is registered; an originate rings until the test answers it.
    const ringing: ((body: string) => void)[] = [];
    ctx.sw.respond = (c) => {
      if (c === 'show registrations as json') return JSON.stringify({ rows: [{ reg_user: '1001', token: 't1', url: 'sip:1001@127.0.0.1:5070' }] });
      if (c === 'show channels as json') return JSON.stringify({ rows: [{ uuid: CALLER }] });
      if (c === 'global_getvar domain') return 'callbox.test';
      if (c.startsWith('originate ')) return new Promise<string>((resolve) => ringing.push(resolve));
      return '+OK\n';
    };
    ctx.sw.finish = () => new Promise(() => undefined);
    ctx.sw.setConnected(true);
    ctx.acdRunner.start();
    const server = await startTestServer(ctx);
    const browser = await launchBrowser();
    t.teardown(async () => {
      ctx.acdRunner.stop();
      await browser.close();
      await server.close();
      ctx.close();
    });
    const errors: string[] = [];
    const login = async (user: string) => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
      page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
      await page.goto(`${server.base}/login`);
      await page.fill('#f-username', user);
      await page.fill('#f-password', 'correct horse battery');
      await page.click('main form button[type=submit]');
      return page;
    };

    const agent = await login('ann');
    await agent.waitForURL(`${server.base}/agent`);
    t.regex((await agent.textContent('[data-wb="state"]')) ?? '', /Logged out/);
    await agent.click('button:has-text("Log in")');
    await agent.waitForSelector('[data-wb="state"]:has-text("Ready")');
    t.regex((await agent.textContent('[data-wb="state"]')) ?? '', /Ready/);
    await agent.screenshot({ path: screenshotPath('acd-01-agent-ready') });

    const supervisor = await login('sam');
    await supervisor.waitForURL(`${server.base}/admin`);
    await supervisor.goto(`${server.base}/admin/queues/live`);
    await supervisor.waitForSelector('[data-live="agents"] >> text=Ready');

    // A caller arrives: the live view shows them ringing Ann, with no reload.
    await ctx.acdRunner.enter({ uuid: CALLER, queueId: sales.id, priority: 0, caller: '+4930555', callerName: '' });
    await supervisor.waitForSelector('[data-live="waiting"] >> text=+4930555');
    await supervisor.waitForSelector('[data-live="agents"] >> text=Ringing');
    t.regex((await supervisor.textContent('[data-live="waiting"]')) ?? '', /ann/);
    await supervisor.screenshot({ path: screenshotPath('acd-02-live-ringing'), fullPage: true });

    // Ann answers, talks, and the caller hangs up: wrap-up with the queue's dispositions on her page.
    ringing.shift()!('+OK\n');
    await supervisor.waitForSelector('[data-live="agents"] >> text=Talking');
    t.regex((await supervisor.textContent('[data-live="waiting"]')) ?? '', /Nobody is waiting/);
    ctx.sw.emit('channel.hungup', hangupInfo(CALLER, { callerNumber: '+4930555', billsec: 5, duration: 9 }));
    await agent.waitForSelector('[data-wb="wrap"]:not([hidden])', { timeout: 5000 }).catch(async (e: unknown) => {
      await agent.screenshot({ path: screenshotPath('acd-03-agent-wrap-up-missing') });
      t.log(ctx.acdRunner.acd.agent(ann.id));
      throw e;
    });
    await agent.selectOption('#wb-code', 'Sale');
    await agent.fill('#wb-note', 'Two licences');
    await agent.screenshot({ path: screenshotPath('acd-03-agent-wrap-up') });
    await agent.click('button:has-text("Save disposition")');
    await agent.waitForSelector('.flash-success:has-text("Disposition saved")');
    t.deepEqual(ctx.ledger.forCall(CALLER).find((e) => e.kind === 'queue.disposition')?.data, { code: 'Sale', note: 'Two licences', by: 'agent ann' });

    // A break with a reason, seen live by the supervisor.
    await agent.click('button:has-text("Ready now")');
    await agent.waitForSelector('[data-wb="state"]:has-text("Ready")');
    await agent.selectOption('#wb-reason', 'Lunch');
    await agent.click('button:has-text("Take a break")');
    await agent.waitForSelector('[data-wb="state"]:has-text("Lunch")');
    t.regex((await agent.textContent('[data-wb="state"]')) ?? '', /Not ready · Lunch/);
    await supervisor.waitForSelector('[data-live="agents"] >> text=Not ready · Lunch');
    await supervisor.screenshot({ path: screenshotPath('acd-04-live-break'), fullPage: true });
    const states = ctx.ledger.forAgent(ann.id).filter((e) => e.kind === 'agent.state').map((e) => e.data.to).reverse();
    t.deepEqual(states, ['ready', 'reserved', 'talking', 'wrap_up', 'ready', 'not_ready']);
    t.deepEqual(errors, []);
  });
}
