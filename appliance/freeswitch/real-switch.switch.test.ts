import test from 'ava';
import { XMLParser } from 'fast-xml-parser';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../clock.js';
import { parseConfig } from '../config.js';
import { buildModel } from '../confgen/model.js';
import { ConfigPublisher } from '../confgen/publish.js';
import { openDatabase } from '../db/database.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { FreeswitchCommandError } from '../errors.js';
import { createLogger, silentLogger } from '../logger.js';
import { CallControl } from './call-control.js';
import { commands } from './commands.js';
import { EslSwitch } from './esl-switch.js';
import type { SwitchEventName, SwitchEvents } from './switch.types.js';
import { FakeSwitch } from './testing/fake-switch.js';
import { findFreeswitch, findSipp, freePort, sippInviteRefused, startFreeswitch, type RunningSwitch } from './testing/real-switch.js';

const bin = findFreeswitch();

if (!bin) {
  test('real switch: SKIPPED', (t) => {
    const why = 'no FreeSWITCH binary found (set FREESWITCH_BIN or put freeswitch on the PATH); the real-switch tier did not run';
    console.log(`real-switch tier SKIPPED: ${why}`);
    t.log(why);
    t.pass();
  });
} else {
  test.serial('real switch: the generated configuration runs, and the controller answers a loopback call and plays a tone', async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'callbox-realswitch-'));
    const [eslPort, internalSipPort, externalSipPort, wsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const rtpStartPort = 30000 + Math.floor(Math.random() * 2000) * 10;
    const config = parseConfig({
      dataDir: join(work, 'data'),
      session: { secret: 's'.repeat(32) },
      esl: { host: '127.0.0.1', port: eslPort, password: 'realswitch-test-pw' },
      freeswitch: { confDir: join(work, 'conf'), sipIp: '127.0.0.1', internalSipPort, externalSipPort, wsPort, rtpStartPort, rtpEndPort: rtpStartPort + 100 },
    });

    // Write the configuration the appliance would publish.
    const db = openDatabase(':memory:');
    await migrate(db, { migrations: await loadMigrations(), backupDir: null, clock: systemClock, log: silentLogger() });
    const offline = new FakeSwitch();
    offline.setConnected(false);
    const published = await new ConfigPublisher({ db, clock: systemClock, log: silentLogger(), config, sw: offline, confDir: config.freeswitch.confDir }).publish('real-switch test', 'test');
    t.is(published.status, 'applied', published.error ?? '');

    let fs: RunningSwitch | undefined;
    const sw = new EslSwitch({ host: '127.0.0.1', port: eslPort, password: config.esl.password, log: createLogger('warn'), clock: systemClock, backoff: { firstMs: 100, maxMs: 500 } });
    t.teardown(async () => {
      await sw.stop();
      await fs?.stop();
      db.close();
      if (t.passed) rmSync(work, { recursive: true, force: true });
      else t.log(`FreeSWITCH files kept in ${work}`);
    });
    fs = await startFreeswitch(bin, config.freeswitch.confDir, join(work, 'fs'), eslPort);
    sw.start();
    await until(() => sw.isConnected, 15_000);
    t.regex(sw.switchVersion, /1\.10\./);

    // Every configured module loaded; both SIP profiles run.
    for (const m of buildModel(config).modules) t.is((await sw.api(commands.moduleExists(m))).trim(), 'true', m);
    const status = new XMLParser().parse(await sw.api(commands.sofiaStatus())) as { profiles: { profile: { name: string; state: string }[] | { name: string; state: string } } };
    const profiles = [status.profiles.profile].flat();
    for (const name of ['internal', 'external']) {
      t.regex(profiles.find((p) => p.name === name)?.state ?? 'missing', /^RUNNING/, `profile ${name}`);
    }

    // FreeSWITCH found nothing wrong with the configuration.
    const errors = fs.log().split('\n').filter((l) => /\[(ERR|CRIT|ALERT)\]/.test(l));
    t.deepEqual(errors, [], 'no errors in the FreeSWITCH log at start');

    // A call enters the controller through the generated dialplan; the controller answers and plays a tone.
    const seen: string[] = [];
    const names: SwitchEventName[] = ['channel.created', 'channel.parked', 'channel.answered', 'playback.started', 'playback.stopped', 'channel.hungup'];
    for (const n of names) sw.on(n, (e: SwitchEvents[typeof n]) => seen.push(`${n}:${'destination' in e ? e.destination : ''}`));
    const parked = next(sw, 'channel.parked', (e) => e.destination === 'enter');
    const cc = new CallControl(sw);
    // originate resolves once the entering leg is answered, which is the controller's job: do both at once.
    const caller = cc.originate({ kind: 'loopback', extension: 'enter', context: 'callbox' }, { vars: { callbox_test: 'loopback' } });
    const entered = await parked;
    t.is(entered.vars.test, 'loopback', 'our channel variables travel with the call');
    await cc.answer(entered.uuid);
    t.not(entered.uuid, await caller);
    const played = await cc.play(entered.uuid, 'tone_stream://%(1000,0,440)');
    t.is(played, 'FILE PLAYED');
    const hungup = next(sw, 'channel.hungup', (e) => e.uuid === entered.uuid);
    await cc.hangup(entered.uuid);
    t.is((await hungup).cause, 'NORMAL_CLEARING');
    for (const expected of ['channel.parked:enter', 'channel.answered:enter', 'playback.started:', 'playback.stopped:', 'channel.hungup:enter']) {
      t.true(seen.includes(expected), `saw ${expected} in ${seen.join(' ')}`);
    }

    // Without the controller's lease, a call never parks: it goes to the fallback at once.
    await sw.api(commands.globalSetvar('callbox_lease', '0'));
    const refused = await t.throwsAsync(cc.originate({ kind: 'loopback', extension: 'enter', context: 'callbox' }), { instanceOf: FreeswitchCommandError });
    t.regex(refused!.message, /NORMAL_TEMPORARY_FAILURE/);

    // Real SIP: a caller that is no trunk is refused by the carrier profile's ACL; a phone that does not
    // authenticate is challenged by the phone profile.
    const sipp = findSipp();
    if (!sipp) {
      t.log('sipp not installed (Debian package sip-tester): the SIP checks did not run');
    } else {
      const carrier = await sippInviteRefused(sipp, `127.0.0.1:${externalSipPort}`, '4930123456', 403, work);
      t.is(carrier.code, 0, `INVITE to the carrier profile from an unknown address is refused with 403:\n${carrier.output.slice(-1500)}`);
      const phone = await sippInviteRefused(sipp, `127.0.0.1:${internalSipPort}`, '1001', 407, work);
      t.is(phone.code, 0, `INVITE to the phone profile without credentials is challenged with 407:\n${phone.output.slice(-1500)}`);
    }
  });
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function next<K extends SwitchEventName>(sw: EslSwitch, name: K, match: (e: SwitchEvents[K]) => boolean, ms = 15_000): Promise<SwitchEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within ${ms} ms`)), ms);
    const off = sw.on(name, (e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}
