import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '../clock.js';
import { BootError } from '../errors.js';
import { silentLogger } from '../logger.js';
import { checkWritable, openDatabase, type Db } from './database.js';
import { loadMigrations, migrate, type Migration } from './migrate.js';

const log = silentLogger();
const clock = createFakeClock();

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'callbox-migrate-'));
}

/** A folder of SQL migrations for one test. */
function migrationsDir(files: Record<string, string>): string {
  const dir = join(tempDir(), 'migrations');
  mkdirSync(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

const tables = (db: Db) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
const version = (db: Db) => (db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;

test('migrate: the shipped migrations apply to an empty database, and a second run changes nothing', async (t) => {
  const db = openDatabase(':memory:');
  const migrations = await loadMigrations();
  const first = await migrate(db, { migrations, backupDir: null, clock, log });
  t.is(first.from, 0);
  t.true(first.applied.length >= 1);
  t.true(tables(db).includes('users'));
  const again = await migrate(db, { migrations, backupDir: null, clock, log });
  t.deepEqual(again.applied, []);
});

test('migrate: the database file is opened with WAL and foreign keys on', (t) => {
  const db = openDatabase(join(tempDir(), 'x.sqlite'));
  t.is(db.pragma('journal_mode', { simple: true }), 'wal');
  t.is(db.pragma('foreign_keys', { simple: true }), 1);
  t.is(db.pragma('busy_timeout', { simple: true }), 5000);
  t.is(db.pragma('synchronous', { simple: true }), 1);
  db.close();
});

test('migrate: upgrading a database backs it up first, with the old data in the copy', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'callbox.sqlite');
  const backups = join(dir, 'backups');
  const v1 = migrationsDir({ '0001_a.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);' });
  const db = openDatabase(file);
  await migrate(db, { migrations: await loadMigrations(v1), backupDir: backups, clock, log });
  t.false(existsSync(backups), 'a brand-new database has nothing to back up');
  db.prepare("INSERT INTO a (v) VALUES ('precious')").run();

  writeFileSync(join(v1, '0002_b.sql'), 'CREATE TABLE b (id INTEGER PRIMARY KEY);');
  const r = await migrate(db, { migrations: await loadMigrations(v1), backupDir: backups, clock, log });
  t.deepEqual(r.applied, ['0002_b']);
  t.truthy(r.backup);
  t.deepEqual(readdirSync(backups).length, 1);
  const copy = openDatabase(r.backup!);
  t.is((copy.prepare('SELECT v FROM a').get() as { v: string }).v, 'precious');
  t.false(tables(copy).includes('b'), 'the backup is the state before migrating');
  copy.close();
  db.close();
});

test('migrate: a failing migration rolls back every pending migration in the batch', async (t) => {
  const db = openDatabase(':memory:');
  const dir = migrationsDir({ '0001_a.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY);' });
  await migrate(db, { migrations: await loadMigrations(dir), backupDir: null, clock, log });
  writeFileSync(join(dir, '0002_b.sql'), 'CREATE TABLE b (id INTEGER PRIMARY KEY); INSERT INTO a (id) VALUES (1);');
  writeFileSync(join(dir, '0003_broken.sql'), 'CREATE TABLE c (id INTEGER PRIMARY KEY); INSERT INTO nowhere VALUES (1);');
  const e = await t.throwsAsync(migrate(db, { migrations: await loadMigrations(dir), backupDir: null, clock, log }), { instanceOf: BootError });
  t.regex(e!.message, /migration 0003_broken failed: no such table: nowhere/);
  t.regex(e!.message, /stays at version 1/);
  t.deepEqual(tables(db), ['a', 'schema_migrations']);
  t.is((db.prepare('SELECT count(*) AS n FROM a').get() as { n: number }).n, 0);
  t.is(version(db), 1);
});

test('migrate: a database newer than the code is refused and left alone', async (t) => {
  const db = openDatabase(':memory:');
  const migrations = await loadMigrations();
  await migrate(db, { migrations, backupDir: null, clock, log });
  db.prepare("INSERT INTO schema_migrations VALUES (999, '0999_future', 'x', '2030-01-01T00:00:00Z')").run();
  const e = await t.throwsAsync(migrate(db, { migrations, backupDir: null, clock, log }), { instanceOf: BootError });
  t.regex(e!.message, /version 999 but this Callbox knows only up to \d+/);
  t.is(version(db), 999);
});

test('migrate: an applied migration whose file changed stops boot', async (t) => {
  const db = openDatabase(':memory:');
  const dir = migrationsDir({ '0001_a.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY);' });
  await migrate(db, { migrations: await loadMigrations(dir), backupDir: null, clock, log });
  writeFileSync(join(dir, '0001_a.sql'), 'CREATE TABLE a (id INTEGER PRIMARY KEY, extra TEXT);');
  const e = await t.throwsAsync(migrate(db, { migrations: await loadMigrations(dir), backupDir: null, clock, log }), { instanceOf: BootError });
  t.regex(e!.message, /0001_a was changed after it was applied/);
});

test('migrate: a table rebuild runs with foreign keys off and is checked before commit', async (t) => {
  const db = openDatabase(':memory:');
  const dir = migrationsDir({
    '0001_a.sql': 'CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p(id));',
  });
  await migrate(db, { migrations: await loadMigrations(dir), backupDir: null, clock, log });
  db.exec('INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1);');
  // Rebuilding the parent would fail with foreign keys on (DROP TABLE p deletes a referenced row).
  writeFileSync(
    join(dir, '0002_rebuild.sql'),
    '-- foreign_keys: off\nCREATE TABLE p2 (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO p2 (id) SELECT id FROM p; DROP TABLE p; ALTER TABLE p2 RENAME TO p;',
  );
  await migrate(db, { migrations: await loadMigrations(dir), backupDir: null, clock, log });
  t.is(db.pragma('foreign_keys', { simple: true }), 1, 'foreign keys are back on');
  t.deepEqual(db.pragma('foreign_key_check'), []);

  writeFileSync(join(dir, '0003_orphan.sql'), '-- foreign_keys: off\nDELETE FROM p;');
  const e = await t.throwsAsync(migrate(db, { migrations: await loadMigrations(dir), backupDir: null, clock, log }), { instanceOf: BootError });
  t.regex(e!.message, /break foreign keys/);
  t.is((db.prepare('SELECT count(*) AS n FROM p').get() as { n: number }).n, 1, 'the orphaning delete was rolled back');
});

test('migrate: code migrations run in the same transaction as SQL ones', async (t) => {
  const db = openDatabase(':memory:');
  const ran: string[] = [];
  const migrations: Migration[] = [
    { version: 1, name: '0001_a', checksum: 'x', foreignKeysOff: false, apply: (d) => void d.exec('CREATE TABLE a (v TEXT)') },
    { version: 2, name: '0002_fill', checksum: 'code:0002_fill', foreignKeysOff: false, apply: (d) => { ran.push('fill'); d.exec("INSERT INTO a VALUES ('x')"); throw new Error('data migration failed'); } },
  ];
  await t.throwsAsync(migrate(db, { migrations, backupDir: null, clock, log }), { message: /0002_fill failed: data migration failed/ });
  t.deepEqual(ran, ['fill']);
  t.deepEqual(tables(db), ['schema_migrations']);
});

test('migrate: two migrations with one version number are refused', async (t) => {
  const dir = migrationsDir({ '0001_a.sql': 'SELECT 1;', '0001_b.sql': 'SELECT 1;' });
  await t.throwsAsync(loadMigrations(dir), { instanceOf: BootError, message: /two migrations share version 1/ });
});

test('database: a file that is not SQLite is refused with advice', (t) => {
  const file = join(tempDir(), 'callbox.sqlite');
  writeFileSync(file, 'this is not a database, just some text that is long enough to fill a header page....'.repeat(20));
  const e = t.throws(() => openDatabase(file), { instanceOf: BootError });
  t.regex(e!.message, /is not a valid SQLite database/);
  t.regex(e!.message, /backups/);
});

test('database: a data directory that cannot be a directory is refused by name', (t) => {
  const file = join(tempDir(), 'plain-file');
  writeFileSync(file, '');
  const e = t.throws(() => checkWritable(join(file, 'data')), { instanceOf: BootError });
  t.regex(e!.message, /data directory .*plain-file\/data is not writable/);
});
