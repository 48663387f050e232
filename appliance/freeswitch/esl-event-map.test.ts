import test from 'ava';
import { decodeEvent, EslFrameReader, type EslEvent } from './esl-codec.js';
import { MAPPED_HEADERS, mapEvent } from './esl-event-map.js';
import type { SwitchEvent, SwitchEventName, SwitchEvents } from './switch.types.js';
import { traceRaw, type TraceName } from './testing/traces.js';

function events(name: TraceName): EslEvent[] {
  return new EslFrameReader().push(traceRaw(name)).map((f) => decodeEvent(f)).filter((e): e is EslEvent => e !== null);
}
const mapped = (name: TraceName): SwitchEvent[] => events(name).map(mapEvent).filter((e): e is SwitchEvent => e !== null);
const of = <K extends SwitchEventName>(list: SwitchEvent[], name: K): SwitchEvents[K][] =>
  list.filter((e) => e.name === name).map((e) => e.data as SwitchEvents[K]);

test('map: the inbound IVR call (03a) becomes the domain events of what happened, in order', (t) => {
  const list = mapped('03a-inbound-call-plain-ALL').filter((e) => e.name !== 'heartbeat' && e.name !== 'channel.executed');
  t.deepEqual(list.map((e) => e.name), [
    'channel.created',
    'channel.answered',
    'playback.started',
    'playback.stopped',
    'playback.started',
    'playback.stopped',
    'dtmf.received',
    'playback.started',
    'playback.stopped',
    'dtmf.received',
    'channel.parked',
    'record.started',
    'playback.started',
    'playback.stopped',
    'record.stopped',
    'channel.hungup',
  ]);
  const created = of(list, 'channel.created')[0]!;
  t.is(created.direction, 'inbound');
  t.is(created.callerNumber, '5551000');
  t.is(created.destination, '7001');
  t.is(created.context, 'public');
  t.regex(created.uuid, /^[0-9a-f-]{36}$/);
  t.true(created.at > Date.UTC(2026, 0, 1));
  t.deepEqual(of(list, 'dtmf.received').map((d) => d.digit), ['1', '2']);
  t.is(of(list, 'playback.started')[0]!.file, 'tone_stream://%(600,0,440)');
  t.regex(of(list, 'record.stopped')[0]!.file, /esltrace-.*\.wav$/);
  const hungup = of(list, 'channel.hungup')[0]!;
  t.is(hungup.uuid, created.uuid);
  t.is(hungup.cause, 'NORMAL_CLEARING');
  t.is(hungup.causeQ850, 16);
  t.is(hungup.disposition, 'recv_bye');
  t.truthy(hungup.answeredAt);
  t.true(hungup.hungupAt! >= hungup.answeredAt!);
  t.true(hungup.duration >= hungup.billsec);
});

test('map: plain and json recordings of one call map to identical domain events', (t) => {
  const plain = mapped('03a-inbound-call-plain-ALL');
  const json = mapped('03b-inbound-call-json-ALL');
  const key = (e: SwitchEvent) => JSON.stringify(e);
  const jsonKeys = new Set(json.map(key));
  const missing = plain.filter((e) => !jsonKeys.has(key(e)));
  t.deepEqual(missing, [], 'every plain-mapped event has an identical json-mapped twin');
  t.true(plain.length > 20);
});

test('map: applications that finish carry their Application-UUID and response', (t) => {
  const done = of(mapped('03a-inbound-call-plain-ALL'), 'channel.executed');
  const playback = done.find((d) => d.application === 'playback')!;
  t.is(playback.response, 'FILE PLAYED');
  t.truthy(playback.applicationUuid);
  t.true(done.some((d) => d.application === 'play_and_get_digits'));
});

test('map: a bridged call gives both legs, the bridge pair, and who hung up (05a, 05b)', (t) => {
  const a = mapped('05a-bridge-caller-hangup');
  const bridged = of(a, 'channel.bridged')[0]!;
  t.not(bridged.aUuid, bridged.bUuid);
  const hangups = of(a, 'channel.hungup');
  t.is(hangups.length, 2);
  const caller = hangups.find((h) => h.uuid === bridged.aUuid)!;
  const callee = hangups.find((h) => h.uuid === bridged.bUuid)!;
  t.is(caller.direction, 'inbound');
  t.is(callee.direction, 'outbound');
  t.is(caller.disposition, 'recv_bye', 'the caller hung up in 05a');
  t.is(callee.disposition, 'send_bye');
  t.is(callee.otherUuid, bridged.aUuid);
  const b = of(mapped('05b-bridge-callee-hangup'), 'channel.hungup');
  t.true(b.some((h) => h.direction === 'outbound' && h.disposition === 'recv_bye'), 'the callee hung up in 05b');
  t.true(of(mapped('05b-bridge-callee-hangup'), 'channel.unbridged').length >= 1);
});

