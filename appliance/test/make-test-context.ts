import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '../clock.js';
import { parseConfig, type Config } from '../config.js';
import { openDatabase } from '../db/database.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { FakeSwitch } from '../freeswitch/testing/fake-switch.js';
import { silentLogger } from '../logger.js';
import { createServices } from '../services.js';
import type { Statfs } from '../modules/recordings/index.js';
import type { Actor } from '../modules/users/users.types.js';

export const TEST_SECRET = 'test-session-secret-0123456789abcdef';
export const testActor: Actor = { userId: null, name: 'test', ip: '127.0.0.1' };

/** Raw settings for tests; deep-merged with overrides by the caller. */
export function testConfig(dataDir: string, overrides: Record<string, unknown> = {}): Config {
  return parseConfig({
    dataDir,
    http: { host: '127.0.0.1', port: 0 },
    freeswitch: { confDir: join(dataDir, 'freeswitch') },
    session: { secret: TEST_SECRET },
    // Port 1: nothing listens there, so a booted test appliance never reaches a FreeSWITCH on this machine.
    esl: { password: 'esl-test-password', port: 1 },
    log: { level: 'silent' },
    ...overrides,
  });
}

/** An in-memory database at the latest schema, the services over it, a fake clock and a temp data dir. */
export async function makeTestContext(overrides: Record<string, unknown> = {}, opts: { recording?: { random?: () => number; statfs?: Statfs; stopGraceMs?: number } } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-test-'));
  const clock = createFakeClock();
  const log = silentLogger();
  const db = openDatabase(':memory:');
  await migrate(db, { migrations: await loadMigrations(), backupDir: null, clock, log });
  const config = testConfig(dataDir, overrides);
  // Down unless a test says otherwise: most pages must work without FreeSWITCH.
  const sw = new FakeSwitch();
  sw.setConnected(false);
  const services = createServices({
    config,
    db,
    dbFile: ':memory:',
    clock,
    log,
    startedAt: clock.now(),
    sw,
    ...(opts.recording ? { recording: opts.recording } : {}),
  });
  return {
    ...services,
    db,
    clock,
    log,
    config,
    dataDir,
    sw,
    /** A user straight into the database, through the real service. */
    async addUser(username: string, role: 'admin' | 'supervisor' | 'agent' = 'agent', password = 'correct horse battery') {
      return services.users.create({ username, displayName: username, role, password, passwordConfirm: password }, testActor);
    },
    close() {
      services.recorder.close();
      services.publisher.stop();
      services.records.stop();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
export type TestContext = Awaited<ReturnType<typeof makeTestContext>>;
