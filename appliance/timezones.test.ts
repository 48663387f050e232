import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isIanaZone, scheduleZones, switchZoneRule, toSwitchRule, zoneProblem } from './timezones.js';

test('timezones: tzdata rules are rewritten the way FreeSWITCH parses them, or refused when it cannot', (t) => {
  t.is(toSwitchRule('CET-1CEST,M3.5.0,M10.5.0/3'), 'CET-1CEST,M3.5.0,M10.5.0/3');
  t.is(toSwitchRule('<-03>3'), 'STD3', 'quoted abbreviations become letters');
  t.is(toSwitchRule('<+1030>-10:30<+11>-11,M10.1.0,M4.1.0'), 'STD-10:30DST-11,M10.1.0,M4.1.0');
  t.is(toSwitchRule('IST-2IDT,M3.4.4/26,M10.5.0'), 'IST-2IDT,M3.4.4/26,M10.5.0');
  t.is(toSwitchRule('<-02>2<-01>,M3.5.0/-1,M10.5.0/0'), null, 'negative transition times (Greenland)');
  t.is(toSwitchRule('EST5EDT'), null, 'daylight saving without its rule');
  t.is(toSwitchRule(''), null);
});

test('timezones: the rule is the last line of the zone\'s TZif file; names are checked before any file is read', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-zoneinfo-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'UTC'), Buffer.concat([Buffer.from('TZif2'), Buffer.alloc(40), Buffer.from('\nUTC0\n')]));
  t.is(switchZoneRule('UTC', dir), 'UTC0');
  t.is(switchZoneRule('Europe/Berlin', dir), null, 'not in this database');
  writeFileSync(join(dir, 'EST'), Buffer.concat([Buffer.from('TZif\0'), Buffer.alloc(40)]));
  t.is(switchZoneRule('EST', dir), null, 'a version 1 file has no rule line');
  t.false(isIanaZone('../etc/passwd'));
  t.false(isIanaZone('Nowhere/Special'));
  t.true(isIanaZone('Asia/Kolkata'));
  t.regex(zoneProblem('UTC', join(dir, 'missing'))!, /no time-zone database/);
  t.is(zoneProblem('UTC', dir), null);
});

test('timezones: the list a schedule offers holds only zones FreeSWITCH can be given', (t) => {
  const zones = scheduleZones();
  t.true(zones.includes('Europe/Berlin'));
  t.true(zones.includes('UTC'));
  t.true(zones.length > 300);
  t.true(zones.every((z) => switchZoneRule(z) !== null));
});
