import test from 'ava';
import { extendCsp, normalizeOrigin } from './origins.js';
import { buildPops, sdkEvent } from './pop.js';
import { frameVerdict } from './frame-check.js';
import type { PopCall, ScreenPop } from './screenpop.types.js';

const ORIGIN = 'https://callbox.example.com:8443';
const call: PopCall = { callerNum: '+4930 123', calledNum: '2222813', callid: '1653963570-252', callType: 0, workNo: '1001', callskill: 'Sales & Support', callskillid: '3', agentName: 'ann', vars: { account: 'A/42 ü', tier: 'gold' } };
let nextId = 1;
const pop = (p: Partial<ScreenPop>): ScreenPop => ({ id: nextId, name: `Pop ${nextId++}`, url: 'https://crm.example.com/customer', openMode: 'embed', integration: 'get', trigger: 'answer', isEnabled: true, sortOrder: 1, params: [], createdAt: '', updatedAt: '', ...p });

test('pop builder: a GET pop sends the 6 default parameters of Table 2-1, named exactly, then origin with : and / unencoded', (t) => {
  const [b] = buildPops([pop({})], call, { origin: ORIGIN });
  t.is(b!.url, 'https://crm.example.com/customer?callerNum=%2B4930%20123&calledNum=2222813&callid=1653963570-252&mediaType=1&callType=0&workNo=1001&origin=https://callbox.example.com:8443');
  t.deepEqual(b!.fields, []);
  // Huawei's sample parser splits on & and = without decoding: origin must come out as a usable targetOrigin.
  const naive = Object.fromEntries(b!.url.split('?')[1]!.split('&').map((kv) => kv.split('=') as [string, string]));
  t.is(naive.origin, ORIGIN);
  t.deepEqual(new URL(b!.url).searchParams.get('callerNum'), '+4930 123');
});

