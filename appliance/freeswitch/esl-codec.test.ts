import test from 'ava';
import fc from 'fast-check';
import { decodeEvent, encodeCommand, EslFrameReader, EslProtocolError, urlDecode, urlEncode, type EslFrame } from './esl-codec.js';
import { TRACE_NAMES, traceRaw, traceSteps } from './testing/traces.js';

/** Feed bytes in the given chunk sizes and collect every frame. */
function readAll(bytes: Buffer, chunk: (i: number) => number): EslFrame[] {
  const reader = new EslFrameReader();
  const frames: EslFrame[] = [];
  for (let pos = 0, i = 0; pos < bytes.length; i++) {
    const n = Math.max(1, chunk(i));
    frames.push(...reader.push(bytes.subarray(pos, pos + n)));
    pos += n;
  }
  return frames;
}

const serialize = (f: EslFrame) =>
  Buffer.concat([Buffer.from(Object.entries(f.headers).map(([k, v]) => `${k}: ${v}\n`).join('') + '\n'), f.body]);

for (const name of TRACE_NAMES) {
  test(`codec: ${name} splits into exactly the messages FreeSWITCH sent, however the bytes arrive`, (t) => {
    const raw = traceRaw(name);
    const received = traceSteps(name).filter((s) => s.direction === 'received');
    t.deepEqual(Buffer.concat(received.map((s) => s.bytes)), raw, 'the .log and .raw files agree');
    for (const [label, chunk] of [
      ['whole', () => raw.length],
      ['1 byte', () => 1],
      ['7 bytes', () => 7],
      ['1500 bytes', () => 1500],
      ['varying', (i: number) => ((i * 7919) % 3000) + 1],
    ] as const) {
      const frames = readAll(raw, chunk);
      t.is(frames.length, received.length, `${label}: frame count`);
      frames.forEach((f, i) => t.deepEqual(serialize(f), received[i]!.bytes, `${label}: frame ${i}`));
    }
  });
}

test('codec: every event in the plain and json recordings of the same call decodes to the same headers', (t) => {
  const events = (name: '03a-inbound-call-plain-ALL' | '03b-inbound-call-json-ALL') =>
    readAll(traceRaw(name), () => 65536).map((f) => decodeEvent(f)).filter((e) => e !== null);
  const plain = events('03a-inbound-call-plain-ALL');
  const json = events('03b-inbound-call-json-ALL');
  t.true(plain.length > 50, `${plain.length} events`);
  const bySeq = (list: typeof plain) => new Map(list.map((e) => [e.headers['Event-Sequence'], e]));
  const jsonBySeq = bySeq(json);
  let compared = 0;
  for (const p of plain) {
    const j = jsonBySeq.get(p.headers['Event-Sequence']);
    if (!j || p.name === 'API') continue;
    t.deepEqual(p.headers, j.headers, `event ${p.name} #${p.headers['Event-Sequence']}`);
    compared++;
  }
  t.true(compared > 50, `compared ${compared} events`);
});

test('codec: plain values are URL-decoded; command replies are not', (t) => {
  const frames = readAll(traceRaw('03a-inbound-call-plain-ALL'), () => 65536);
  const create = frames.map((f) => decodeEvent(f)).find((e) => e?.name === 'CHANNEL_CREATE')!;
  t.regex(create.headers['Channel-Name']!, /^sofia\/external\/5551000@/);
  t.regex(create.headers['Event-Date-Local']!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  const reply = frames.find((f) => f.headers['Content-Type'] === 'command/reply')!;
  t.is(reply.headers['Reply-Text'], '+OK accepted');
});

test('codec: BACKGROUND_JOB bodies come out of plain and json events alike', (t) => {
  const events = readAll(traceRaw('02-api-commands'), () => 4096).map((f) => decodeEvent(f)).filter((e) => e?.name === 'BACKGROUND_JOB');
  t.true(events.length >= 4);
  for (const e of events) t.true(e!.body.length > 0, e!.headers['Job-Command']);
  t.true(events.some((e) => e!.body.startsWith('-ERR')));
});

test('codec: a sendevent event with its own Content-Length keeps the body FreeSWITCH framed', (t) => {
  const e = readAll(traceRaw('01d-log-and-sendevent'), () => 100).map((f) => decodeEvent(f)).find((x) => x?.name === 'CUSTOM')!;
  t.truthy(e);
  t.true(e.body.length > 0);
  t.regex(e.headers['X-Demo-Header'] ?? '', /100%/);
});

test('codec: multi-valued json headers take the plain ARRAY:: form', (t) => {
  const json = readAll(traceRaw('03b-inbound-call-json-ALL'), () => 65536).map((f) => decodeEvent(f));
  t.true(json.some((e) => e?.headers.variable_DP_MATCH === 'ARRAY::7001|:7001'));
});

test('codec: malformed frames are protocol errors, not crashes', (t) => {
  t.throws(() => new EslFrameReader().push(Buffer.from('Content-Type: api/response\nContent-Length: abc\n\n')), { instanceOf: EslProtocolError });
  t.throws(() => new EslFrameReader().push(Buffer.from('Content-Length: 99999999999\n\n')), { instanceOf: EslProtocolError });
  t.throws(() => new EslFrameReader().push(Buffer.alloc(300 * 1024, 0x41)), { instanceOf: EslProtocolError });
  t.throws(() => decodeEvent({ headers: { 'Content-Type': 'text/event-json' }, body: Buffer.from('{"Event-Name":') }), { instanceOf: EslProtocolError });
});

test('codec: URL decoding never throws and inverts FreeSWITCH encoding', (t) => {
  t.is(urlDecode('100%25%20%41'), '100% A');
  t.is(urlDecode('%E9%'), '\uFFFD%');
  t.is(urlEncode('sofia/external/5551000@192.0.2.10:5091'), 'sofia/external/5551000%40192.0.2.10%3A5091');
  t.is(urlEncode('a+b c'), 'a%2Bb%20c');
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      // FreeSWITCH copies an existing %XX as is, so only strings without one round-trip exactly.
      fc.pre(!/%[0-9a-fA-F]{2}/.test(s));
      return urlDecode(urlEncode(s)) === s;
    }),
  );
  fc.assert(fc.property(fc.string(), (s) => typeof urlDecode(s) === 'string'));
});

test('codec: commands are framed with a blank line; line breaks cannot smuggle a second command', (t) => {
  t.is(encodeCommand('api status'), 'api status\n\n');
  t.is(encodeCommand('bgapi originate x', { 'Job-UUID': 'abc' }), 'bgapi originate x\nJob-UUID: abc\n\n');
  t.is(encodeCommand('sendmsg u', { 'call-command': 'execute' }, 'long arg'), 'sendmsg u\ncall-command: execute\ncontent-length: 8\n\nlong arg');
  t.throws(() => encodeCommand('api status\n\napi hupall'), { instanceOf: EslProtocolError });
  t.throws(() => encodeCommand('sendmsg u', { x: 'a\nb' }), { instanceOf: EslProtocolError });
});
