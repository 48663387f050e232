/**
 * ESL ingestion: recorded call events through the real client (socket → framing → json decode → mapping →
 * listeners), fed at full speed by a separate process. Prints events/s, per-event latency and heap over the
 * run, and the same byte stream through modesl's parser for comparison.
 * Run: npm run build && node --expose-gc dist/bench/esl-ingest.js [events]
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../appliance/clock.js';
import { decodeEvent, EslFrameReader } from '../appliance/freeswitch/esl-codec.js';
import { MAPPED_HEADERS } from '../appliance/freeswitch/esl-event-map.js';
import { EslSwitch } from '../appliance/freeswitch/esl-switch.js';
import { silentLogger } from '../appliance/logger.js';
import type { SwitchEventName } from '../appliance/freeswitch/switch.types.js';

const total = Number(process.argv[2] ?? 1_000_000);
/** Every domain event the recorded calls produce: a listener on each counts what was delivered. */
const ALL_EVENTS: SwitchEventName[] = ['channel.created', 'channel.answered', 'channel.parked', 'channel.bridged', 'channel.unbridged', 'channel.held', 'channel.unheld', 'channel.hungup', 'channel.executed', 'dtmf.received', 'playback.started', 'playback.stopped', 'record.started', 'record.stopped', 'job.completed', 'heartbeat'];
const gc = (globalThis as { gc?: () => void }).gc;

function startFeed(n: number) {
  const child = fork(fileURLToPath(new URL('./esl-feed.js', import.meta.url)), [String(n)], { stdio: 'inherit' });
  return new Promise<{ port: number; perBlock: number; bytesPerBlock: number; stop(): void }>((resolve) =>
    child.once('message', (m: { port: number; perBlock: number; bytesPerBlock: number }) => resolve({ ...m, stop: () => child.kill() })),
  );
}

const q = (xs: Float64Array, p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

// 1. Throughput and memory through EslSwitch, exactly the production path.
{
  const feed = await startFeed(total);
  const sw = new EslSwitch({ host: '127.0.0.1', port: feed.port, password: 'bench', log: silentLogger(), clock: systemClock, commandTimeoutMs: 30_000 });
  let delivered = 0;
  const heap: number[] = [];
  let start = 0;
  const done = new Promise<void>((resolve) => {
    for (const n of ALL_EVENTS)
      sw.on(n, () => {
        if (delivered === 0) start = performance.now();
        delivered++;
        if (delivered % 100_000 === 0) {
          gc?.();
          heap.push(process.memoryUsage().heapUsed);
        }
        if (delivered === total) resolve();
      });
  });
  const cpu0 = process.cpuUsage();
  sw.start();
  await done;
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  await sw.stop();
  feed.stop();
  console.log(`events through EslSwitch: ${delivered.toLocaleString()} in ${(ms / 1000).toFixed(2)} s = ${Math.round(delivered / (ms / 1000)).toLocaleString()} events/s (client CPU ${((cpu.user + cpu.system) / 1000 / ms * 100).toFixed(0)}% of one core)`);
  const mib = heap.map((h) => (h / 2 ** 20).toFixed(1));
  console.log(`heap every 100k events (MiB${gc ? ', after gc' : ', run with --expose-gc for exact figures'}): ${mib.join(' ')}`);
}

// 2. Per-event latency: from the moment a chunk arrives to the moment its mapped event reaches a listener.
{
  const n = Math.min(total, 200_000);
  const feed = await startFeed(n);
  const sw = new EslSwitch({ host: '127.0.0.1', port: 1, password: 'x', log: silentLogger(), clock: systemClock });
  const lat = new Float64Array(n);
  let i = 0;
  let arrived = 0;
  for (const name of ALL_EVENTS)
    sw.on(name, () => {
      if (i < n) lat[i++] = performance.now() - arrived;
    });
  const reader = new EslFrameReader();
  const socket = connect({ host: '127.0.0.1', port: feed.port });
  let raw = 0;
  await new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      arrived = performance.now();
      for (const f of reader.push(chunk)) {
        const type = f.headers['Content-Type'];
        if (type === 'auth/request') socket.write('auth x\n\n');
        else if (type === 'command/reply' && f.headers['Reply-Text']?.startsWith('+OK accepted')) socket.write('event plain ALL\n\n');
        else if (type === 'command/reply') socket.write('api version\n\n');
        const e = decodeEvent(f, MAPPED_HEADERS);
        if (e) {
          raw++;
          sw.ingest(e);
        }
      }
    });
    socket.on('close', () => resolve());
  });
  feed.stop();
  const sorted = lat.slice(0, i).sort();
  console.log(`per-event latency over ${i.toLocaleString()} events (${raw.toLocaleString()} frames): p50 ${(q(sorted, 0.5) * 1000).toFixed(1)} µs, p99 ${(q(sorted, 0.99) * 1000).toFixed(1)} µs, max ${(sorted.at(-1)! * 1000).toFixed(0)} µs`);
}

// 3. The same bytes through modesl's parser, for the record (see appliance/freeswitch/README.md).
{
  const n = Math.min(total, 200_000);
  const feed = await startFeed(n);
  const require = createRequire(import.meta.url);
  // Measuring the library we chose not to use, nothing more (see appliance/freeswitch/README.md).
  const Parser = require('modesl/lib/esl/Parser.js') as new (s: EventEmitter) => EventEmitter;
  const socket = connect({ host: '127.0.0.1', port: feed.port });
  const fakeSocket = new EventEmitter();
  const parser = new Parser(fakeSocket);
  let count = 0;
  let start = 0;
  parser.on('esl::event', (e: { type?: string }) => {
    if (e.type) {
      if (count === 0) start = performance.now();
      count++;
    }
  });
  let handshake = true;
  socket.on('data', (chunk: Buffer) => {
    if (handshake) {
      const text = chunk.toString();
      if (text.includes('auth/request')) socket.write('auth x\n\n');
      if (text.includes('+OK accepted')) socket.write('event plain ALL\n\n');
      if (text.includes('listener enabled')) {
        socket.write('api version\n\n');
        handshake = false;
      }
      return;
    }
    fakeSocket.emit('data', chunk);
  });
  await new Promise<void>((resolve) => socket.on('close', () => resolve()));
  feed.stop();
  const ms = performance.now() - start;
  console.log(`same stream through modesl's Parser + Event: ${count.toLocaleString()} events in ${(ms / 1000).toFixed(2)} s = ${Math.round(count / (ms / 1000)).toLocaleString()} events/s`);
}
