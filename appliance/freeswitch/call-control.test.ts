import test from 'ava';
import { CallControl } from './call-control.js';
import { apps } from './commands.js';
import { FakeSwitch } from './testing/fake-switch.js';

const U = 'e7f94fd5-8702-474e-aab4-ecfed73593c9';
const T = '5c2f4b4e-8e1f-4d7b-9f31-0c6f3f0b9a11';

test('call control: each primitive sends the command FreeSWITCH expects', async (t) => {
  const sw = new FakeSwitch();
  const cc = new CallControl(sw);
  await cc.answer(U);
  t.is(await cc.play(U, '/var/lib/callbox/prompts/welcome.wav'), 'FILE PLAYED');
  await cc.setVar(U, 'callbox_flow', '12');
  await cc.transfer(U, '7006', 'public');
  await cc.bridge(U, T);
  await cc.park(U);
  await cc.hold(U, true);
  await cc.hold(U, false);
  await cc.stopMedia(U);
  await cc.record(U, true, '/var/lib/callbox/recordings/x.wav');
  await cc.record(U, false, '/var/lib/callbox/recordings/x.wav');
  await cc.hangup(U, 'USER_BUSY');
  t.deepEqual(sw.lines(), [
    `execute answer @${U}`,
    `execute playback /var/lib/callbox/prompts/welcome.wav @${U}`,
    `api uuid_setvar ${U} callbox_flow 12`,
    `api uuid_transfer ${U} 7006 XML public`,
    `api uuid_bridge ${U} ${T}`,
    `api uuid_park ${U}`,
    `api uuid_hold ${U}`,
    `api uuid_hold off ${U}`,
    `api uuid_break ${U} all`,
    `api uuid_record ${U} start /var/lib/callbox/recordings/x.wav`,
    `api uuid_record ${U} stop /var/lib/callbox/recordings/x.wav`,
    `api uuid_kill ${U} USER_BUSY`,
  ]);
});

test('call control: collecting digits runs play_and_get_digits into a fresh variable and reads the answer from its completion', async (t) => {
  const sw = new FakeSwitch();
  sw.finish = (x) => ({ response: '', vars: { [x.arg.split(' ')[7]!.slice('callbox_'.length)]: '42' } });
  const digits = await new CallControl(sw).collectDigits(U, { prompt: 'tone_stream://%(200,0,600)', min: 1, max: 4, tries: 2, timeoutMs: 3000, pattern: '[0-9*#]+' });
  t.is(digits, '42');
  t.is(sw.lines().length, 1, 'one command, no round trip to read the answer');
  t.regex(sw.lines()[0]!, new RegExp(`^execute play_and_get_digits 1 4 2 3000 # tone_stream://%\\(200,0,600\\) silence_stream://250 callbox_digits_[0-9a-f]{8} \\[0-9\\*#\\]\\+ 3000 @${U}$`));
  t.throws(() => apps.collectDigits(U, { prompt: 'silence_stream://1', min: 1, max: 1, tries: 1, timeoutMs: 1000, terminators: '#', variable: 'v', pattern: '.* bad' }), { code: 'switch.bad_argument' });
});

test('call control: nothing entered reads as an empty string; an unset variable as null', async (t) => {
  const sw = new FakeSwitch();
  sw.respond = (c) => (c.startsWith('uuid_getvar') ? '_undef_' : '+OK\n');
  const cc = new CallControl(sw);
  t.is(await cc.collectDigits(U, { prompt: 'silence_stream://100', min: 1, max: 1, tries: 1, timeoutMs: 1000 }), '');
  t.is(await cc.getVar(U, 'nothing'), null);
});

test('call control: originate and eavesdrop create legs with our own uuid, parked on answer', async (t) => {
  const sw = new FakeSwitch();
  const cc = new CallControl(sw);
  const uuid = await cc.originate({ kind: 'user', extension: '1002', domain: 'callbox.local' }, { vars: { callbox_call: 7 } });
  t.regex(sw.lines()[0]!, new RegExp(`^bgapi originate \\{origination_uuid=${uuid},originate_timeout=30,callbox_call=7\\}user/1002@callbox.local &park\\(\\)$`));
  const spy = await cc.eavesdrop({ kind: 'user', extension: '1003', domain: 'callbox.local' }, T);
  t.is(await spy.ended, '+OK');
  t.is(sw.lines()[2], `execute eavesdrop ${T} @${spy.uuid}`);
});