test('pop builder: the address keeps its own query and #fragment; an outbound call has callType 1', (t) => {
  const built = buildPops([pop({ url: 'https://crm.example.com/c?tab=info#/detail?x=1' }), pop({ url: 'https://crm.example.com/c?' }), pop({ url: 'https://crm.example.com/c?a=1&' })], { ...call, callType: 1 }, { origin: ORIGIN });
  t.regex(built[0]!.url, /^https:\/\/crm\.example\.com\/c\?tab=info&callerNum=.*&callType=1&workNo=1001&origin=https:\/\/callbox\.example\.com:8443#\/detail\?x=1$/);
  t.true(built[1]!.url.startsWith('https://crm.example.com/c?callerNum='));
  t.true(built[2]!.url.startsWith('https://crm.example.com/c?a=1&callerNum='));
});

test('pop builder: a POST pop sends the 9 fields of Table 3-1 as strings, in order; origin rides on the action', (t) => {
  const [b] = buildPops([pop({ integration: 'post', url: 'https://crm.example.com/postParamModelType' })], call, { origin: ORIGIN });
  t.is(b!.url, 'https://crm.example.com/postParamModelType?origin=https://callbox.example.com:8443');
  t.deepEqual(b!.fields, [
    ['callerNum', '+4930 123'],
    ['calledNum', '2222813'],
    ['callid', '1653963570-252'],
    ['mediaType', '1'],
    ['callType', '0'],
    ['workNo', '1001'],
    ['callskill', 'Sales & Support'],
    ['callskillid', '3'],
    ['agentName', 'ann'],
  ]);
});

test('pop builder: mapped parameters send only the mapped names, from call data or the call\'s variables (missing ones empty)', (t) => {
  const params = [
    { name: 'phone', source: 'call' as const, key: 'callerNum' },
    { name: 'skill', source: 'call' as const, key: 'callskill' },
    { name: 'acct', source: 'var' as const, key: 'account' },
    { name: 'missing', source: 'var' as const, key: 'nope' },
  ];
  const [get, post] = buildPops([pop({ params, sortOrder: 1 }), pop({ params, integration: 'post', sortOrder: 2 })], call, { origin: ORIGIN });
  t.is(get!.url, 'https://crm.example.com/customer?phone=%2B4930%20123&skill=Sales%20%26%20Support&acct=A%2F42%20%C3%BC&missing=&origin=https://callbox.example.com:8443');
  t.deepEqual(post!.fields, [
    ['phone', '+4930 123'],
    ['skill', 'Sales & Support'],
    ['acct', 'A/42 ü'],
    ['missing', ''],
  ]);
});

test('pop builder: only enabled pops, in list order; webapi gets origin only; with no call, get and post keep their address', (t) => {
  const pops = [pop({ sortOrder: 3, name: 'C' }), pop({ sortOrder: 1, name: 'A', integration: 'webapi', url: 'https://crm.example.com/sdk.html#x' }), pop({ sortOrder: 2, name: 'off', isEnabled: false }), pop({ sortOrder: 2, name: 'B', integration: 'post' })];
  const built = buildPops(pops, call, { origin: ORIGIN });
  t.deepEqual(built.map((b) => b.name), ['A', 'B', 'C']);
  t.is(built[0]!.url, 'https://crm.example.com/sdk.html?origin=https://callbox.example.com:8443#x');
  const mount = buildPops(pops, null, { origin: ORIGIN });
  t.deepEqual(mount.map((b) => [b.name, b.url, b.fields.length]), [
    ['A', 'https://crm.example.com/sdk.html?origin=https://callbox.example.com:8443#x', 0],
    ['B', 'https://crm.example.com/customer', 0],
    ['C', 'https://crm.example.com/customer', 0],
  ]);
});

test('sdk events: Init has every key, null but workNo; call events carry strings, audio, and calldata as JSON of the variables', (t) => {
  t.deepEqual(sdkEvent('Init', { workNo: '1001' }), { callerNum: null, calledNum: null, callid: null, mediaType: null, callType: null, workNo: '1001', calldata: null });
  const ringing = sdkEvent('Ringing', call);
  t.deepEqual(ringing, { callerNum: '+4930 123', calledNum: '2222813', callid: '1653963570-252', mediaType: 'audio', callType: '0', workNo: '1001', calldata: '{"account":"A/42 ü","tier":"gold"}' });
  t.is(sdkEvent('Release', { ...call, callType: 1 }).callType, '1');
  for (const v of Object.values(ringing)) t.is(typeof v, 'string');
});

test('origins: an origin is scheme://host[:port]; paths, queries, credentials and other schemes are not', (t) => {
  t.is(normalizeOrigin('https://CRM.example.com:8443'), 'https://crm.example.com:8443');
  t.is(normalizeOrigin('https://crm.example.com:443/'), 'https://crm.example.com');
  t.is(normalizeOrigin('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
  for (const bad of ['https://crm.example.com/app', 'crm.example.com', 'ftp://crm.example.com', 'https://u:p@crm.example.com', 'https://crm.example.com?x=1', 'javascript:alert(1)', '']) t.is(normalizeOrigin(bad), null, bad);
});

test('pop CSP: frame-src and form-action gain the origins; default-src and frame-ancestors stay', (t) => {
  const base = "default-src 'self';script-src 'self';form-action 'self';frame-ancestors 'none'";
  t.is(extendCsp(base, ['https://crm.example.com', 'http://localhost:3000']), "default-src 'self'; script-src 'self'; form-action 'self' https://crm.example.com http://localhost:3000; frame-ancestors 'none'; frame-src 'self' https://crm.example.com http://localhost:3000");
  t.is(extendCsp("default-src 'none'; frame-src 'none'", ['https://a.example']), "default-src 'none'; frame-src https://a.example; form-action https://a.example");
});

test('frame check: X-Frame-Options DENY/SAMEORIGIN and frame-ancestors that leave the workbench out block embedding', (t) => {
  const v = (h: Record<string, string>) => frameVerdict(new Headers(h), ORIGIN);
  t.false(v({}).isBlocked);
  t.true(v({ 'x-frame-options': 'DENY' }).isBlocked);
  t.true(v({ 'x-frame-options': 'sameorigin' }).isBlocked);
  t.regex(v({ 'x-frame-options': 'SAMEORIGIN' }).notes.join(' '), /Open standalone/);
  t.false(v({ 'x-frame-options': 'ALLOW-FROM https://callbox.example.com:8443' }).isBlocked);
  t.true(v({ 'content-security-policy': "default-src 'self'; frame-ancestors 'self'" }).isBlocked);
  t.true(v({ 'content-security-policy': "frame-ancestors 'none'" }).isBlocked);
  t.true(v({ 'content-security-policy': 'frame-ancestors https://other.example.com' }).isBlocked);
  t.false(v({ 'content-security-policy': "frame-ancestors 'self' https://callbox.example.com:8443" }).isBlocked);
  t.false(v({ 'content-security-policy': 'frame-ancestors https://*.example.com:*' }).isBlocked);
  t.false(v({ 'content-security-policy': 'frame-ancestors https:' }).isBlocked);
  // frame-ancestors wins over X-Frame-Options in browsers.
  t.false(v({ 'content-security-policy': 'frame-ancestors *', 'x-frame-options': 'DENY' }).isBlocked);
});
