import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { decodeEvent, EslFrameReader, urlEncode, type EslEvent } from '../esl-codec.js';
import { traceRaw, traceSteps, type TraceName } from './traces.js';

/**
 * A stand-in for FreeSWITCH's event socket that speaks the recorded wire protocol: the greeting, auth,
 * command/reply and api/response framing, bgapi with BACKGROUND_JOB, event subscriptions in plain or json,
 * disconnect notices. Api answers default to the ones recorded in trace 02. It can also misbehave on
 * purpose: wrong-password handling, swallowed or delayed replies, malformed frames, byte-by-byte writes,
 * and a restart that drops every connection and refuses new ones for a while.
 */
export interface FakeEslOptions {
  password?: string;
  /** Split every write into pieces of this many bytes (TCP may deliver any split). */
  chunkBytes?: number;
}

interface Client {
  socket: Socket;
  authed: boolean;
  format: 'plain' | 'json' | null;
  events: Set<string>;
  commands: string[];
}

const DISCONNECT = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';

let recorded: Map<string, string> | undefined;
/** api command → body, as FreeSWITCH 1.10.12 answered it in trace 02. */
export function recordedApiReplies(): Map<string, string> {
  if (recorded) return recorded;
  recorded = new Map();
  const steps = traceSteps('02-api-commands');
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    const line = s.bytes.toString('utf8').split('\n')[0]!;
    if (s.direction !== 'sent' || !line.startsWith('api ')) continue;
    const reply = steps.slice(i + 1).find((r) => r.direction === 'received' && r.bytes.includes('Content-Type: api/response'));
    if (!reply) continue;
    const frame = new EslFrameReader().push(reply.bytes)[0];
    if (frame && !recorded.has(line.slice(4))) recorded.set(line.slice(4), frame.body.toString('utf8'));
  }
  return recorded;
}

export class FakeEslServer {
  readonly password: string;
  private server: Server | null = null;
  private clients = new Set<Client>();
  private port = 0;
  private swallow = 0;
  private replyDelayMs = 0;
  /** Every command line any client sent, in order (auth lines included, for tests that check them). */
  readonly received: string[] = [];
  apiHandler: (command: string) => string | undefined = () => undefined;
  sendmsgHandler: (uuid: string, headers: Record<string, string>) => void = () => undefined;

  constructor(private readonly o: FakeEslOptions = {}) {
    this.password = o.password ?? 'ClueCon';
  }

