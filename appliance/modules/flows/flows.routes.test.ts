import anyTest, { type TestFn } from 'ava';
import { startTestServer, type TestClient } from '../../test/http-client.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';

interface Ctx {
  ctx: TestContext;
  server: Awaited<ReturnType<typeof startTestServer>>;
  c: TestClient;
}
const test = anyTest as TestFn<Ctx>;
test.beforeEach(async (t) => {
  const ctx = await makeTestContext();
  await ctx.addUser('root', 'admin');
  const server = await startTestServer(ctx);
  const c = server.client();
  await c.login('root');
  t.context = { ctx, server, c };
});
test.afterEach.always(async (t) => {
  await t.context.server.close();
  t.context.ctx.close();
});

/** Create a flow through the form; its id. */
async function newFlow(c: TestClient, name = 'Main menu'): Promise<number> {
  await c.get('/admin/flows');
  const r = await c.post('/admin/flows', { name, description: 'Daytime calls', fallbackKind: 'hangup', fallbackExtensionId: '' });
  return Number(/\/admin\/flows\/(\d+)$/.exec(r.location ?? '')![1]);
}

const menuForm = { name: 'Main menu', prompt_prompt: '', prompt_say: 'For sales press 1, to hang up press 2.', options: '1 Sales\n2 Goodbye', timeoutSeconds: '5', tries: '3', noInputPrompt_say: '', noMatchPrompt_say: '' };

test('http flows: create, build a menu, refused bad input, publish refused with problems, then published and simulated', async (t) => {
  const { c, ctx } = t.context;
  const blank = await c.get('/admin/flows');
  t.regex(blank.text, /No flows yet/);
  const bad = await c.post('/admin/flows', { name: '', fallbackKind: 'voicemail', fallbackExtensionId: '' });
  t.is(bad.status, 422);
  t.regex(bad.text, /id="e-name">Give the flow a name/);
  t.regex(bad.text, /id="e-fallbackExtensionId">Choose the extension/);

  const id = await newFlow(c);
  const list = await c.get('/admin/flows');
  t.regex(list.text, /<a href="\/admin\/flows\/\d+">Main menu<\/a>/);
  t.regex(list.text, /never published/);
  t.is((await c.get('/admin/flows?q=nothing')).text.includes('No flow matches'), true);

  // A menu, connected from nowhere yet; the welcome's branch is then pointed at it.
  const editor = await c.get(`/admin/flows/${id}`);
  t.regex(editor.text, /<svg[^>]*class="flow-graph"/);
  t.regex(editor.text, /id="node-n1"/);
  const added = await c.post(`/admin/flows/${id}/nodes`, { kind: 'menu', from: '' });
  t.is(added.status, 303);
  t.is(ctx.flows.get(id).draft.nodes.at(-1)!.kind, 'menu');
  await c.get(`/admin/flows/${id}`);
  await c.post(`/admin/flows/${id}/nodes/n1`, { name: 'Welcome', prompt_say: 'Welcome to Acme.', next_next: 'n3' });
  // A second play, connected from the menu's key 1 by the add form.
  await c.post(`/admin/flows/${id}/nodes`, { kind: 'play', from: 'n3:1' });
  t.is(ctx.flows.get(id).draft.nodes.find((n) => n.id === 'n3')!.next['1'], 'n4');

  // Bad input: field errors beside the fields, what was typed kept, nothing changed.
  const before = JSON.stringify(ctx.flows.get(id).draft);
  const refused = await c.post(`/admin/flows/${id}/nodes/n3`, { ...menuForm, options: '1 Sales\n1 Again', tries: 'many' });
  t.is(refused.status, 422);
  t.regex(refused.text, /id="e-f-n3-options">Key 1 is listed twice/);
  t.regex(refused.text, /id="e-f-n3-tries">Tries: a whole number/);
  t.regex(refused.text, /<textarea id="f-n3-options" name="options"[^>]*>1 Sales\n1 Again<\/textarea>/);
  t.is(JSON.stringify(ctx.flows.get(id).draft), before);

  // Publishing with problems is refused and lists them with links to the nodes; no version is made.
  const noPublish = await c.post(`/admin/flows/${id}/publish`);
  t.is(noPublish.status, 422);
  t.regex(noPublish.text, /data-testid="publish-error"/);
  t.regex(noPublish.text, /<a href="#node-n3">n3 · Menu 3<\/a> <span class="muted">— Prompt<\/span><br>Choose a prompt or type what to say/);
  t.regex(noPublish.text, /<a href="#node-n4">n4 · Play 4<\/a>/);
  t.deepEqual(ctx.flows.versions(id), []);

  // Fixed: the menu asks and branches, the play says "Sales" and hangs up.
  t.is((await c.post(`/admin/flows/${id}/nodes/n3`, { ...menuForm, next_1: 'n4', next_2: 'n2' })).status, 303);
  t.is((await c.post(`/admin/flows/${id}/nodes/n4`, { name: 'Sales', prompt_say: 'Sales', next_next: 'n2' })).status, 303);
  const ready = await c.get(`/admin/flows/${id}`);
  t.regex(ready.text, /Ready to publish/);
  const published = await c.post(`/admin/flows/${id}/publish`);
  t.is(published.status, 303);
  const after = await c.get(`/admin/flows/${id}`);
  t.regex(after.text, /Version 1 published/);
  t.regex(after.text, /<tr><td>1 <span class="badge badge-on">live<\/span><\/td><td>[^<]+<\/td><td>root<\/td>/);
  t.regex((await c.get('/admin/flows')).text, /version 1/);

  // The simulator form: key 1 goes welcome → menu → sales → goodbye, and says so.
  const form = await c.get(`/admin/flows/${id}/simulate`);
  t.regex(form.text, /name="date" type="date" value="2026-01-01"/, 'now, by the clock');
  const sim = await c.post(`/admin/flows/${id}/simulate`, { version: '1', answers: '1', callerNumber: '+4930111', calledNumber: '+4930999', date: '2026-03-02', time: '10:00', timezone: 'Europe/Berlin' });
  t.is(sim.status, 200);
  t.regex(sim.text, /<span class="path-step">Welcome<\/span> <span class="muted">→<\/span> <span class="path-step">Main menu<\/span> <span class="muted">→<\/span> <span class="path-step">Sales<\/span> <span class="muted">→<\/span> <span class="path-step">Goodbye<\/span>/);
  t.regex(sim.text, /<span class="spoken">“Welcome to Acme\.”<\/span>/);
  t.regex(sim.text, /“For sales press 1, to hang up press 2\.”<\/span> <audio [^>]+><\/audio> <span class="small muted">→ pressed 1/);
  t.regex(sim.text, /Hung up by the flow/);
  t.regex(sim.text, /<code>caller_number<\/code><\/td><td>\+4930111/);
  const badSim = await c.post(`/admin/flows/${id}/simulate`, { answers: '1 x', date: '2026-02-30', time: '10:00', timezone: 'UTC' });
  t.is(badSim.status, 422);
  t.regex(badSim.text, /id="e-answers">Keys only/);
  t.regex(badSim.text, /id="e-date">A date/);
  t.notRegex(badSim.text, /data-testid="result"/);
});

