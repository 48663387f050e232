import test from 'ava';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpFetch } from './http-fetch.js';

/** A web service on loopback: /json answers, /slow never does, /big sends 200 KB, /echo returns what it got. */
async function service(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url === '/slow') return; // never answers
    if (req.url === '/big') return res.end('x'.repeat(200_000));
    if (req.url === '/echo') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => res.end(JSON.stringify({ method: req.method, header: req.headers['x-caller'], body })));
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end('{"customer":{"name":"Ana"}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const req = (url: string, extra: Partial<Parameters<typeof httpFetch>[0]> = {}) => ({ method: 'GET' as const, url, headers: {}, body: null, timeoutMs: 1000, maxBytes: 64 * 1024, ...extra });

test('http request node: answers, sends method, headers and body; never waits past its timeout; never reads past its cap', async (t) => {
  const { url, server } = await service();
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  t.deepEqual(await httpFetch(req(`${url}/json`)), { status: 200, body: '{"customer":{"name":"Ana"}}', error: null });
  const echo = await httpFetch(req(`${url}/echo`, { method: 'POST', headers: { 'X-Caller': '+4930111' }, body: '{"a":1}' }));
  t.deepEqual(JSON.parse(echo.body), { method: 'POST', header: '+4930111', body: '{"a":1}' });
  const started = Date.now();
  const slow = await httpFetch(req(`${url}/slow`, { timeoutMs: 300 }));
  t.true(Date.now() - started < 1000, 'gave up at its timeout');
  t.like(slow, { status: 0, error: 'no answer within 0.3 s' });
  t.like(await httpFetch(req(`${url}/big`)), { status: 200, body: '', error: 'the answer is larger than 65536 bytes' });
});

test('http request node: only http and https; a refused connection is an error, not a crash', async (t) => {
  t.like(await httpFetch(req('file:///etc/passwd')), { status: 0, error: 'only http and https' });
  t.like(await httpFetch(req('not a url')), { status: 0, error: 'not a valid URL' });
  const refused = await httpFetch(req('http://127.0.0.1:1/'));
  t.is(refused.status, 0);
  t.regex(refused.error!, /request failed/);
});