test('map: hold and unhold (05c)', (t) => {
  const list = mapped('05c-originate-uuid-commands');
  t.is(of(list, 'channel.held').length, 1);
  t.is(of(list, 'channel.unheld').length, 1);
  t.true(of(list, 'job.completed').length >= 1);
});

test('map: registrations, failures, unregistration and expiry (04)', (t) => {
  const list = mapped('04-registration');
  const reg = of(list, 'registration.registered');
  t.true(reg.length >= 2);
  t.is(reg[0]!.user, '1000');
  t.is(reg[0]!.profile, 'internal');
  t.is(reg[0]!.expires, 3600);
  t.is(reg[0]!.userAgent, 'sipp-esltrace');
  t.is(reg[0]!.networkPort, 5170);
  t.is(reg[0]!.contact, '"" <sip:1000@192.0.2.10:5070>');
  t.true(of(list, 'registration.failed').length >= 1);
  t.is(of(list, 'registration.unregistered')[0]!.expires, 0);
  t.true(of(list, 'registration.expired').length >= 1);
});

test('map: background jobs say whether they failed (02)', (t) => {
  const jobs = of(mapped('02-api-commands'), 'job.completed');
  t.true(jobs.some((j) => j.ok));
  const failed = jobs.find((j) => !j.ok)!;
  t.regex(failed.body, /^-ERR/);
  t.regex(failed.jobUuid, /^[0-9a-f-]{36}$/);
});

test('map: heartbeats carry version and load (01c)', (t) => {
  const hb = of(mapped('01c-auth-events-filters-exit'), 'heartbeat');
  t.is(hb.length, 2, 'one plain, one json');
  t.is(hb[1]!.uptimeMs - hb[0]!.uptimeMs, 20001, 'twenty seconds apart');
  t.regex(hb[0]!.version, /^1\.10\.12-release/);
  t.is(hb[0]!.maxSessions, 1000);
  t.is(hb[0]!.uptimeMs, 780143);
});

test('map: events we do not use map to nothing', (t) => {
  for (const name of ['CHANNEL_STATE', 'CHANNEL_CALLSTATE', 'CODEC', 'API', 'RE_SCHEDULE', 'MESSAGE_WAITING']) {
    t.is(mapEvent({ name, headers: { 'Event-Name': name }, body: '' }), null, name);
  }
  t.is(mapEvent({ name: 'CUSTOM', headers: { 'Event-Subclass': 'callcenter::info' }, body: '' }), null);
});

test('map: a gateway state event', (t) => {
  const e = mapEvent({ name: 'CUSTOM', headers: { 'Event-Subclass': 'sofia::gateway_state', Gateway: 'trunk_3', State: 'FAIL_WAIT', 'Ping-Status': 'DOWN', Status: '503', Phrase: 'Service Unavailable', 'Event-Date-Timestamp': '1795245455356418' }, body: '' });
  t.deepEqual(e, { name: 'gateway.state', data: { gateway: 'trunk_3', state: 'FAIL_WAIT', pingStatus: 'DOWN', status: 503, phrase: 'Service Unavailable', at: 1795245455356 } });
});

test('map: decoding only the mapped headers gives the same domain events as decoding everything', (t) => {
  let compared = 0;
  for (const name of ['03a-inbound-call-plain-ALL', '03b-inbound-call-json-ALL', '04-registration', '05a-bridge-caller-hangup', '05b-bridge-callee-hangup', '05c-originate-uuid-commands', '07b-eavesdrop', '02-api-commands', '01c-auth-events-filters-exit'] as TraceName[]) {
    for (const f of new EslFrameReader().push(traceRaw(name))) {
      const full = decodeEvent(f);
      if (!full) continue;
      t.deepEqual(mapEvent(decodeEvent(f, MAPPED_HEADERS)!), mapEvent(full), `${name} ${full.name}`);
      compared++;
    }
  }
  t.true(compared > 250, `${compared} events`);
});