test('http flows: the JSON simulator answers the path and the variables; bad input names the field', async (t) => {
  const { c, ctx } = t.context;
  const id = await newFlow(c);
  ctx.flows.addNode(id, { kind: 'http', from: '' }, testActor);
  ctx.flows.updateNode(id, 'n1', { name: 'Welcome', prompt_say: 'Hello ${name}', next_next: 'n2' }, testActor);
  ctx.flows.updateNode(id, 'n3', { name: 'CRM', method: 'GET', url: 'https://crm.example.com/?n=${caller_number}', map: 'name = customer.name', timeoutSeconds: '3', next_success: 'n1', next_failure: 'n2' }, testActor);
  ctx.flows.updateSettings(id, { ...settings(), start: 'n3' }, testActor);
  await c.get(`/admin/flows/${id}`);
  const headers = { accept: 'application/json', 'x-csrf-token': c.csrf };
  const r = await c.request('POST', `/api/flows/${id}/simulate`, { json: { answers: [], callerNumber: '+4930111', http: { n3: { status: 200, body: '{"customer":{"name":"Ana"}}' } } }, headers });
  t.is(r.status, 200);
  const out = JSON.parse(r.text) as { outcome: string; steps: { node: string }[]; vars: Record<string, string>; events: { kind: string }[] };
  t.is(out.outcome, 'hangup');
  t.deepEqual(out.steps.map((s) => s.node), ['n3', 'n1', 'n2']);
  t.like(out.vars, { name: 'Ana', caller_number: '+4930111', http_status: '200' });
  t.true(out.events.some((e) => e.kind === 'http'));

  // The form too shows the request with its canned answer.
  const page = await c.post(`/admin/flows/${id}/simulate`, { answers: '', date: '2026-03-02', time: '10:00', timezone: 'UTC', callerNumber: '+4930111', http_n3_status: '200', http_n3_body: '{"customer":{"name":"Ana"}}' });
  t.regex(page.text, /<code>GET https:\/\/crm\.example\.com\/\?n&#x3D;\+4930111<\/code>/);
  t.regex(page.text, /“Hello Ana”/);
  const badStatus = await c.post(`/admin/flows/${id}/simulate`, { answers: '', date: '2026-03-02', time: '10:00', timezone: 'UTC', http_n3_status: 'ok' });
  t.is(badStatus.status, 422);
  t.regex(badStatus.text, /id="e-http_n3_status">An HTTP status/);

  const bad = await c.request('POST', `/api/flows/${id}/simulate`, { json: { answers: ['x'], at: 'yesterday' }, headers });
  t.is(bad.status, 422);
  const refused = JSON.parse(bad.text) as { code: string; fields: Record<string, string> };
  t.is(refused.code, 'flow.simulation_invalid');
  t.deepEqual(Object.keys(refused.fields).sort(), ['answers', 'at']);
  const noCsrf = await c.request('POST', `/api/flows/${id}/simulate`, { json: { answers: [] }, headers: { accept: 'application/json' } });
  t.is(noCsrf.status, 403);
  const missing = await c.request('POST', '/api/flows/999/simulate', { json: { answers: [] }, headers });
  t.is(missing.status, 404);
});

function settings(): Record<string, string> {
  return { language: 'en', voice: 'en-us', rate: '160', volume: '100', maxSteps: '50', noInput1_say: 'Sorry?', noInputThen: 'fallback', noMatch1_say: 'Sorry.', noMatchThen: 'hangup' };
}

test('http flows: settings, info, discard and delete', async (t) => {
  const { c, ctx } = t.context;
  const id = await newFlow(c);
  await c.get(`/admin/flows/${id}`);
  const badSettings = await c.post(`/admin/flows/${id}/settings`, { ...settings(), voice: 'cmn', rate: '20', start: 'n1' });
  t.is(badSettings.status, 422);
  t.regex(badSettings.text, /id="e-f-settings-voice">Choose a voice that speaks English/);
  t.regex(badSettings.text, /id="e-f-settings-rate">Speaking rate: at least 80/);
  t.is((await c.post(`/admin/flows/${id}/settings`, { ...settings(), rate: '180', start: 'n1' })).status, 303);
  t.is(ctx.flows.get(id).draft.settings.rate, 180);
  t.is(ctx.flows.get(id).draft.settings.noMatch.then.action, 'hangup');
  const badInfo = await c.post(`/admin/flows/${id}/info`, { name: 'Main menu', fallbackKind: 'extension', fallbackExtensionId: '' });
  t.regex(badInfo.text, /id="e-fallbackExtensionId">Choose the extension/);
  t.is((await c.post(`/admin/flows/${id}/info`, { name: 'Renamed', description: '', fallbackKind: 'hangup' })).status, 303);
  t.is(ctx.flows.get(id).name, 'Renamed');

  // Discard with nothing published is refused with a message, not an error page.
  const discard = await c.post(`/admin/flows/${id}/discard`);
  t.is(discard.status, 303);
  t.regex((await c.get(`/admin/flows/${id}`)).text, /Nothing is published yet/);
  ctx.flows.publish(id, testActor);
  await c.post(`/admin/flows/${id}/nodes/n1`, { name: 'Changed', prompt_say: 'Hi', next_next: 'n2' });
  t.regex((await c.get(`/admin/flows/${id}`)).text, /draft has changes/);
  t.is((await c.post(`/admin/flows/${id}/discard`)).status, 303);
  t.is(ctx.flows.get(id).draft.nodes[0]!.name, 'Welcome');

  // The start node cannot be deleted; another node can.
  await c.post(`/admin/flows/${id}/nodes/n1/delete`);
  t.regex((await c.get(`/admin/flows/${id}`)).text, /Calls start at this node/);
  await c.post(`/admin/flows/${id}/nodes/n2/delete`);
  t.deepEqual(ctx.flows.get(id).draft.nodes.map((n) => n.id), ['n1']);

  const del = await c.post(`/admin/flows/${id}/delete`);
  t.is(del.location, '/admin/flows');
  t.false(ctx.flows.exists(id));
});

test('http flows: supervisors look and simulate but do not change; agents are refused; unknown ids are 404', async (t) => {
  const { c, ctx, server } = t.context;
  const id = await newFlow(c);
  t.is((await c.get('/admin/flows/999')).status, 404);
  t.is((await c.get('/admin/flows/abc')).status, 404);
  t.is((await c.post(`/admin/flows/${id}/nodes/n99`, { name: 'x' })).status, 404);

  await ctx.addUser('sue', 'supervisor');
  const sup = server.client();
  await sup.login('sue');
  const page = await sup.get(`/admin/flows/${id}`);
  t.is(page.status, 200);
  t.regex(page.text, /<fieldset class="plain" disabled>/);
  t.notRegex(page.text, /Publish<\/button>/);
  t.is((await sup.post(`/admin/flows/${id}/publish`)).status, 403);
  t.is((await sup.post('/admin/flows', { name: 'Mine', fallbackKind: 'hangup' })).status, 403);
  await sup.get(`/admin/flows/${id}/simulate`);
  t.is((await sup.post(`/admin/flows/${id}/simulate`, { answers: '', date: '2026-03-02', time: '10:00', timezone: 'UTC' })).status, 200);

  await ctx.addUser('ann', 'agent');
  const agent = server.client();
  await agent.login('ann');
  t.is((await agent.get('/admin/flows')).status, 403);
  const anon = server.client();
  t.is((await anon.request('POST', `/api/flows/${id}/simulate`, { json: { answers: [] }, headers: { accept: 'application/json' } })).status, 403, 'no session: the CSRF check refuses first');
});

test('http flows: the editor lists the calls that ran the flow, newest version marked live', async (t) => {
  const { c, ctx } = t.context;
  const id = await newFlow(c);
  ctx.flows.publish(id, testActor);
  ctx.flows.publish(id, testActor);
  const run = ctx.flows.runs.start({ callUuid: '0b6c1f6e-5d0e-4a55-9a37-3f2e4b9d7a10', flowId: id, version: 2, numberId: null, caller: '+4930111', called: '4930999', startedAt: '2026-01-01T09:00:00.000Z' });
  ctx.flows.runs.end(run, { at: '2026-01-01T09:00:09.000Z', outcome: 'transfer', detail: 'extension 1001', path: [{ node: 'n1', kind: 'play', at: 0, branch: 'next', digits: [], played: ['Welcome'], note: null }, { node: 'n2', kind: 'hangup', at: 900, branch: null, digits: ['4'], played: [], note: null }], vars: {}, survey: '5' });
  const page = await c.get(`/admin/flows/${id}`);
  t.regex(page.text, /<td>2 <span class="badge badge-on">live<\/span><\/td>/);
  t.regex(page.text, /\+4930111<\/td><td>4930999<\/td><td>2<\/td>/);
  t.regex(page.text, /<a href="#node-n1">Welcome<\/a> → <a href="#node-n2">Goodbye<\/a> <span class="muted">\(4\)<\/span>/);
  t.regex(page.text, /transfer <span class="muted small">extension 1001<\/span> · survey 5/);
});

test('http flows: the simulator plays what a flow says, rendered as a call hears it; bad speech is refused', async (t) => {
  const { c } = t.context;
  const id = await newFlow(c);
  await c.get(`/admin/flows/${id}/simulate`);
  const sim = await c.post(`/admin/flows/${id}/simulate`, { answers: '', callerNumber: '+4930111', calledNumber: '4930999', date: '2026-01-05', time: '10:00', timezone: 'UTC', version: '' });
  const src = /<audio controls preload="none" src="(\/admin\/flows\/speech\?[^"]+)" aria-label="Listen">/.exec(sim.text)?.[1];
  t.truthy(src, 'each spoken line has a player');
  const audio = await c.get(src!.replaceAll('&amp;', '&').replaceAll('&#x3D;', '='));
  t.is(audio.status, 200, audio.text.slice(0, 300));
  t.regex(audio.headers.get('content-type') ?? '', /audio\/wav/);
  t.is((await c.get('/admin/flows/speech?text=Hello&voice=klingon&rate=160&volume=100')).status, 422);
  t.is((await c.get('/admin/flows/speech?text=&voice=en-us&rate=160&volume=100')).status, 422);
});
