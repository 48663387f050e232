import test from 'ava';
import { flow, node, sim } from '../testing.js';
import { http, pick } from './http.js';

const h = node('h', 'http', { method: 'POST', url: 'https://crm.example.com/lookup?from=${caller_number}', headers: 'Content-Type: application/json\nX-Caller: ${caller_number}', body: '{"phone":"${caller_number}"}', timeoutSeconds: 2, map: 'name = customer.name\nvip = customer.vip\nfirst = orders.0.id' }, { success: 's', failure: 'f' });
const ends = [node('s', 'hangup', {}), node('f', 'hangup', {})];

test('http: variables go into the URL, headers and body; JSON fields come back into variables', async (t) => {
  const r = await sim(flow([h, ...ends]), { http: { h: { status: 200, body: '{"customer":{"name":"Ana","vip":true},"orders":[{"id":42}]}' } } });
  t.is(r.steps[0]!.branch, 'success');
  t.like(r.vars, { name: 'Ana', vip: 'true', first: '42', http_status: '200' });
  const sent = r.events.find((e) => e.kind === 'http');
  t.like(sent, { request: { url: 'https://crm.example.com/lookup?from=+4930111', body: '{"phone":"+4930111"}', headers: { 'X-Caller': '+4930111' }, timeoutMs: 2000 } });
});

test('http: no answer, a non-2xx status or an answer that is not JSON follow Failure', async (t) => {
  for (const canned of [undefined, { status: 500, body: '{}' }, { status: 200, body: '<html>' }]) {
    const r = await sim(flow([h, ...ends]), { http: canned ? { h: canned } : {} });
    t.is(r.steps[0]!.branch, 'failure');
  }
});

test('http: only http(s) URLs with a host; bad headers and mappings are refused', (t) => {
  for (const url of ['ftp://x', 'file:///etc/passwd', 'https://', '${url}', 'javascript:alert(1)']) t.false(http.schema.safeParse({ method: 'GET', url }).success, url);
  t.false(http.schema.safeParse({ method: 'GET', url: 'https://a.b', headers: 'no colon' }).success);
  t.false(http.schema.safeParse({ method: 'GET', url: 'https://a.b', map: 'x == y' }).success);
  t.false(http.schema.safeParse({ method: 'GET', url: 'https://a.b', timeoutSeconds: 60 }).success);
  t.is(pick({ a: { constructor: 1 } }, ['a', 'toString']), null, 'only own fields');
});
