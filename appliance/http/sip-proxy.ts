import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Logger } from '../logger.js';
import type { BrowserPhoneAccess } from '../modules/agents/browser-phone.js';
import { readCookie, SESSION_COOKIE } from './middleware/session.js';

/** Whether an upgrade may become a browser phone, and as which extension. */
export type SipProxyAuthorisation = { ok: true; user: string; extension: string } | { ok: false; status: 401 | 403; reason: string };

export interface SipProxyDeps {
  /** Session cookie → a signed-in agent whose device is an enabled extension that allows a browser phone. */
  authorise(req: IncomingMessage): SipProxyAuthorisation;
  /** FreeSWITCH's SIP WebSocket on loopback, e.g. ws://127.0.0.1:5066. */
  upstreamUrl: string;
  log: Logger;
}

export interface SipProxy {
  /** Browser phones connected through the proxy right now. */
  readonly openSockets: number;
  /** Close every proxied socket (shutdown). */
  close(): void;
}

export const SIP_PROXY_PATH = '/sip';
/** A WebSocket close reason is at most 123 bytes. */
const reason = (text: string) => Buffer.from(text).subarray(0, 123).toString();

/**
 * SIP over WebSocket for browser phones on the console's own origin (DESIGN §1 "One web origin"): the browser
 * trusts one certificate, and FreeSWITCH's WebSocket listens on loopback only. Each upgrade on /sip is checked
 * (session, agent, extension, Origin) before it is accepted; each SIP request the browser sends must be from its
 * own extension, so an agent who knows another extension's password still cannot register or call as it.
 */
export function attachSipProxy(server: HttpServer | HttpsServer, deps: SipProxyDeps): SipProxy {
  const log = deps.log.child({ module: 'sip-proxy' });
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false) });
  const open = new Set<WebSocket>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== SIP_PROXY_PATH) return refuse(socket, 404, 'There is no WebSocket here.');
    // CASE: cross-site WebSocket hijacking: a page elsewhere could open this socket with the agent's cookie.
    if (!sameOrigin(req)) {
      log.warn({ ip: req.socket.remoteAddress, origin: req.headers.origin ?? null }, 'browser phone refused: foreign origin');
      return refuse(socket, 403, 'The Origin does not match this console.');
    }
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!protocols.includes('sip')) return refuse(socket, 400, 'Ask for the "sip" WebSocket subprotocol.');
    const auth = deps.authorise(req);
    if (!auth.ok) {
      log.info({ ip: req.socket.remoteAddress, status: auth.status, why: auth.reason }, 'browser phone refused');
      return refuse(socket, auth.status, auth.reason);
    }
    wss.handleUpgrade(req, socket, head, (browser) => relay(browser, { user: auth.user, extension: auth.extension, ip: req.socket.remoteAddress ?? null }));
  });

  function relay(browser: WebSocket, who: { user: string; extension: string; ip: string | null }): void {
    open.add(browser);
    log.info(who, 'browser phone connected');
    const upstream = new WebSocket(deps.upstreamUrl, 'sip');
    // What the browser sends before FreeSWITCH has answered the upgrade waits here (JsSIP sends REGISTER at once).
    const pending: { data: RawData; isBinary: boolean }[] = [];
    let closedBy: 'browser' | 'freeswitch' | 'proxy' | null = null;

    browser.on('message', (data, isBinary) => {
      const refused = foreignRequest(data, who.extension);
      if (refused) {
        log.warn({ ...who, claimed: refused }, 'browser phone closed: a SIP request as another extension');
        closedBy = 'proxy';
        browser.close(1008, reason(`SIP requests must be from extension ${who.extension}, not ${refused}.`));
        upstream.terminate();
        return;
      }
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
      else pending.push({ data, isBinary });
    });
    upstream.on('open', () => {
      for (const m of pending.splice(0)) upstream.send(m.data, { binary: m.isBinary });
    });
    upstream.on('message', (data, isBinary) => {
      if (browser.readyState === WebSocket.OPEN) browser.send(data, { binary: isBinary });
    });
    upstream.on('error', (e) => {
      // CASE: FreeSWITCH is down or restarting: the browser's phone says so and JsSIP reconnects later.
      log.warn({ ...who, err: e.message }, 'FreeSWITCH SIP WebSocket unreachable');
      closedBy ??= 'freeswitch';
      if (browser.readyState === WebSocket.OPEN) browser.close(1011, reason('FreeSWITCH is not reachable.'));
    });
    upstream.on('close', (code) => {
      closedBy ??= 'freeswitch';
      if (browser.readyState === WebSocket.OPEN) browser.close(code === 1000 ? 1000 : 1011, reason('FreeSWITCH closed the connection.'));
    });
    browser.on('close', (code) => {
      closedBy ??= 'browser';
      open.delete(browser);
      if (upstream.readyState === WebSocket.OPEN || upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
      log.info({ ...who, code, by: closedBy }, 'browser phone disconnected');
    });
    // A socket error is followed by its close, which cleans up; without a listener it would be thrown.
    browser.on('error', (e) => log.debug({ ...who, err: e.message }, 'browser phone socket error'));
  }

  return {
    get openSockets() {
      return open.size;
    },
    close() {
      for (const s of open) s.close(1001, 'The console is shutting down.');
      wss.close();
    },
  };
}

