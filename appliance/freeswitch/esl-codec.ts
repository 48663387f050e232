/**
 * The event socket's wire format, as recorded from FreeSWITCH 1.10.12 (../shared/freeswitch-traces/README.md):
 * a message is `Name: value\n` header lines ended by an empty line, then exactly Content-Length bytes of body.
 * LF only; header order is not fixed; bodies need not end in a newline; one read may hold many messages or
 * part of one. Plain events nest a second, URL-encoded header block (and maybe a body) inside the body;
 * json events are one JSON object.
 *
 * Written here rather than taken from modesl's Parser: that parser rescans the whole buffer for every read,
 * throws from inside the socket callback on a bad %-escape, and its Event class copies every header with a
 * linear search (O(n²) for the 200 headers of a channel event), which alone misses the ingestion budget.
 */

export interface EslFrame {
  /** Outer headers as sent: never URL-decoded (command/reply and notices are not encoded). */
  headers: Record<string, string>;
  body: Buffer;
}

export interface EslEvent {
  name: string;
  /** Inner headers, decoded. Duplicate names keep the last value, as JSON.parse does for json events. */
  headers: Record<string, string>;
  /** The event's own body (BACKGROUND_JOB output, sendevent text), '' when none. */
  body: string;
}

export class EslProtocolError extends Error {
  override name = 'EslProtocolError';
}

const LF = 0x0a;
const MAX_HEADER_BYTES = 256 * 1024;
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

/** Turns a byte stream into frames. Feed it every chunk; it keeps what is incomplete for the next one. */
export class EslFrameReader {
  private buf: Buffer = EMPTY;
  /** Chunks that arrived while a body was still incomplete, joined only once enough bytes are there. */
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  /** Where to resume looking for the blank line that ends a header block. */
  private scanFrom = 0;
  private pending: Record<string, string> | null = null;
  private bodyLength = 0;

  push(chunk: Buffer): EslFrame[] {
    if (this.pending && this.buf.length + this.waitingBytes + chunk.length < this.bodyLength) {
      this.waiting.push(chunk);
      this.waitingBytes += chunk.length;
      return [];
    }
    if (this.waiting.length) {
      this.buf = Buffer.concat([this.buf, ...this.waiting, chunk]);
      this.waiting = [];
      this.waitingBytes = 0;
    } else {
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    }
    const out: EslFrame[] = [];
    let pos = 0;
    for (;;) {
      if (this.pending) {
        if (this.buf.length - pos < this.bodyLength) break;
        out.push({ headers: this.pending, body: this.buf.subarray(pos, pos + this.bodyLength) });
        pos += this.bodyLength;
        this.pending = null;
        continue;
      }
      // Blank lines between messages carry nothing.
      while (pos < this.buf.length && this.buf[pos] === LF) pos++;
      const end = this.buf.indexOf('\n\n', Math.max(pos, this.scanFrom), 'latin1');
      if (end < 0) {
        if (this.buf.length - pos > MAX_HEADER_BYTES) throw new EslProtocolError('header block too long');
        this.scanFrom = Math.max(pos, this.buf.length - 1);
        break;
      }
      this.scanFrom = 0;
      const headers = parseHeaderLines(this.buf.toString('utf8', pos, end), false);
      pos = end + 2;
      const length = headers['Content-Length'];
      if (length === undefined) {
        out.push({ headers, body: EMPTY });
        continue;
      }
      if (!/^\d{1,9}$/.test(length) || Number(length) > MAX_BODY_BYTES) throw new EslProtocolError(`bad Content-Length: ${length.slice(0, 20)}`);
      this.pending = headers;
      this.bodyLength = Number(length);
    }
    // Keep only the unread tail; copy it so the big chunk it came from can be freed.
    this.buf = pos >= this.buf.length ? EMPTY : Buffer.from(this.buf.subarray(pos));
    if (this.scanFrom) this.scanFrom -= pos;
    return out;
  }
}

/**
 * Which inner headers to decode. A channel event has ~200 headers of which the mapping reads ~15, so lines
 * are matched in place (first character, length, then the text) and only the kept ones become strings.
 */
export class HeaderSelection {
  private readonly byFirst = new Map<number, string[]>();
  private readonly names: Set<string>;
  constructor(
    names: Iterable<string>,
    private readonly prefixes: readonly string[] = [],
  ) {
    this.names = new Set([...names, 'Event-Name', 'Event-Subclass', 'Content-Length']);
    for (const n of this.names) {
      const list = this.byFirst.get(n.charCodeAt(0)) ?? [];
      list.push(n);
      this.byFirst.set(n.charCodeAt(0), list);
    }
  }

