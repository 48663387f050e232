import anyTest, { type TestFn } from 'ava';
import { parse } from 'csv-parse/sync';
import { startTestServer, type TestClient } from '../../test/http-client.js';
import { makeTestContext, type TestContext } from '../../test/make-test-context.js';
import { recordsScenario } from './testing/scenario.js';

interface Ctx {
  ctx: TestContext;
  server: Awaited<ReturnType<typeof startTestServer>>;
  s: Awaited<ReturnType<typeof recordsScenario>>;
  as: (user: string) => Promise<TestClient>;
}
const test = anyTest as TestFn<Ctx>;
test.beforeEach(async (t) => {
  const ctx = await makeTestContext();
  const s = await recordsScenario(ctx);
  const server = await startTestServer(ctx);
  const as = async (user: string) => {
    const c = server.client();
    await c.login(user);
    return c;
  };
  t.context = { ctx, server, s, as };
});
test.afterEach.always(async (t) => {
  await t.context.server.close();
  t.context.ctx.close();
});

/** The call ids a list page links to, in order. */
const listed = (html: string) => [...html.matchAll(/href="\/(?:admin|agent)\/calls\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
const sorted = (xs: Iterable<string | undefined> = []) => [...xs].sort();
/** An address as the page writes it into an attribute, back to what a browser follows. */
const unescape = (href: string) => href.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
const csvRows = (text: string) => parse(text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];

test('http records: an admin sees every call, newest first, with names, badges and the recording mark', async (t) => {
  const { as, s } = t.context;
  const c = await as('root');
  const page = await c.get('/admin/calls');
  t.is(page.status, 200);
  t.regex(page.text, /aria-current="page"[^>]*>Call records<\/a>/, 'the menu marks Call records');
  const ids = listed(page.text);
  const all = Object.values(s.calls).sort((a, b) => b.startedAt - a.startedAt);
  t.deepEqual(ids, all.map((c) => c.callId));
  t.regex(page.text, /<td>Sales<\/td>\s*<td>ann \(201\)<\/td>/);
  t.regex(page.text, /badge badge-off">Abandoned/);
  t.regex(page.text, /badge badge-warn">Busy/);
  t.regex(page.text, /class="rec-mark"/);
  t.regex(unescape(page.text), /href="\/admin\/calls\/export\.csv\?from=2025-12-26&to=2026-01-01"/, 'the export carries the filter (the last 7 days by default)');
});

test('http records: a supervisor sees the calls of their queues and their own, and nothing else: list, detail, export', async (t) => {
  const { as, s } = t.context;
  const c = await as('sam');
  const ids = listed((await c.get('/admin/calls')).text);
  const mine = [s.calls.annSales, s.calls.annSalesRecorded, s.calls.salesAbandoned, s.calls.samSupport];
  t.deepEqual(sorted(ids), sorted(mine.map((x) => x.callId)));
  t.is(ids.length, mine.length);
  t.is((await c.get(`/admin/calls/${s.calls.annSales.callId}`)).status, 200);
  t.is((await c.get(`/admin/calls/${s.calls.samSupport.callId}`)).status, 200, 'a Support call they took as an agent');
  const other = await c.get(`/admin/calls/${s.calls.bobSupport.callId}`);
  t.is(other.status, 404, "another queue's call does not exist for them");
  t.notRegex(other.text, /4915770001/);
  const csv = await c.get('/admin/calls/export.csv');
  t.deepEqual(sorted(csvRows(csv.text).map((r) => r['call id'])), sorted(mine.map((x) => x.callId)));
  // Filtering by the other queue shows nothing, rather than its calls.
  t.deepEqual(listed((await c.get(`/admin/calls?queueId=${s.support.id}`)).text), [s.calls.samSupport.callId]);
  t.true(t.context.ctx.recordPages.canSee({ id: s.f.sam.id, role: 'supervisor' }, s.calls.annSales.callId));
  t.false(t.context.ctx.recordPages.canSee({ id: s.f.sam.id, role: 'supervisor' }, s.calls.bobSupport.callId));
});

test('http records: an agent sees only the calls they were an agent in, in the workbench, and cannot reach the console list', async (t) => {
  const { as, s } = t.context;
  const c = await as('ann');
  t.is((await c.get('/admin/calls')).status, 403);
  const page = await c.get('/agent/calls');
  t.is(page.status, 200);
  t.regex(page.text, /class="workbench"/, 'in the agent layout');
  t.notRegex(page.text, /id="f-agentId"/, 'no agent filter for an agent');
  const mine = [s.calls.annSales, s.calls.annSalesRecorded, s.calls.supportAbandoned, s.calls.annOutbound, s.calls.annBusy];
  t.deepEqual(sorted(listed(page.text)), sorted(mine.map((x) => x.callId)));
  t.is((await c.get(`/agent/calls/${s.calls.supportAbandoned.callId}`)).status, 200, 'a call they missed is theirs too');
  t.is((await c.get(`/agent/calls/${s.calls.bobSupport.callId}`)).status, 404);
  t.is((await c.get(`/agent/calls/${s.calls.salesAbandoned.callId}`)).status, 404);
  // Asking for another agent's calls gives only the calls they shared (none).
  t.deepEqual(listed((await c.get(`/agent/calls?agentId=${s.bob.id}`)).text), []);
  const csv = csvRows((await c.get('/agent/calls/export.csv')).text);
  t.deepEqual(sorted(csv.map((r) => r['call id'])), sorted(mine.map((x) => x.callId)));
  t.false(t.context.ctx.recordPages.canSee({ id: s.f.ann.id, role: 'agent' }, s.calls.bobSupport.callId));
});

test('http records: anonymous visitors are sent to sign in', async (t) => {
  const c = t.context.server.client();
  for (const path of ['/admin/calls', '/admin/recordings', '/agent/calls', `/admin/calls/${t.context.s.calls.annSales.callId}`, '/admin/calls/export.csv']) {
    const res = await c.get(path);
    t.is(res.status, 303, path);
    t.regex(res.location ?? '', /^\/login/, path);
  }
});

test('http records: filters by number prefix, agent, queue, direction, outcome, result and recording', async (t) => {
  const { as, s } = t.context;
  const c = await as('root');
  const ids = async (q: string) => sorted(listed((await c.get(`/admin/calls?${q}`)).text));
  const set = (...xs: { callId: string }[]) => sorted(xs.map((x) => x.callId));
  t.deepEqual(await ids('number=%2B1555123'), set(s.calls.annSales, s.calls.annSalesRecorded, s.calls.salesAbandoned));
  t.deepEqual(await ids('number=49157'), set(s.calls.bobSupport, s.calls.supportAbandoned, s.calls.samSupport), 'without + matches numbers stored with one');
  t.deepEqual(await ids('number=4930999'), set(s.calls.annBusy), 'the dialled number of an outbound call');
  t.deepEqual(await ids(`agentId=${s.ann.id}&direction=inbound`), set(s.calls.annSales, s.calls.annSalesRecorded, s.calls.supportAbandoned));
  t.deepEqual(await ids(`queueId=${s.support.id}&outcome=abandoned`), set(s.calls.supportAbandoned));
  t.deepEqual(await ids('direction=outbound&result=busy'), set(s.calls.annBusy));
  t.deepEqual(await ids('recorded=1'), set(s.calls.annSalesRecorded));
  t.deepEqual(await ids('from=2025-12-01&to=2025-12-31'), sorted(), 'another month');
});

test('http records: bad filters give field errors, keep what was typed and show no calls', async (t) => {
  const c = await t.context.as('root');
  const res = await c.get('/admin/calls?from=2026-02-30&number=12a&direction=sideways&queueId=x');
  t.is(res.status, 422);
  t.regex(res.text, /Some filters need attention/);
  t.regex(res.text, /id="e-number">Digits, optionally after a \+/);
  t.regex(res.text, /id="e-direction">Choose one from the list/);
  t.regex(res.text, /id="e-queueId">Choose one from the list/);
  t.regex(res.text, /value="12a"/);
  t.deepEqual(listed(res.text), []);
  t.notRegex(res.text, /data-testid="export"/);
  const dates = await c.get('/admin/calls?from=2026-02-30');
  t.regex(dates.text, /id="e-from">There is no such day/);
  const order = await c.get('/admin/calls?from=2026-01-02&to=2026-01-01');
  t.regex(order.text, /id="e-to">The last day cannot be before the first/);
  const csv = await c.get('/admin/calls/export.csv?number=abc');
  t.is(csv.status, 422);
  t.notRegex(csv.headers.get('content-type') ?? '', /csv/);
});

test('http records: keyset pages go older and newer without duplicates or gaps', async (t) => {
  const { ctx, as, s } = t.context;
  const { answeredCall } = await import('./testing/fixtures.js');
  // 120 more calls, several at the same millisecond, so the call id breaks ties.
  const t0 = ctx.clock.now() - 86_400_000;
  for (let i = 0; i < 120; i++) ctx.records.store.save(answeredCall(t0 + Math.floor(i / 3) * 1000, { agentId: s.bob.id, queueId: s.support.id }));
  const c = await as('root');
  const seen: string[] = [];
  const pages: string[][] = [];
  let href: string | null = '/admin/calls';
  while (href) {
    const page = await c.get(href);
    const ids = listed(page.text);
    pages.push(ids);
    seen.push(...ids);
    const next = /<a rel="next" href="([^"]+)"/.exec(page.text)?.[1];
    href = next ? unescape(next) : null;
  }
  t.deepEqual(pages.map((p) => p.length), [50, 50, 28]);
  t.is(new Set(seen).size, 128, 'no call twice');
  const expected = ctx.db.prepare<[], string>('SELECT call_id FROM call_records ORDER BY started_at DESC, call_id DESC').pluck().all();
  t.deepEqual(seen, expected, 'in order, none skipped');
  // Back from the last page: the page before it, exactly.
  const last = await c.get(`/admin/calls?before=${encodeURIComponent('x')}`);
  t.is(last.status, 200, 'a cursor that is not ours means the first page');
  const third = await c.get(`/admin/calls?from=2025-12-26&to=2026-01-01&before=${pageCursor(ctx, pages[1]!.at(-1)!)}`);
  const newerHref = unescape(/<a rel="prev" href="([^"]+)"/.exec(third.text)![1]!);
  t.deepEqual(listed((await c.get(newerHref)).text), pages[1]);
});

function pageCursor(ctx: TestContext, callId: string) {
  const at = ctx.db.prepare<[string], number>('SELECT started_at FROM call_records WHERE call_id = ?').pluck().get(callId)!;
  return `${at}_${callId}`;
}

test('http records: the CSV export streams the filtered calls with names, times and totals, formula-safe', async (t) => {
  const { as, s } = t.context;
  const c = await as('root');
  const res = await c.raw(`/admin/calls/export.csv?queueId=${s.support.id}`);
  t.is(res.status, 200);
  t.regex(res.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
  t.regex(res.headers.get('content-disposition') ?? '', /attachment; filename="?calls-2025-12-26-to-2026-01-01\.csv"?/);
  t.is(res.headers.get('transfer-encoding'), 'chunked', 'streamed');
  t.is(res.headers.get('content-length'), null);
  const rows = csvRows(await res.text());
  t.deepEqual(Object.keys(rows[0]!), ['call id', 'start', 'answer', 'end', 'direction', 'caller', 'callee', 'dialed', 'trunk', 'queue', 'wait s', 'outcome', 'result', 'agents', 'talk s', 'hold s', 'wrap s', 'hangup cause', 'hung up by', 'disposition', 'note', 'survey', 'recording']);
  t.deepEqual(rows.map((r) => r['call id']), [s.calls.samSupport, s.calls.supportAbandoned, s.calls.bobSupport].map((x) => x.callId));
  const bob = rows[2]!;
  t.like(bob, { start: '2026-01-01 06:30:00', direction: 'inbound', caller: '+4915770001', queue: 'Support', 'wait s': '50', outcome: 'Answered', agents: 'bob (202)', 'talk s': '120', 'hold s': '10', 'wrap s': '15', disposition: 'Resolved', recording: 'no', 'hung up by': 'customer' });
  t.is(bob.note, 'Refund for =SUM(A1)', 'a formula inside the text is harmless and kept');
  t.like(rows[1]!, { outcome: 'Abandoned', agents: 'ann (201)', 'talk s': '0' });
});

test('http records: a call page shows the summary, agents, IVR path and variables, recordings with pauses, legs and the timeline', async (t) => {
  const { as, s } = t.context;
  const c = await as('root');
  const page = await c.get(`/admin/calls/${s.calls.annSalesRecorded.callId}`);
  t.is(page.status, 200);
  t.regex(page.text, /<h1>Call \+15551230002 <span class="muted">→<\/span> \+15550199<\/h1>/);
  t.regex(page.text, /Sales · waited 0:30/);
  t.regex(page.text, /<td>ann \(201\)<\/td><td>Sales<\/td><td>\+0:38<\/td><td class="num">0:04<\/td><td class="num">2:00<\/td><td class="num">0:10<\/td><td class="num">0:15<\/td>/);
  t.regex(page.text, /<span class="node-id">n2<\/span><\/td><td>menu<\/td><td>2<\/td><td><code>2<\/code>/);
  t.regex(page.text, /<dt><code>account<\/code><\/dt><dd>4711<\/dd>/);
  t.regex(page.text, /<audio controls preload="metadata" src="\/recordings\/41\/audio"><\/audio>/);
  t.regex(page.text, /href="\/recordings\/41\/audio\?download=1"/);
  t.regex(page.text, /Paused \+1:12–\+1:27/);
  t.regex(page.text, /<li class="tl-item tl-queue"><span class="tl-at" title="07:00:42">\+0:42<\/span><span class="tl-text">The agent answered after 30 s waiting <span class="muted small">· ann \(201\) · Sales<\/span>/);
  t.regex(page.text, /sofia\/internal\/1001@10\.0\.0\.5/);
  t.regex(page.text, /Resolved <span class="muted">by ann \(201\)<\/span><br><span class="note">Reset the password<\/span>/);
  const out = await c.get(`/admin/calls/${s.calls.annBusy.callId}`);
  t.regex(out.text, /badge badge-off">Failed<\/span> <span class="badge badge-warn">Busy<\/span>/);
  t.is((await c.get('/admin/calls/not-a-call')).status, 404);
});

test('http records: the recordings view lists recorded calls only, each with a player', async (t) => {
  const { as, s } = t.context;
  const c = await as('root');
  const page = await c.get('/admin/recordings');
  t.is(page.status, 200);
  t.regex(page.text, /aria-current="page"[^>]*>Recordings<\/a>/);
  t.deepEqual(listed(page.text), [s.calls.annSalesRecorded.callId]);
  t.regex(page.text, /<audio controls preload="none" src="\/recordings\/41\/audio"><\/audio>/);
  const sam = await as('sam');
  t.deepEqual(listed((await sam.get('/admin/recordings')).text), [s.calls.annSalesRecorded.callId]);
  const agentBob = await as('bob');
  t.is((await agentBob.get('/admin/recordings')).status, 403);
});

test('http records: the dashboard tile counts today\'s inbound calls as the user may see them', async (t) => {
  const { as, ctx } = t.context;
  const root = await as('root');
  const page = await root.get('/admin');
  const tile = /data-testid="calls-today">([\s\S]*?)<\/section>/.exec(page.text)![1]!;
  // Inbound today: 4 answered (waits 10, 30, 50 and 20 s: 27.5 s), 2 abandoned.
  t.regex(tile, /<span class="tile-figure">4<\/span> <span class="muted small">answered/);
  t.regex(tile, /<span class="tile-figure">2<\/span> <span class="muted small">abandoned/);
  t.regex(tile, /<span class="tile-figure">28s<\/span> <span class="muted small">average wait to answer/);
  t.regex(tile, /<title>06:00 2 answered, 2 abandoned<\/title>/);
  const sam = await as('sam');
  const samTile = /data-testid="calls-today">([\s\S]*?)<\/section>/.exec((await sam.get('/admin')).text)![1]!;
  // Sales (2 answered, 1 abandoned) and the Support call sam took himself.
  t.regex(samTile, /<span class="tile-figure">3<\/span> <span class="muted small">answered/);
  t.regex(samTile, /<span class="tile-figure">1<\/span> <span class="muted small">abandoned/);
  // Yesterday's calls are not today's.
  ctx.clock.advance(86_400_000);
  t.regex((await (await as('root')).get('/admin')).text, /<span class="tile-figure">0<\/span> <span class="muted small">answered/);
});

test('http queues: an admin chooses a queue\'s supervisors; others see them but cannot change them', async (t) => {
  const { as, ctx, s } = t.context;
  const root = await as('root');
  const page = await root.get(`/admin/queues/${s.support.id}`);
  t.regex(page.text, /<select id="f-supervisorIds" name="supervisorIds" multiple/);
  t.regex(page.text, new RegExp(`<option value="${s.f.sam.id}">sam</option>`));
  const saved = await root.post(`/admin/queues/${s.support.id}/supervisors`, { supervisorIds: String(s.f.sam.id) });
  t.is(saved.status, 303);
  t.deepEqual(ctx.supervisors.idsOf(s.support.id), [s.f.sam.id]);
  await root.get(`/admin/queues/${s.support.id}`);
  const bad = await root.post(`/admin/queues/${s.support.id}/supervisors`, { supervisorIds: String(s.f.ann.id) });
  t.is(bad.status, 422);
  t.regex(bad.text, /id="e-supervisorIds">Choose supervisors from the list/);
  t.deepEqual(ctx.supervisors.idsOf(s.support.id), [s.f.sam.id], 'nothing changed');
  const sam = await as('sam');
  const seen = await sam.get(`/admin/queues/${s.sales.id}`);
  t.notRegex(seen.text, /f-supervisorIds/);
  t.regex(seen.text, /<h2>Supervisors<\/h2>[\s\S]*?<p>sam<\/p>/);
  t.is((await sam.post(`/admin/queues/${s.support.id}/supervisors`, { supervisorIds: '' })).status, 403);
  // Now sam supervises Support too: bob's call is his to see.
  t.is((await sam.get(`/admin/calls/${s.calls.bobSupport.callId}`)).status, 200);
});
