/**
 * The feeding side of the ingestion benchmark, run as its own process so it does not share the client's core:
 * it speaks the event-socket handshake, then writes recorded call events in the subscribed format (plain or
 * json) as fast as the socket takes them, until it has sent the number asked for.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { decodeEvent, EslFrameReader } from '../appliance/freeswitch/esl-codec.js';
import { serializeJson, serializePlain } from '../appliance/freeswitch/testing/fake-esl-server.js';
import { traceRaw, type TraceName } from '../appliance/freeswitch/testing/traces.js';
import { SUBSCRIBED_EVENTS } from '../appliance/freeswitch/switch.types.js';

const total = Number(process.argv[2] ?? 1_000_000);
const calls: TraceName[] = ['03b-inbound-call-json-ALL', '05a-bridge-caller-hangup', '05b-bridge-callee-hangup', '05c-originate-uuid-commands', '07b-eavesdrop'];
const wanted = new Set<string>(SUBSCRIBED_EVENTS);
const events = calls.flatMap((c) => new EslFrameReader().push(traceRaw(c)).map((f) => decodeEvent(f))).filter((e) => e && wanted.has(e.name));
const encoded = { json: events.map((e) => Buffer.from(serializeJson(e!))), plain: events.map((e) => Buffer.from(serializePlain(e!))) };
let frames = encoded.plain;
let block = Buffer.concat(frames);
const perBlock = frames.length;

const server = createServer((socket) => {
  socket.write('Content-Type: auth/request\n\n');
  let buf = '';
  let started = false;
  socket.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const line = buf.slice(0, i).split('\n')[0]!;
      buf = buf.slice(i + 2);
      if (line.startsWith('auth')) socket.write('Content-Type: command/reply\nReply-Text: +OK accepted\n\n');
      else if (line.startsWith('event')) {
        // As FreeSWITCH does, the format of the subscription is the format of every event on the connection.
        const format = line.split(' ')[1] === 'json' ? 'json' : 'plain';
        frames = encoded[format];
        block = Buffer.concat(frames);
        socket.write(`Content-Type: command/reply\nReply-Text: +OK event listener enabled ${format}\n\n`);
      }
      else if (line.startsWith('api version')) {
        const body = 'FreeSWITCH Version 1.10.12-release (bench feed)';
        socket.write(`Content-Type: api/response\nContent-Length: ${body.length}\n\n${body}`);
        if (!started) {
          started = true;
          feed();
        }
      } else if (line.startsWith('api')) socket.write('Content-Type: api/response\nContent-Length: 4\n\n+OK\n');
    }
  });
  let sent = 0;
  function feed(): void {
    while (sent < total) {
      const n = Math.min(perBlock, total - sent);
      const chunk = n === perBlock ? block : Buffer.concat(frames.slice(0, n));
      sent += n;
      if (!socket.write(chunk)) return void socket.once('drain', feed);
    }
    socket.end();
  }
});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port, perBlock, bytesPerBlock: block.length });
});
