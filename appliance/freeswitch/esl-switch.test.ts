import anyTest, { type TestFn } from 'ava';
import { Writable } from 'node:stream';
import { systemClock } from '../clock.js';
import { FreeswitchCommandError, FreeswitchTimeoutError, FreeswitchUnavailableError } from '../errors.js';
import { createLogger } from '../logger.js';
import { apps, commands } from './commands.js';
import { decodeEvent, EslFrameReader } from './esl-codec.js';
import { mapEvent } from './esl-event-map.js';
import { EslSwitch } from './esl-switch.js';
import { FakeEslServer, recordedApiReplies } from './testing/fake-esl-server.js';
import { traceRaw } from './testing/traces.js';
import { SUBSCRIBED_EVENTS, type SwitchEventName } from './switch.types.js';

interface Ctx {
  server: FakeEslServer;
  sw: EslSwitch;
  logs: () => string;
}
const test = anyTest as TestFn<Ctx>;

function makeSwitch(server: FakeEslServer, password = server.password, port = server.address.port) {
  let out = '';
  const sink = new Writable({ write: (c: Buffer, _e, done) => ((out += c.toString()), done()) });
  const sw = new EslSwitch({ host: '127.0.0.1', port, password, log: createLogger('debug', sink), clock: systemClock, commandTimeoutMs: 400, connectTimeoutMs: 1000, backoff: { firstMs: 20, maxMs: 100 } });
  return { sw, logs: () => out };
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test.beforeEach(async (t) => {
  const server = new FakeEslServer({ password: 'esl-secret-123' });
  await server.start();
  const { sw, logs } = makeSwitch(server);
  t.context = { server, sw, logs };
});
test.afterEach.always(async (t) => {
  await t.context.sw.stop();
  await t.context.server.stop();
});

test('esl: connects, subscribes to an explicit event list (never ALL), and reads the version', async (t) => {
  const { sw, server } = t.context;
  sw.start();
  await until(() => sw.isConnected);
  t.deepEqual(server.lastSubscription, { format: 'plain', events: [...SUBSCRIBED_EVENTS] });
  t.false(server.lastSubscription.events.includes('ALL'));
  t.regex(sw.status().detail, /connected to FreeSWITCH 1\.10\.12/);
  t.is(await sw.api(commands.status()), recordedApiReplies().get('status')!);
});

test('esl: a wrong password is reported, retried with backoff, and never logged', async (t) => {
  const { server } = t.context;
  const { sw, logs } = makeSwitch(server, 'wrong-password-9');
  t.teardown(() => sw.stop());
  sw.start();
  await until(() => server.received.filter((l) => l.startsWith('auth')).length >= 3);
  t.is(sw.status().state, 'not_connected');
  t.regex(sw.status().detail, /authentication failed: the event-socket password does not match/);
  t.false(logs().includes('wrong-password-9'));
  await t.throwsAsync(sw.api(commands.status()), { instanceOf: FreeswitchUnavailableError });
});

test('esl: FreeSWITCH down at boot, then up: the client connects when it appears', async (t) => {
  const later = new FakeEslServer({ password: 'x-password' });
  const port = await later.start();
  await later.stop();
  const { sw } = makeSwitch(later, 'x-password', port);
  t.teardown(async () => {
    await sw.stop();
    await later.stop();
  });
  sw.start();
  await until(() => sw.status().state === 'not_connected');
  t.regex(sw.status().detail, /nothing listens on 127\.0\.0\.1:\d+ \(is FreeSWITCH running\?\); retrying in/);
  await t.throwsAsync(sw.api(commands.status()), { instanceOf: FreeswitchUnavailableError, message: /not connected/ });
  await later.start(port);
  await until(() => sw.isConnected);
  t.pass();
});

test('esl: a FreeSWITCH restart mid-run drops the connection; the client reconnects and subscribes again', async (t) => {
  const { sw, server } = t.context;
  const changes: boolean[] = [];
  sw.onConnection((c) => changes.push(c));
  sw.start();
  await until(() => sw.isConnected);
  await server.restart(150);
  await until(() => changes.length >= 2 && sw.isConnected);
  t.deepEqual(changes.slice(0, 3), [true, false, true]);
  t.is(server.received.filter((l) => l.startsWith('event plain')).length, 2);
  t.is(await sw.api(commands.status()), recordedApiReplies().get('status')!);
});

test('esl: events interleaved with a slow reply reach listeners, and the reply reaches its caller', async (t) => {
  const { sw, server } = t.context;
  sw.start();
  await until(() => sw.isConnected);
  const seen: string[] = [];
  sw.on('dtmf.received', (d) => seen.push(d.digit));
  server.delayReplies(100);
  const reply = sw.api(commands.version());
  for (const digit of ['1', '2', '3']) server.emit({ name: 'DTMF', headers: { 'Event-Name': 'DTMF', 'Unique-ID': 'u', 'DTMF-Digit': digit }, body: '' });
  t.regex(await reply, /FreeSWITCH Version 1\.10\.12/);
  t.deepEqual(seen, ['1', '2', '3']);
});

test('esl: a reply that never comes times out, and the connection starts over so no later reply goes astray', async (t) => {
  const { sw, server } = t.context;
  sw.start();
  await until(() => sw.isConnected);
  server.swallowReplies(1);
  await t.throwsAsync(sw.api(commands.version()), { instanceOf: FreeswitchTimeoutError });
  await until(() => server.received.filter((l) => l.startsWith('event plain')).length === 2 && sw.isConnected);
  t.is(await sw.api(commands.status()), recordedApiReplies().get('status')!, 'the next answer is for the next question');
});

test('esl: a 16 KB reply arrives whole, even written one byte at a time', async (t) => {
  const server = new FakeEslServer({ password: 'pw-bytes-1', chunkBytes: 1 });
  await server.start();
  const { sw } = makeSwitch(server);
  t.teardown(async () => {
    await sw.stop();
    await server.stop();
  });
  server.apiHandler = (c) => (c === 'version' ? 'FreeSWITCH Version 1.10.12-release (fake)' : undefined);
  sw.start();
  await until(() => sw.isConnected, 10000);
  const big = recordedApiReplies().get('show api')!;
  t.true(big.length > 16000);
  server.apiHandler = (c) => (c === 'show channels as json' ? big : undefined);
  t.is(await sw.api(commands.showChannels()), big);
});

test('esl: a malformed frame closes the connection with the reason, then it reconnects', async (t) => {
  const { sw, server, logs } = t.context;
  sw.start();
  await until(() => sw.isConnected);
  server.sendMalformed();
  await until(() => logs().includes('bad data from FreeSWITCH'));
  await until(() => sw.isConnected);
  t.pass();
});

test('esl: a disconnect notice is a lost connection, followed by a reconnect', async (t) => {
  const { sw, server, logs } = t.context;
  sw.start();
  await until(() => sw.isConnected);
  server.kick();
  await until(() => logs().includes('FreeSWITCH said goodbye'));
  await until(() => sw.isConnected);
  t.pass();
});

test('esl: bgapi resolves from its BACKGROUND_JOB; a failed job rejects with the reason; many at once are fine', async (t) => {
  const { sw, server } = t.context;
  server.apiHandler = (c) => (c.startsWith('originate') ? '-ERR SUBSCRIBER_ABSENT\n' : c === 'status' ? 'UP 0 years\n' : undefined);
  sw.start();
  await until(() => sw.isConnected);
  t.is(await sw.bgapi(commands.status()), 'UP 0 years\n');
  const e = await t.throwsAsync(sw.bgapi(commands.originate({ uuid: '5c2f4b4e-8e1f-4d7b-9f31-0c6f3f0b9a11', to: { kind: 'user', extension: '9999', domain: 'x' }, app: 'park' })), { instanceOf: FreeswitchCommandError });
  t.regex(e!.message, /SUBSCRIBER_ABSENT/);
  const many = await Promise.all(Array.from({ length: 60 }, () => sw.bgapi(commands.status())));
  t.is(many.length, 60);
  const jobs = server.received.filter((l) => l.startsWith('bgapi'));
  t.is(jobs.length, 62);
});

test('esl: an api -ERR rejects with the reason', async (t) => {
  const { sw } = t.context;
  sw.start();
  await until(() => sw.isConnected);
  await t.throwsAsync(sw.api(commands.uuidKill('5c2f4b4e-8e1f-4d7b-9f31-0c6f3f0b9a11')), { instanceOf: FreeswitchCommandError, message: /Command not found|No such channel/ });
});

test('esl: applications run with sendmsg and finish on their CHANNEL_EXECUTE_COMPLETE; a hangup ends the wait', async (t) => {
  const { sw, server } = t.context;
  const uuid = 'e7f94fd5-8702-474e-aab4-ecfed73593c9';
  const complete = (u: string, h: Record<string, string>, response: string) =>
    server.emit({ name: 'CHANNEL_EXECUTE_COMPLETE', headers: { 'Event-Name': 'CHANNEL_EXECUTE_COMPLETE', 'Unique-ID': u, Application: h['execute-app-name']!, 'Application-UUID': h['Event-UUID']!, 'Application-Response': response }, body: '' });
  server.sendmsgHandler = (u, h) => {
    if (h['execute-app-name'] === 'playback') setTimeout(() => complete(u, h, 'FILE PLAYED'), 20);
    if (h['execute-app-name'] === 'park') setTimeout(() => server.emit({ name: 'CHANNEL_HANGUP_COMPLETE', headers: { 'Event-Name': 'CHANNEL_HANGUP_COMPLETE', 'Unique-ID': u, 'Hangup-Cause': 'NORMAL_CLEARING' }, body: '' }), 20);
  };
  sw.start();
  await until(() => sw.isConnected);
  t.is((await sw.execute(apps.playback(uuid, 'tone_stream://%(200,0,440)'))).response, 'FILE PLAYED');
  const sent = server.received.filter((l) => l.startsWith('sendmsg'));
  t.deepEqual(sent, [`sendmsg ${uuid}`]);
  await t.throwsAsync(sw.execute(apps.park(uuid)), { message: /the call ended/ });
});

test('esl: a recorded call replayed through the socket reaches listeners exactly as the pure mapping says', async (t) => {
  const { sw, server } = t.context;
  sw.start();
  await until(() => sw.isConnected);
  const got: string[] = [];
  const names: SwitchEventName[] = ['channel.created', 'channel.answered', 'channel.parked', 'channel.hungup', 'channel.executed', 'dtmf.received', 'playback.started', 'playback.stopped', 'record.started', 'record.stopped', 'heartbeat'];
  for (const n of names) sw.on(n, (d) => got.push(`${n}:${JSON.stringify(d)}`));
  const expected = new EslFrameReader()
    .push(traceRaw('03b-inbound-call-json-ALL'))
    .map((f) => decodeEvent(f))
    .filter((e) => e && (SUBSCRIBED_EVENTS as readonly string[]).includes(e.name))
    .map((e) => mapEvent(e!))
    .filter((m) => m !== null)
    .map((m) => `${m.name}:${JSON.stringify(m.data)}`);
  server.replay('03b-inbound-call-json-ALL');
  await until(() => got.length >= expected.length);
  t.deepEqual(got, expected);
});

test('esl: a listener that throws does not break delivery to the others', async (t) => {
  const { sw, server, logs } = t.context;
  sw.start();
  await until(() => sw.isConnected);
  const ok: string[] = [];
  sw.on('dtmf.received', () => {
    throw new Error('listener bug');
  });
  sw.on('dtmf.received', (d) => ok.push(d.digit));
  server.emit({ name: 'DTMF', headers: { 'Event-Name': 'DTMF', 'Unique-ID': 'u', 'DTMF-Digit': '5' }, body: '' });
  await until(() => ok.length === 1);
  t.true(logs().includes('switch event listener failed'));
  t.true(sw.isConnected);
});

test('esl: the controller holds a lease in FreeSWITCH while connected, and gives it back when it stops', async (t) => {
  const { sw, server } = t.context;
  const leases: string[] = [];
  server.apiHandler = (c) => {
    if (c.startsWith('global_setvar callbox_lease=')) leases.push(c.split('=')[1]!);
    return c.startsWith('global_setvar') ? '+OK\n' : undefined;
  };
  sw.start();
  await until(() => leases.length >= 1);
  const until1 = Number(leases[0]);
  t.true(until1 > Date.now() / 1000 && until1 <= Date.now() / 1000 + 16, 'valid for about three renewal periods');
  await sw.stop();
  t.is(leases.at(-1), '0');
});