  has(name: string): boolean {
    return this.names.has(name) || this.prefixes.some((p) => name.startsWith(p));
  }

  /** The header name of text[start, start+length) if it is kept, else null; no allocation for the others. */
  matchAt(text: string, start: number, length: number): string | null {
    for (const n of this.byFirst.get(text.charCodeAt(start)) ?? []) if (n.length === length && text.startsWith(n, start)) return n;
    for (const p of this.prefixes) if (text.startsWith(p, start)) return text.slice(start, start + length);
    return null;
  }
}

function parseHeaderLines(text: string, decode: boolean, keep?: HeaderSelection): Record<string, string> {
  const headers: Record<string, string> = {};
  let start = 0;
  while (start < text.length) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    const colon = text.indexOf(':', start);
    if (colon > start && colon < nl) {
      const name = keep ? keep.matchAt(text, start, colon - start) : text.slice(start, colon);
      if (name !== null) {
        // "Name: value"; FreeSWITCH writes one space after the colon, and "Name: " for an empty value.
        const valueStart = text.charCodeAt(colon + 1) === 0x20 ? colon + 2 : colon + 1;
        const raw = text.slice(Math.min(valueStart, nl), nl);
        headers[name] = decode ? urlDecode(raw) : raw;
      }
    }
    start = nl + 1;
  }
  return headers;
}

/**
 * FreeSWITCH's switch_url_encode escapes with %XX and never double-encodes; '+' is never a space. A stray or
 * invalid escape (it can happen: '%' followed by two hex digits is copied as is) must not throw.
 */
export function urlDecode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    // CASE: bytes that are not valid UTF-8 once decoded: decode byte by byte and let UTF-8 replace what is broken.
    const bytes: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
        bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else if (c < 0x80) bytes.push(c);
      else bytes.push(...Buffer.from(s[i]!, 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
  }
}

/** The inverse, for the fake server and tests: exactly the characters FreeSWITCH escapes. */
export function urlEncode(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const ch = String.fromCharCode(b);
    if (b === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]!) && isHex(bytes[i + 2]!)) out += '%';
    else if (b < 0x20 || b > 0x7e || ' #%&+:;<=>?@[\\]^`{|}"'.includes(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}
const isHex = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

/**
 * The event inside a text/event-plain or text/event-json frame; null for any other kind of frame. With a
 * selection, only the headers it keeps are decoded (Event-Name, Content-Length and Event-Subclass always are).
 */
export function decodeEvent(frame: EslFrame, keep?: HeaderSelection): EslEvent | null {
  const type = frame.headers['Content-Type'];
  if (type === 'text/event-json') return decodeJsonEvent(frame.body, keep);
  if (type === 'text/event-plain') return decodePlainEvent(frame.body, keep);
  return null;
}

function decodePlainEvent(body: Buffer, keep?: HeaderSelection): EslEvent {
  const end = body.indexOf('\n\n', 0, 'latin1');
  const headers = parseHeaderLines(body.toString('utf8', 0, end < 0 ? body.length : end), true, keep);
  let inner = '';
  const length = headers['Content-Length'];
  if (end >= 0 && length !== undefined) {
    // CASE: a sendevent event can carry its own Content-Length header too; the last one is FreeSWITCH's.
    inner = body.toString('utf8', end + 2, Math.min(body.length, end + 2 + Number(length)));
  }
  return { name: headers['Event-Name'] ?? '', headers, body: inner };
}

function decodeJsonEvent(body: Buffer, keep?: HeaderSelection): EslEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new EslProtocolError(`malformed json event: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new EslProtocolError('json event is not an object');
  const headers: Record<string, string> = {};
  let inner = '';
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (k === '_body') inner = String(v);
    else if (keep && !keep.has(k)) continue;
    // Multi-valued headers are arrays in json and ARRAY::a|:b in plain; use the plain form for both.
    else headers[k] = Array.isArray(v) ? `ARRAY::${v.join('|:')}` : String(v);
  }
  return { name: headers['Event-Name'] ?? '', headers, body: inner };
}

/** Serialize a command: first line, extra headers, optional body (sendmsg with a long argument). */
export function encodeCommand(line: string, headers: Record<string, string> = {}, body?: string): string {
  if (/[\r\n]/.test(line)) throw new EslProtocolError('a command line cannot contain a line break');
  let out = `${line}\n`;
  for (const [k, v] of Object.entries(headers)) {
    if (/[\r\n]/.test(k + v)) throw new EslProtocolError(`header ${k} cannot contain a line break`);
    out += `${k}: ${v}\n`;
  }
  if (body !== undefined) out += `content-length: ${Buffer.byteLength(body)}\n\n${body}`;
  else out += '\n';
  return out;
}
