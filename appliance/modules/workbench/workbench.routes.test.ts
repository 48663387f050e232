import test, { type ExecutionContext } from 'ava';
import { startTestServer, type TestClient } from '../../test/http-client.js';
import { makeTestContext, testActor } from '../../test/make-test-context.js';
import { acdFixtures, queueForm } from '../queues/testing/fixtures.js';

const CALLER = '55555555-5555-4555-8555-555555555555';

async function world(t: ExecutionContext) {
  const ctx = await makeTestContext();
  const f = await acdFixtures(ctx);
  const sales = ctx.queues.create(queueForm({ dispositions: 'Sale\nNo sale' }), testActor);
  const ann = await ctx.agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id) }, testActor);
  const bob = await ctx.agents.create({ userId: String(f.bob.id), number: '202', deviceKind: 'extension', extensionId: String(f.desk2.id) }, testActor);
  ctx.agents.memberships.add(sales.id, { agentId: String(ann.id) }, testActor);
  const originates: string[] = [];
  ctx.sw.respond = (c) => {
    if (c === 'show registrations as json') return JSON.stringify({ rows: [{ reg_user: '1001', token: 't1', url: 'sip:1001@127.0.0.1:5070' }] });
    if (c === 'show channels as json') return JSON.stringify({ rows: [] });
    if (c === 'global_getvar domain') return 'callbox.test';
    if (c.startsWith('originate ')) {
      originates.push(c);
      return new Promise<string>(() => undefined);
    }
    return '+OK\n';
  };
  ctx.sw.setConnected(true);
  ctx.acdRunner.start();
  ctx.agentCalls.start();
  const server = await startTestServer(ctx);
  t.teardown(async () => {
    ctx.agentCalls.stop();
    ctx.acdRunner.stop();
    await server.close();
    ctx.close();
  });
  return { ctx, f, sales, ann, bob, server, originates };
}

/** Signed in on the workbench, with the page's CSRF token for the script's JSON posts. */
async function agentClient(server: { client: () => TestClient }, user: string) {
  const c = server.client();
  await c.login(user);
  const page = await c.get('/agent');
  c.csrf = /data-csrf="([^"]+)"/.exec(page.text)![1]!;
  const post = async (path: string, json: unknown = {}, headers: Record<string, string> = {}) => {
    const r = await c.request('POST', path, { json, headers: { accept: 'application/json', 'x-csrf-token': c.csrf, ...headers } });
    return { status: r.status, body: JSON.parse(r.text) as { ok: boolean; code?: string; message: string; fields?: Record<string, string>; state?: { agent: { state: string } | null; call: unknown } } };
  };
  return { c, page, post };
}

test('the workbench page carries its state; a non-agent gets the explanation', async (t) => {
  const { server, ctx } = await world(t);
  const { page } = await agentClient(server, 'ann');
  t.is(page.status, 200);
  const boot = JSON.parse(/<script type="application\/json" id="workbench-boot">(.*?)<\/script>/s.exec(page.text)![1]!) as { state: { agent: { state: string } }; targets: { agents: { name: string }[] } };
  t.is(boot.state.agent.state, 'logged_out');
  t.deepEqual(boot.targets.agents.map((a) => a.name), ['bob (202)'], 'transfer targets: the other agents');
  t.regex(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  await ctx.addUser('carl', 'agent');
  const carl = server.client();
  await carl.login('carl');
  t.regex((await carl.get('/agent')).text, /not set up as an agent/);
});

test('actions answer JSON with the new state; refused ones say why and change nothing', async (t) => {
  const { server, ctx, ann, originates } = await world(t);
  const { post } = await agentClient(server, 'ann');
  const login = await post('/agent/login');
  t.is(login.status, 200);
  t.is(login.body.state!.agent!.state, 'ready');
  const hold = await post('/agent/call/hold');
  t.is(hold.status, 409);
  t.is(hold.body.code, 'call.none');
  const dial = await post('/agent/call/dial', { number: 'call me', callerId: '' });
  t.is(dial.status, 422);
  t.truthy(dial.body.fields!.number);
  const cid = await post('/agent/call/dial', { number: '+4930444', callerId: '+4930999' });
  t.is(cid.status, 422);
  t.truthy(cid.body.fields!.callerId);
  t.deepEqual(originates, [], 'nothing was dialled');
  const bad = await post('/agent/not-ready', { reason: 'Nap' });
  t.is(bad.status, 422);
  t.is(ctx.acdRunner.acd.agent(ann.id)!.state, 'ready');
  const noCsrf = await post('/agent/ready', {}, { 'x-csrf-token': 'forged' });
  t.is(noCsrf.status, 403);
});

test('a second workbench takes over: the first is told why and its actions are refused', async (t) => {
  const { server } = await world(t);
  const first = await agentClient(server, 'ann');
  const stream = await first.c.raw('/agent/events?tab=first', { accept: 'text/event-stream' });
  const reader = stream.body!.getReader();
  const read = async () => new TextDecoder().decode((await reader.read()).value);
  t.regex(await read(), /^data: \{"now"/);
  const second = await agentClient(server, 'ann');
  const other = await second.c.raw('/agent/events?tab=second', { accept: 'text/event-stream' });
  let text = '';
  while (!text.includes('event: takeover')) text += await read();
  t.regex(text, /opened in another window/);
  const refused = await first.post('/agent/login', {}, { 'x-workbench-tab': 'first' });
  t.is(refused.status, 409);
  t.is(refused.body.code, 'workbench.inactive');
  const ok = await second.post('/agent/login', {}, { 'x-workbench-tab': 'second' });
  t.is(ok.status, 200);
  await other.body!.cancel();
});

test('the history shows the agent\u2019s own calls only, newest first, with the disposition', async (t) => {
  const { server, ctx, ann, bob, sales } = await world(t);
  const at = ctx.clock.now() - 200_000;
  ctx.ledger.append({ at, kind: 'queue.answered', callId: CALLER, queueId: sales.id, agentId: ann.id, data: { caller: '+4930555', waitMs: 4000 } });
  ctx.ledger.append({ at: at + 60_000, kind: 'queue.end', callId: CALLER, queueId: sales.id, agentId: ann.id, data: { by: 'caller', talkMs: 60_000 } });
  ctx.ledger.append({ at: at + 70_000, kind: 'queue.disposition', callId: CALLER, queueId: sales.id, agentId: ann.id, data: { code: 'Sale', note: 'Two licences', by: 'agent ann' } });
  ctx.ledger.append({ at: at + 80_000, kind: 'call.outbound', callId: 'x-bob-1', agentId: bob.id, data: { number: '+4930777' } });
  ctx.ledger.append({ at: at + 90_000, kind: 'call.outbound', callId: 'x-ann-2', agentId: ann.id, data: { number: '+4930888' } });
  ctx.ledger.append({ at: at + 95_000, kind: 'call.failed', callId: 'x-ann-2', agentId: ann.id, data: { side: 'customer', cause: 'USER_BUSY' } });
  const { c } = await agentClient(server, 'ann');
  const h = JSON.parse((await c.get('/agent/history', { accept: 'application/json' })).text) as { rows: { number: string; outcome: string; disposition: string | null; queue: string | null; talkMs: number | null }[] };
  t.deepEqual(h.rows.map((r) => r.number), ['+4930888', '+4930555']);
  t.is(h.rows[0]!.outcome, 'not connected (user busy)');
  t.is(h.rows[1]!.disposition, 'Sale');
  t.is(h.rows[1]!.queue, 'Sales');
  t.is(h.rows[1]!.talkMs, 60_000);
});
