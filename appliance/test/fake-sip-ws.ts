import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A stand-in for FreeSWITCH's SIP WebSocket on loopback: it answers every REGISTER with 200 OK (Contact and
 * Expires echoed) and records what it received. Enough for a phone to register through the proxy.
 */
export async function startFakeSipWs(o: { answer?: boolean } = {}) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (p) => (p.has('sip') ? 'sip' : false) });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const received: string[] = [];
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data) => {
      const text = Buffer.from(data as Buffer).toString('utf8');
      received.push(text);
      if (o.answer !== false && /^REGISTER /.test(text)) ws.send(registerOk(text));
    });
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    received,
    /** Connections open now (the proxy's upstream sockets). */
    get connections() {
      return sockets.size;
    },
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.terminate();
      wss.close(() => r());
    }),
  };
}

/** 200 OK to a REGISTER: Via, From, To (with a tag), Call-ID and CSeq copied; Contact and Expires as asked. */
export function registerOk(request: string): string {
  const head = request.split(/\r\n\r\n/)[0]!.split(/\r\n/);
  const all = (name: string, short: string) => head.filter((l) => new RegExp(`^(${name}|${short})\\s*:`, 'i').test(l)).map((l) => l.slice(l.indexOf(':') + 1).trim());
  const one = (name: string, short = name) => all(name, short)[0] ?? '';
  const expires = /expires=(\d+)/i.exec(one('Contact', 'm'))?.[1] ?? (one('Expires') || '600');
  const to = one('To', 't');
  return [
    'SIP/2.0 200 OK',
    ...all('Via', 'v').map((v) => `Via: ${v}`),
    `From: ${one('From', 'f')}`,
    `To: ${/;tag=/.test(to) ? to : `${to};tag=fake${Date.now()}`}`,
    `Call-ID: ${one('Call-ID', 'i')}`,
    `CSeq: ${one('CSeq')}`,
    ...(one('Contact', 'm') ? [`Contact: ${one('Contact', 'm').replace(/;expires=\d+/i, '')};expires=${expires}`] : []),
    `Expires: ${expires}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}
