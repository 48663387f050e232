import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps } from '../http/app.js';
import { attachSipProxy, freeswitchWsUrl, sessionAuthoriser } from '../http/sip-proxy.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

/** A browser-like client for HTTP tests: keeps cookies, remembers the last CSRF token it saw, follows no redirects. */
export class TestClient {
  private cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly base: string) {}

  async request(method: string, path: string, init: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string>; body?: string; multipart?: FormData } = {}): Promise<Reply> {
    const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | FormData | undefined = init.multipart ?? init.body;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await fetch(this.base + path, { method, headers, body: body ?? null, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=') as [string, string];
      if (/Expires=Thu, 01 Jan 1970/i.test(c) || v === '') this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m) this.csrf = m[1]!;
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }

  /** A GET with this client's cookies whose body is read as bytes (audio, downloads). */
  raw(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(this.base + path, { headers: { ...headers, cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }, redirect: 'manual' });
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, headers ? { headers } : {});
  }

  /** Post a form with the CSRF token of the last page, as a browser would. */
  post(path: string, form: Record<string, string> = {}, opts: { csrf?: boolean } = {}) {
    return this.request('POST', path, { form: opts.csrf === false ? form : { _csrf: this.csrf, ...form } });
  }

  /**
   * Post a multipart form as a browser does: fields in order (the CSRF token of the last page first, unless
   * told otherwise), then the file.
   */
  upload(path: string, fields: Record<string, string>, file?: { name: string; data: Buffer; type?: string }, opts: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    const form = new FormData();
    for (const [k, v] of Object.entries(opts.csrf === false ? fields : { _csrf: this.csrf, ...fields })) form.append(k, v);
    if (file) form.append('file', new Blob([new Uint8Array(file.data)], { type: file.type ?? 'application/octet-stream' }), file.name);
    return this.request('POST', path, { multipart: form, ...(opts.headers ? { headers: opts.headers } : {}) });
  }

  async login(username: string, password = 'correct horse battery'): Promise<Reply> {
    await this.get('/login');
    return this.post('/login', { username, password });
  }

  cookie(name: string) {
    return this.cookies.get(name);
  }
  setCookie(name: string, value: string) {
    this.cookies.set(name, value);
  }
}

/**
 * The app over a test context, listening on a free port, with the browser phones' SIP WebSocket proxy on /sip
 * (to `sipUpstream`, by default the configured FreeSWITCH WebSocket port).
 */
export async function startTestServer(ctx: AppDeps, opts: { sipUpstream?: string } = {}) {
  const app = createApp({ ...ctx, cacheViews: true });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const sipProxy = attachSipProxy(server, { authorise: sessionAuthoriser(ctx.browserPhone), upstreamUrl: opts.sipUpstream ?? freeswitchWsUrl(ctx.config.freeswitch.wsPort), log: ctx.log });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    sipProxy,
    client: () => new TestClient(base),
    close: () => {
      sipProxy.close();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