  async start(port = 0): Promise<number> {
    this.server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  get address() {
    return { host: '127.0.0.1', port: this.port };
  }

  /** The event subscription of the newest authenticated client. */
  get lastSubscription(): { format: string | null; events: string[] } {
    const c = [...this.clients].filter((x) => x.authed).at(-1);
    return { format: c?.format ?? null, events: c ? [...c.events] : [] };
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.socket.destroy();
    this.clients.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  /** FreeSWITCH restarting: every connection drops, nothing listens for a while, then it listens again. */
  async restart(downMs: number): Promise<void> {
    await this.stop();
    await new Promise((r) => setTimeout(r, downMs));
    await this.start(this.port);
  }

  /** The next N commands get no reply at all. */
  swallowReplies(n = 1): void {
    this.swallow += n;
  }

  delayReplies(ms: number): void {
    this.replyDelayMs = ms;
  }

  /** Send bytes that are not a valid frame to every client. */
  sendMalformed(): void {
    for (const c of this.clients) if (c.authed) c.socket.write('Content-Type: api/response\nContent-Length: twelve\n\n');
  }

  /** Send the disconnect notice and close, as FreeSWITCH does to a listener it drops. */
  kick(): void {
    for (const c of this.clients) {
      this.write(c, `Content-Type: text/disconnect-notice\nContent-Length: ${DISCONNECT.length}\n\n${DISCONNECT}`);
      c.socket.end();
    }
  }

  /** Deliver an event to every client subscribed to it, serialized in that client's format. */
  emit(e: EslEvent): void {
    for (const c of this.clients) {
      if (!c.authed || !c.format || !this.wants(c, e)) continue;
      this.write(c, c.format === 'json' ? serializeJson(e) : serializePlain(e));
    }
  }

  /** Deliver every event recorded in a trace, in order, at full speed. Returns how many were sent. */
  replay(name: TraceName): number {
    let n = 0;
    for (const f of new EslFrameReader().push(traceRaw(name))) {
      const e = decodeEvent(f);
      if (!e) continue;
      this.emit(e);
      n++;
    }
    return n;
  }

  private wants(c: Client, e: EslEvent): boolean {
    if (c.events.has('ALL') || c.events.has(e.name)) return e.name !== 'CUSTOM' || c.events.has('ALL') || c.events.has(e.headers['Event-Subclass'] ?? '');
    return false;
  }

  private accept(socket: Socket): void {
    const c: Client = { socket, authed: false, format: null, events: new Set(), commands: [] };
    this.clients.add(c);
    socket.on('close', () => this.clients.delete(c));
    socket.on('error', () => this.clients.delete(c));
    this.write(c, 'Content-Type: auth/request\n\n');
    let buf = '';
    socket.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      let end;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, end);
        const [line = '', ...rest] = block.split('\n');
        const headers: Record<string, string> = {};
        for (const h of rest) {
          const i = h.indexOf(': ');
          if (i > 0) headers[h.slice(0, i)] = h.slice(i + 2);
        }
        let consumed = end + 2;
        const length = Number(headers['content-length'] ?? headers['Content-Length'] ?? 0);
        if (length) {
          if (buf.length < consumed + length) break;
          headers._body = buf.slice(consumed, consumed + length);
          consumed += length;
        }
        buf = buf.slice(consumed);
        this.received.push(line);
        c.commands.push(line);
        this.handle(c, line, headers);
      }
    });
  }

  private reply(c: Client, text: string): void {
    if (this.swallow > 0) {
      this.swallow--;
      return;
    }
    if (this.replyDelayMs) setTimeout(() => this.write(c, text), this.replyDelayMs);
    else this.write(c, text);
  }

  private handle(c: Client, line: string, headers: Record<string, string>): void {
    const [verb = '', ...args] = line.split(' ');
    const commandReply = (t: string, extra = '') => this.reply(c, `Content-Type: command/reply\n${extra}Reply-Text: ${t}\n\n`);
    if (!c.authed) {
      if (verb !== 'auth') return commandReply('-ERR command not found');
      if (args.join(' ') !== this.password) {
        commandReply('-ERR invalid');
        this.write(c, `Content-Type: text/disconnect-notice\nContent-Length: ${DISCONNECT.length}\n\n${DISCONNECT}`);
        c.socket.end();
        return;
      }
      c.authed = true;
      return commandReply('+OK accepted');
    }
    switch (verb) {
      case 'event': {
        const [format, ...names] = args;
        if (format !== 'plain' && format !== 'json') return commandReply('-ERR no keywords supplied');
        if (!names.length) return commandReply('-ERR no keywords supplied');
        c.format = format;
        for (const n of names) c.events.add(n);
        return commandReply(`+OK event listener enabled ${format}`);
      }
      case 'noevents':
        c.events.clear();
        return commandReply('+OK no longer listening for events');
      case 'api': {
        const body = this.apiBody(args.join(' '));
        return this.reply(c, `Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`);
      }
      case 'bgapi': {
        const job = headers['Job-UUID'] ?? crypto.randomUUID();
        commandReply(`+OK Job-UUID: ${job}`, `Job-UUID: ${job}\n`);
        const body = this.apiBody(args.join(' '));
        setImmediate(() =>
          this.emit({ name: 'BACKGROUND_JOB', headers: { 'Event-Name': 'BACKGROUND_JOB', 'Job-UUID': job, 'Job-Command': args[0] ?? '', 'Job-Command-Arg': args.slice(1).join(' '), 'Event-Date-Timestamp': String(Date.now() * 1000) }, body }),
        );
        return;
      }
      case 'sendmsg':
        commandReply('+OK');
        return this.sendmsgHandler(args[0] ?? '', headers);
      case 'exit':
        commandReply('+OK bye');
        this.write(c, `Content-Type: text/disconnect-notice\nContent-Length: ${DISCONNECT.length}\n\n${DISCONNECT}`);
        c.socket.end();
        return;
      default:
        return commandReply('-ERR command not found');
    }
  }

  private apiBody(command: string): string {
    return this.apiHandler(command) ?? recordedApiReplies().get(command) ?? `-ERR ${command.split(' ')[0]} Command not found!\n`;
  }

  private write(c: Client, text: string): void {
    if (c.socket.destroyed) return;
    const bytes = Buffer.from(text, 'utf8');
    const step = this.o.chunkBytes;
    if (!step) return void c.socket.write(bytes);
    for (let i = 0; i < bytes.length; i += step) c.socket.write(bytes.subarray(i, i + step));
  }
}

/** As FreeSWITCH writes text/event-plain: outer Content-Length first, URL-encoded inner values. */
export function serializePlain(e: EslEvent): string {
  let inner = Object.entries(e.headers).map(([k, v]) => `${k}: ${urlEncode(v)}\n`).join('');
  inner += e.body ? `Content-Length: ${Buffer.byteLength(e.body)}\n\n${e.body}` : '\n';
  return `Content-Length: ${Buffer.byteLength(inner)}\nContent-Type: text/event-plain\n\n${inner}`;
}

/** As FreeSWITCH writes text/event-json: one compact object, arrays for multi-valued headers, no newline. */
export function serializeJson(e: EslEvent): string {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.headers)) o[k] = v.startsWith('ARRAY::') ? v.slice(7).split('|:') : v;
  if (e.body) {
    o['Content-Length'] = String(Buffer.byteLength(e.body));
    o._body = e.body;
  }
  const json = JSON.stringify(o);
  return `Content-Length: ${Buffer.byteLength(json)}\nContent-Type: text/event-json\n\n${json}`;
}
