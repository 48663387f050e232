import test from 'ava';
import fc from 'fast-check';
import { ValidationError } from '../errors.js';
import { apps, channelVars, commands, dialString, media } from './commands.js';

const A = '5c2f4b4e-8e1f-4d7b-9f31-0c6f3f0b9a11';
const B = 'e7f94fd5-8702-474e-aab4-ecfed73593c9';

test('commands: built exactly as FreeSWITCH expects them (as in the traces)', (t) => {
  t.is<string, string>(commands.uuidBridge(A, B), `uuid_bridge ${A} ${B}`);
  t.is<string, string>(commands.uuidHold(A, true), `uuid_hold ${A}`);
  t.is<string, string>(commands.uuidHold(A, false), `uuid_hold off ${A}`);
  t.is<string, string>(commands.uuidTransfer(B, '7006', 'public'), `uuid_transfer ${B} 7006 XML public`);
  t.is<string, string>(commands.uuidKill(A), `uuid_kill ${A} NORMAL_CLEARING`);
  t.is<string, string>(commands.uuidRecord(A, 'start', '/var/lib/callbox/recordings/2026/x.wav'), `uuid_record ${A} start /var/lib/callbox/recordings/2026/x.wav`);
  t.is<string, string>(commands.uuidBroadcast(A, 'tone_stream://%(800,0,660)'), `uuid_broadcast ${A} tone_stream://%(800,0,660) aleg`);
  t.is<string, string>(commands.sofiaRescan('external'), 'sofia profile external rescan');
  t.is<string, string>(
    commands.originate({ uuid: A, to: { kind: 'user', extension: '1001', domain: '192.0.2.10' }, app: 'park', vars: { callbox_call: 12 } }),
    `originate {origination_uuid=${A},originate_timeout=30,callbox_call=12}user/1001@192.0.2.10 &park()`,
  );
  t.is(commands.originate({ uuid: B, to: { kind: 'gateway', trunk: 'trunk_3', number: '+4930123456' }, app: { extension: '7006', context: 'public' } }).endsWith('sofia/gateway/trunk_3/+4930123456 7006 XML public'), true);
});

test('commands: applications for sendmsg', (t) => {
  t.deepEqual(apps.playback(A, 'tone_stream://%(200,100,440)'), { uuid: A, app: 'playback', arg: 'tone_stream://%(200,100,440)' });
  t.deepEqual(apps.bridge(A, { kind: 'loopback', extension: '7005', context: 'callbox' }), { uuid: A, app: 'bridge', arg: 'loopback/7005/callbox' });
  t.is<string, string>(
    apps.collectDigits(A, { prompt: '/var/lib/callbox/prompts/menu.wav', min: 1, max: 1, tries: 3, timeoutMs: 5000, terminators: '#', variable: 'callbox_menu' }).arg,
    '1 1 3 5000 # /var/lib/callbox/prompts/menu.wav silence_stream://250 callbox_menu \\d+ 5000',
  );
});

test('commands: injection attempts are refused with the part named', (t) => {
  const bad: [string, () => unknown][] = [
    ['uuid', () => commands.uuidKill(`${A}\napi hupall`)],
    ['uuid', () => commands.uuidKill('not-a-uuid')],
    ['variable value', () => commands.uuidSetvar(A, 'x', 'a b')],
    ['variable value', () => commands.uuidSetvar(A, 'x', '${system(rm -rf /)}')],
    ['variable value', () => channelVars({ a: 'x,origination_caller_id_number=666' })],
    ['variable name', () => commands.uuidSetvar(A, 'bad name', 'v')],
    ['extension', () => commands.uuidTransfer(A, '1000 XML default', 'public')],
    ['context', () => commands.uuidTransfer(A, '1000', 'Public Context')],
    ['media path', () => media('/etc/../etc/shadow')],
    ['media path', () => media('relative.wav')],
    ['media path', () => media('/tmp/with space.wav')],
    ['media path', () => media('http://example.com/x.mp3')],
    ['number', () => dialString({ kind: 'gateway', trunk: 'trunk_1', number: '900;evil' })],
    ['trunk', () => dialString({ kind: 'gateway', trunk: 'carrier-a', number: '123' })],
    ['profile', () => commands.sofiaRescan('internal; hupall')],
    ['hangup cause', () => commands.uuidKill(A, 'normal clearing')],
    ['terminators', () => apps.collectDigits(A, { prompt: 'silence_stream://10', min: 1, max: 2, tries: 1, timeoutMs: 1000, terminators: 'x', variable: 'v' })],
    ['max digits', () => apps.collectDigits(A, { prompt: 'silence_stream://10', min: 3, max: 2, tries: 1, timeoutMs: 1000, terminators: '#', variable: 'v' })],
  ];
  for (const [field, fn] of bad) {
    const e = t.throws(fn, { instanceOf: ValidationError }, field);
    t.truthy(e!.fields[field], `${field}: ${JSON.stringify(e!.fields)}`);
  }
});

test('commands: no accepted value can break out of its place in a command', (t) => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      try {
        const c = commands.uuidSetvar(A, 'callbox_x', s);
        return !/[\s{}$,']/.test(c.slice(`uuid_setvar ${A} callbox_x `.length));
      } catch (e) {
        return e instanceof ValidationError;
      }
    }),
  );
  t.pass();
});

test('commands: recording a leg: start, mask, unmask and stop name the same file; the path and action are checked', (t) => {
  const file = '/var/lib/callbox/recordings/2026/01/01/' + A + '-7.wav';
  for (const action of ['start', 'mask', 'unmask', 'stop'] as const) t.is<string, string>(commands.uuidRecord(A, action, file), `uuid_record ${A} ${action} ${file}`);
  t.is<string, string>(commands.uuidSetvar(A, 'RECORD_STEREO', 'true'), `uuid_setvar ${A} RECORD_STEREO true`);
  for (const bad of ['/tmp/a b.wav', '/tmp/../etc/x.wav', 'relative.wav', '/tmp/x.mp3', '/tmp/x.wav;hangup', 'silence_stream://100']) {
    t.throws(() => commands.uuidRecord(A, 'start', bad), { instanceOf: ValidationError }, bad);
  }
  t.throws(() => commands.uuidRecord(A, 'pause' as 'start', file), { instanceOf: ValidationError });
  t.throws(() => commands.uuidRecord('not-a-uuid', 'start', file), { instanceOf: ValidationError });
});
