import anyTest, { type TestFn } from 'ava';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '../clock.js';
import { parseConfig, type Config } from '../config.js';
import { openDatabase } from '../db/database.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { FreeswitchCommandError } from '../errors.js';
import { FakeSwitch } from '../freeswitch/testing/fake-switch.js';
import { silentLogger } from '../logger.js';
import { SYSTEM_PROMPTS } from '../modules/prompts/system-prompts.js';
import { projectRoot } from '../paths.js';
import { buildModel, emptyModelData, GENERATED_HEADER, MODULES, type ModelData } from './model.js';
import { HOLD_MUSIC_FILE } from './moh.js';
import { changedGateways, ConfigPublisher } from './publish.js';
import { RenderError, renderTree } from './render.js';

// Tests may read the environment: UPDATE_GOLDEN=1 rewrites the golden files (review the diff by hand).
const updateGolden = process.env.UPDATE_GOLDEN === '1';
const GOLDEN = join(projectRoot, 'appliance', 'confgen', '__golden__');

function config(dataDir: string, fs: Record<string, unknown> = {}): Config {
  return parseConfig({
    dataDir,
    session: { secret: 's'.repeat(32) },
    esl: { password: 'esl-golden-password', port: 8021 },
    freeswitch: { confDir: join(dataDir, 'freeswitch'), sipIp: '192.0.2.10', ...fs },
  });
}

interface Ctx {
  dir: string;
  sw: FakeSwitch;
  make(fs?: Record<string, unknown>): Promise<ConfigPublisher>;
}
const test = anyTest as TestFn<Ctx>;
test.beforeEach((t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-confgen-'));
  const sw = new FakeSwitch();
  const db = openDatabase(':memory:');
  const clock = createFakeClock();
  let migrated = false;
  t.context = {
    dir,
    sw,
    async make(fs = {}) {
      if (!migrated) await migrate(db, { migrations: await loadMigrations(), backupDir: null, clock, log: silentLogger() });
      migrated = true;
      const c = config(dir, fs);
      return new ConfigPublisher({ db, clock, log: silentLogger(), config: c, sw, confDir: c.freeswitch.confDir });
    },
  };
});

test('confgen: the rendered tree matches the reviewed golden files', (t) => {
  const tree = renderTree(buildModel(config('/var/lib/callbox')));
  for (const [path, text] of tree) {
    const golden = join(GOLDEN, path.replaceAll('/', '__'));
    if (updateGolden) writeFileSync(golden, text);
    t.is(text, readFileSync(golden, 'utf8'), path);
  }
  t.deepEqual([...tree.keys()], [
    'autoload_configs/acl.conf.xml',
    'autoload_configs/conference.conf.xml',
    'autoload_configs/console.conf.xml',
    'autoload_configs/event_socket.conf.xml',
    'autoload_configs/local_stream.conf.xml',
    'autoload_configs/logfile.conf.xml',
    'autoload_configs/modules.conf.xml',
    'autoload_configs/opus.conf.xml',
    'autoload_configs/sofia.conf.xml',
    'autoload_configs/switch.conf.xml',
    'autoload_configs/timezones.conf.xml',
    'autoload_configs/voicemail.conf.xml',
    'dialplan/callbox.xml',
    'dialplan/carrier_check.xml',
    'dialplan/internal.xml',
    'dialplan/public.xml',
    'directory/default.xml',
    'freeswitch.xml',
    'lang/en.xml',
    'sip_profiles/external.xml',
    'sip_profiles/external/gateways.xml',
    'sip_profiles/internal.xml',
    'vars.xml',
  ]);
});

