import type { HttpRequest, HttpResponse } from './engine/types.js';

/**
 * An HTTP request node's request, for real calls: never longer than its timeout (the caller is waiting),
 * never more than maxBytes read, only http(s), and redirects not followed to another scheme.
 */
export async function httpFetch(req: HttpRequest): Promise<HttpResponse> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return { status: 0, body: '', error: 'not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { status: 0, body: '', error: 'only http and https' };
  const signal = AbortSignal.timeout(req.timeoutMs);
  try {
    const res = await fetch(url, { method: req.method, headers: req.headers, body: req.body, signal, redirect: 'follow' });
    const reader = res.body?.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > req.maxBytes) {
        await reader.cancel();
        return { status: res.status, body: '', error: `the answer is larger than ${req.maxBytes} bytes` };
      }
      chunks.push(value);
    }
    return { status: res.status, body: Buffer.concat(chunks).toString('utf8'), error: null };
  } catch (e) {
    const err = e as Error;
    return { status: 0, body: '', error: err.name === 'TimeoutError' || signal.aborted ? `no answer within ${req.timeoutMs / 1000} s` : `request failed: ${err.message}` };
  }
}