/** The proxy's check over the console's sessions: the upgrade carries the session cookie like any page request. */
export function sessionAuthoriser(access: Pick<BrowserPhoneAccess, 'forSessionToken'>): SipProxyDeps['authorise'] {
  return (req) => {
    const a = access.forSessionToken(readCookie(req.headers.cookie, SESSION_COOKIE));
    return 'grant' in a ? { ok: true, user: a.grant.username, extension: a.grant.extension } : { ok: false, status: a.status, reason: a.reason };
  };
}

/** FreeSWITCH's SIP WebSocket (ws-binding on the internal profile), always on loopback. */
export const freeswitchWsUrl = (wsPort: number) => `ws://127.0.0.1:${wsPort}`;

/** The request's Origin is this console (scheme aside: a TLS-terminating proxy may sit in front). */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    // An Origin that is not a URL ("null" from sandboxed frames) is no origin of ours.
    return false;
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  const phrase = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error';
  const body = `${text}\n`;
  socket.end(`HTTP/1.1 ${status} ${phrase}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/**
 * For a SIP request (a message whose first line is not a status line), the user it claims to be in From (and in
 * To and the digest username of a REGISTER) when that is not `extension`; null when the message is fine.
 */
export function foreignRequest(data: RawData, extension: string): string | null {
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as Buffer).toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const lines = (end < 0 ? text : text.slice(0, end)).split(/\r?\n/);
  const first = lines[0] ?? '';
  if (first.startsWith('SIP/2.0')) return null;
  // RFC 3261 7.3.1: header lines may fold onto the next with leading whitespace.
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    if (/^[ \t]/.test(line) && headers.length) headers.at(-1)![1] += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
  }
  const values = (...names: string[]) => headers.filter(([n]) => names.includes(n)).map(([, v]) => v);
  // CASE: in a dialog FreeSWITCH started (a call to the agent), the browser's From is the INVITE's To, which is the
  // phone's registered contact (a random user), not the extension. In-dialog requests (a To tag) belong to a dialog
  // FreeSWITCH already knows; one with an invented tag is refused by FreeSWITCH (481). Requests that never need a
  // dialog are always checked.
  const method = first.split(' ')[0]!.toUpperCase();
  const inDialog = /;\s*tag=/i.test(values('to', 't')[0] ?? '');
  if (inDialog && !OUT_OF_DIALOG.has(method)) return null;
  const from = values('from', 'f');
  if (from.length !== 1) return '(no From)';
  const fromUser = uriUser(from[0]!);
  if (fromUser !== extension) return fromUser ?? '(no user in From)';
  if (/^REGISTER\s/i.test(first)) {
    const toUser = uriUser(values('to', 't')[0] ?? '');
    if (toUser !== extension) return toUser ?? '(no user in To)';
  }
  for (const auth of values('authorization', 'proxy-authorization')) {
    const username = /username\s*=\s*"([^"]*)"/i.exec(auth)?.[1];
    if (username !== undefined && username !== extension) return username;
  }
  return null;
}

/** Requests that stand on their own: their From is always the extension's, whatever their To says. */
const OUT_OF_DIALOG = new Set(['REGISTER', 'MESSAGE', 'SUBSCRIBE', 'PUBLISH', 'OPTIONS']);

/** The user part of the sip: or sips: URI in a From or To value, unescaped; null when there is none. */
function uriUser(value: string): string | null {
  const m = /<?sips?:([^@;>\s]+)@/i.exec(value);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    // A malformed escape cannot be a number of ours.
    return m[1]!;
  }
}