test('confgen: extensions become directory users and dialplan entries; disabled ones are absent', (t) => {
  const data = {
    ...emptyModelData(),
    extensions: [
      { number: '1001', displayName: 'Ann', sipPassword: 'pw1001pw1001pw1001pw', dnd: false, isEnabled: true, callClass: 'national', voicemailEnabled: true, voicemailPin: '482915', outConcurrent: 5, outPerHour: null },
      { number: '1002', displayName: 'Bob', sipPassword: 'pw1002pw1002pw1002pw', dnd: true, isEnabled: true, callClass: 'national', voicemailEnabled: true, voicemailPin: '771203' },
      { number: '1003', displayName: 'Gone', sipPassword: 'pw1003pw1003pw1003pw', dnd: false, isEnabled: false, callClass: 'national' },
    ],
  };
  const tree = renderTree(buildModel(config('/var/lib/callbox'), data));
  for (const path of ['directory/default.xml', 'dialplan/internal.xml']) {
    const golden = join(GOLDEN, `with-extensions__${path.replaceAll('/', '__')}`);
    if (updateGolden) writeFileSync(golden, tree.get(path)!);
    t.is(tree.get(path), readFileSync(golden, 'utf8'), path);
  }
  t.notRegex(tree.get('directory/default.xml')!, /1003/);
  t.regex(tree.get('dialplan/internal.xml')!, /extension_1002">\s+<condition[^>]+>\s+<!-- Do not disturb: callers reach the voicemail/);
  t.regex(tree.get('directory/default.xml')!, /name="vm-password" value="482915"/);
  t.regex(tree.get('directory/default.xml')!, /callbox_out_concurrent" value="5"[\s\S]+callbox_out_per_hour" value="30"/);
});

test('confgen: each music prompt is its own local_stream beside the default; a folder that is not a plain path stops the model', (t) => {
  const music = [
    { id: 4, name: 'Jazz <&> "quotes"', dir: '/var/lib/callbox/sounds/music/4/8000' },
    { id: 9, name: 'Strings', dir: '/var/lib/callbox/sounds/music/9/8000' },
  ];
  const xml = renderTree(buildModel(config('/var/lib/callbox'), { ...emptyModelData(), music })).get('autoload_configs/local_stream.conf.xml')!;
  const golden = join(GOLDEN, 'with-music__autoload_configs__local_stream.conf.xml');
  if (updateGolden) writeFileSync(golden, xml);
  t.is(xml, readFileSync(golden, 'utf8'));
  t.deepEqual([...xml.matchAll(/<directory name="([^"]+)" path="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`), [
    'moh /var/lib/callbox/sounds/moh/8000',
    'music_4 /var/lib/callbox/sounds/music/4/8000',
    'music_9 /var/lib/callbox/sounds/music/9/8000',
  ]);
  t.notRegex(xml, /Jazz|Strings/, 'names people typed stay out of the XML');
  t.throws(() => buildModel(config('/var/lib/callbox'), { ...emptyModelData(), music: [{ id: 5, name: 'x', dir: '/tmp/a b"/8000' }] }), { message: /music 5 has an unusable folder/ });
});

test('confgen: a publish starts the local_stream of new music and stops the one of removed music', async (t) => {
  await t.context.make();
  const db = openDatabase(':memory:');
  await migrate(db, { migrations: await loadMigrations(), backupDir: null, clock: createFakeClock(), log: silentLogger() });
  const c = config(t.context.dir);
  let music: ModelData['music'] = [{ id: 4, name: 'Jazz', dir: join(t.context.dir, 'sounds', 'music', '4', '8000') }];
  const p = new ConfigPublisher({ db, clock: createFakeClock(), log: silentLogger(), config: c, sw: t.context.sw, confDir: c.freeswitch.confDir, data: () => ({ ...emptyModelData(), music }) });
  const first = await p.publish('boot', 'system');
  t.true(first.actions.includes('local_stream start music_4'));
  t.true(t.context.sw.lines().includes('api local_stream start music_4'));
  music = [{ id: 7, name: 'Strings', dir: join(t.context.dir, 'sounds', 'music', '7', '8000') }];
  t.context.sw.sent.length = 0;
  const second = await p.publish('music changed', 'system');
  t.deepEqual(second.actions, ['reloadxml', 'local_stream stop music_4', 'local_stream start music_7']);
  // A stream FreeSWITCH will not start is reported; the rest of the configuration stands.
  music = [...music, { id: 8, name: 'Bad', dir: join(t.context.dir, 'sounds', 'music', '8', '8000') }];
  t.context.sw.respond = (cmd) => {
    if (cmd.startsWith('local_stream start')) throw new FreeswitchCommandError('switch.command_failed', {}, { message: '-ERR no such directory' });
    return '+OK\n';
  };
  const third = await p.publish('more music', 'system');
  t.is(third.status, 'applied');
  t.deepEqual(third.actions, ['reloadxml', 'local_stream start music_8 failed: -ERR no such directory']);
});

test('confgen: every file the voicemail phrases play is a system prompt the appliance renders', (t) => {
  const lang = renderTree(buildModel(config('/var/lib/callbox'))).get('lang/en.xml')!;
  t.regex(lang, /sound-prefix="\/var\/lib\/callbox\/sounds\/voice\/en"/);
  const played = [...lang.matchAll(/function="play-file" data="([^"$]+?)(\$\d)?([^"$]*)\.wav"/g)];
  t.true(played.length > 20);
  for (const [, head, group, tail] of played) {
    // "vm/$2.wav" and "vm/ack-$1.wav" stand for a family: each member the pattern allows must exist.
    const names = group ? Object.keys(SYSTEM_PROMPTS).filter((n) => n.startsWith(head!) && n.endsWith(tail!)) : [`${head}${tail}`];
    t.true(names.length > 0 && names.every((n) => n in SYSTEM_PROMPTS), `${head}${group ?? ''}${tail}`);
  }
  for (const family of ['new', 'saved', 'urgent-new', 'urgent-saved', 'ack-saved', 'ack-deleted', 'ack-too-small', 'new-message-number', 'saved-message-number']) t.true(`vm/${family}` in SYSTEM_PROMPTS, family);
});

test('confgen: a registration trunk without a valid contact secret stops the model, so its calls are never let in unchecked', (t) => {
  const secret = 'c0ffee'.padEnd(32, '0');
  const trunk: ModelData['trunks'][number] = { id: 3, authMode: 'registration', host: 'sip.carrier.example', port: 5060, transport: 'udp', username: 'acct', password: 'pw', realm: null, expirySeconds: 600, fromUser: null, fromDomain: null, allowedCidrs: [], codecs: ['PCMU'], dtmfMode: 'rfc2833', maxCalls: 2, isEnabled: true, contactSecret: secret };
  const model = (contactSecret: string | null) => buildModel(config('/x'), { ...emptyModelData(), trunks: [{ ...trunk, contactSecret }] });
  for (const bad of [null, '', 'c0ffee', 'C0FFEE'.padEnd(32, '0'), `${'0'.repeat(31)};`]) t.throws(() => model(bad), { instanceOf: RangeError, message: /trunk 3 has no valid contact secret/ }, String(bad));
  t.is(model(secret).trunks[0]!.contactSecret, secret);
  t.is(buildModel(config('/x'), { ...emptyModelData(), trunks: [{ ...trunk, authMode: 'ip', contactSecret: null }] }).trunks[0]!.contactSecret, '', 'an IP trunk needs none');
});

test('confgen: every module in the list is loaded, the event socket is loopback-only with the generated password', (t) => {
  const tree = renderTree(buildModel(config('/x')));
  const modules = tree.get('autoload_configs/modules.conf.xml')!;
  for (const m of MODULES) t.true(modules.includes(`<load module="${m}"/>`), m);
  const esl = tree.get('autoload_configs/event_socket.conf.xml')!;
  t.regex(esl, /name="listen-ip" value="127\.0\.0\.1"/);
  t.regex(esl, /name="password" value="esl-golden-password"/);
  t.regex(tree.get('sip_profiles/internal.xml')!, /name="ws-binding" value="127\.0\.0\.1:5066"/);
});

test('confgen: values are XML-escaped, and a template field that is missing fails the render by name', (t) => {
  const model = { ...buildModel(config('/x')), extensions: [{ number: '1001', displayName: 'Ann & <Bob> "Q"', sipPassword: 'p', dnd: false, callClass: 'national', forwardAlways: null, forwardBusy: null, forwardNoAnswer: null, noAnswerSeconds: 20, voicemail: false, voicemailPin: '', outConcurrent: 2, outPerHour: 30, hasFallback: false }] };
  const dir = renderTree(model).get('directory/default.xml')!;
  t.regex(dir, /value="Ann &amp; &lt;Bob&gt; &quot;Q&quot;"/);
  const broken = { ...buildModel(config('/x')) } as Record<string, unknown>;
  delete broken.wsPort;
  const e = t.throws(() => renderTree(broken as never), { instanceOf: RenderError });
  t.regex(e!.message, /^sip_profiles\/internal\.xml: .*wsPort/);
});

test('confgen: the first publish writes every file, hold music, a revision, and reloads', async (t) => {
  const p = await t.context.make();
  const r = await p.publish('boot', 'system');
  t.is(r.status, 'applied');
  t.is(r.changed.length, 23);
  t.deepEqual(r.actions, ['reloadxml', 'sofia profile internal start', 'sofia profile external start']);
  const root = join(t.context.dir, 'freeswitch');
  t.true(readFileSync(join(root, 'freeswitch.xml'), 'utf8').includes(GENERATED_HEADER));
  const wav = readFileSync(join(t.context.dir, 'sounds', 'moh', '8000', HOLD_MUSIC_FILE));
  t.is(wav.toString('latin1', 0, 4), 'RIFF');
  t.is(wav.readUInt32LE(24), 8000);
  t.true(wav.length > 8000 * 2 * 20, 'at least 20 seconds');
  t.deepEqual(t.context.sw.lines(), ['api reloadxml', 'api sofia profile internal start', 'api sofia profile external start']);
  const rev = p.revision(r.revision)!;
  t.regex(rev.diff, /\+\+\+ vars\.xml/);
});

test('confgen: publishing again with nothing changed writes nothing and reloads nothing', async (t) => {
  const p = await t.context.make();
  await p.publish('boot', 'system');
  const file = join(t.context.dir, 'freeswitch', 'vars.xml');
  const before = statSync(file).mtimeMs;
  const r = await p.publish('again', 'admin');
  t.is(r.status, 'unchanged');
  t.is(statSync(file).mtimeMs, before);
  t.is(t.context.sw.lines().length, 3, 'only the first publish sent commands');
});

test('confgen: a changed port rewrites only the files that use it, restarts only that profile, and shows the diff', async (t) => {
  await (await t.context.make()).publish('boot', 'system');
  t.context.sw.sent.length = 0;
  const p = await t.context.make({ internalSipPort: 5070 });
  const r = await p.publish('port change', 'admin');
  t.is(r.status, 'applied');
  t.deepEqual(r.changed, ['sip_profiles/internal.xml']);
  t.deepEqual(t.context.sw.lines(), ['api reloadxml', 'api sofia profile internal restart']);
  const diff = p.revision(r.revision)!.diff;
  t.regex(diff, /-\s+<param name="sip-port" value="5060"\/>/);
  t.regex(diff, /\+\s+<param name="sip-port" value="5070"\/>/);
});

test('confgen: settings FreeSWITCH reads only at start say so', async (t) => {
  await (await t.context.make()).publish('boot', 'system');
  const r = await (await t.context.make({ maxSessions: 50 })).publish('sessions', 'admin');
  t.true(r.actions.some((a) => a.startsWith('takes effect when FreeSWITCH restarts: autoload_configs/switch.conf.xml')));
});

test('confgen: XML that Callbox did not write in an included folder stops the publish, and nothing is written', async (t) => {
  const root = join(t.context.dir, 'freeswitch', 'autoload_configs');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'verto.conf.xml'), '<configuration name="verto.conf"/>');
  const r = await (await t.context.make()).publish('boot', 'system');
  t.is(r.status, 'failed');
  t.regex(r.error!, /did not write.*autoload_configs\/verto\.conf\.xml/);
  t.false(existsSync(join(t.context.dir, 'freeswitch', 'freeswitch.xml')));
  t.deepEqual(t.context.sw.lines(), []);
});

test('confgen: a generated file that is no longer part of the tree is removed', async (t) => {
  await (await t.context.make()).publish('boot', 'system');
  const old = join(t.context.dir, 'freeswitch', 'dialplan', 'retired.xml');
  writeFileSync(old, `<!-- ${GENERATED_HEADER} -->\n<include/>`);
  const r = await (await t.context.make()).publish('cleanup', 'system');
  t.is(r.status, 'applied');
  t.false(existsSync(old));
  t.deepEqual(r.changed, ['dialplan/retired.xml (removed)']);
});

test('confgen: when FreeSWITCH refuses the new files, the previous ones are put back', async (t) => {
  const p = await t.context.make();
  await p.publish('boot', 'system');
  const file = join(t.context.dir, 'freeswitch', 'sip_profiles', 'internal.xml');
  const before = readFileSync(file, 'utf8');
  t.context.sw.respond = (c) => {
    if (c === 'reloadxml' && !before.includes('5099')) {
      t.context.sw.respond = () => '+OK\n';
      throw new FreeswitchCommandError('switch.command_failed', {}, { message: 'FreeSWITCH refused reloadxml: [error near line 12]' });
    }
    return '+OK\n';
  };
  const r = await (await t.context.make({ internalSipPort: 5099 })).publish('bad', 'admin');
  t.is(r.status, 'failed');
  t.regex(r.error!, /refused the new configuration.*previous files were restored/);
  t.is(readFileSync(file, 'utf8'), before);
});

test('confgen: with FreeSWITCH down the files are written and the revision says when they apply', async (t) => {
  t.context.sw.setConnected(false);
  const r = await (await t.context.make()).publish('boot', 'system');
  t.is(r.status, 'applied');
  t.deepEqual(r.actions, ['FreeSWITCH is not connected: it reads these files when it starts']);
});

test('confgen: a configuration folder that cannot be written is a failed revision with the reason', async (t) => {
  const file = join(t.context.dir, 'a-file');
  writeFileSync(file, '');
  const r = await (await t.context.make({ confDir: join(file, 'freeswitch') })).publish('boot', 'system');
  t.is(r.status, 'failed');
  t.regex(r.error!, /cannot (read|write) .*a-file\/freeswitch/);
});

test('confgen: publish requests in quick succession become one publish', async (t) => {
  const p = await t.context.make();
  p.requestPublish('a');
  p.requestPublish('b');
  p.requestPublish('c');
  await new Promise((r) => setTimeout(r, 800));
  const list = p.revisions(1);
  t.is(list.total, 1);
  t.is(list.items[0]!.reason, 'a, b, c');
});

test('confgen: a gateway changed or removed is named for replacing; a new or unchanged one is not', (t) => {
  const gw = (name: string, expires: number) => `  <gateway name="${name}">\n    <param name="expire-seconds" value="${expires}"/>\n  </gateway>\n`;
  const before = `<include>\n${gw('trunk_1', 600)}${gw('trunk_2', 600)}${gw('trunk_3', 600)}</include>`;
  const after = `<include>\n${gw('trunk_1', 600)}${gw('trunk_2', 345)}${gw('trunk_4', 600)}</include>`;
  t.deepEqual(changedGateways(before, after), ['trunk_2', 'trunk_3']);
  t.deepEqual(changedGateways('', after), []);
});
