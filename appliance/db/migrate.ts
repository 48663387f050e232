import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Clock } from '../clock.js';
import { BootError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Db } from './database.js';

/**
 * Forward-only schema migrations: back up first, apply everything pending in one transaction, record a
 * checksum per migration, and refuse a database newer than the code. Recovery is restoring the backup.
 */
export interface Migration {
  version: number;
  name: string;
  checksum: string;
  /** Table rebuilds need foreign keys off, which SQLite only allows outside a transaction. */
  foreignKeysOff: boolean;
  apply(db: Db): void;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const FILE = /^(\d{4})_([a-z0-9_]+)\.(sql|js)$/;

/** Read `NNNN_slug.sql` (DDL) and `NNNN_slug.js` (data, compiled from .ts) migrations from a folder, in order. */
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = FILE.exec(file);
    if (!m) continue;
    const version = Number(m[1]);
    const name = `${m[1]}_${m[2]}`;
    if (out.some((x) => x.version === version)) throw new BootError(`two migrations share version ${version} in ${dir}`);
    const path = join(dir, file);
    if (m[3] === 'sql') {
      const sql = readFileSync(path, 'utf8');
      out.push({
        version,
        name,
        checksum: sha256(sql),
        foreignKeysOff: /^--\s*foreign_keys:\s*off\s*$/m.test(sql),
        apply: (db) => db.exec(sql),
      });
    } else {
      const mod = (await import(pathToFileURL(path).href)) as { default: (db: Db) => void; foreignKeys?: 'off' };
      // Compiled JavaScript changes with the compiler, so a code migration is identified by its name only.
      out.push({ version, name, checksum: `code:${name}`, foreignKeysOff: mod.foreignKeys === 'off', apply: mod.default });
    }
  }
  return out;
}

export interface MigrateOptions {
  migrations: Migration[];
  /** Where the pre-migration copy goes; null for an in-memory database. */
  backupDir: string | null;
  clock: Clock;
  log: Logger;
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: string[];
  backup: string | null;
}

export async function migrate(db: Db, o: MigrateOptions): Promise<MigrateResult> {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = db
    .prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version')
    .all() as { version: number; name: string; checksum: string }[];
  const current = applied.at(-1)?.version ?? 0;
  const latest = o.migrations.at(-1)?.version ?? 0;

  if (current > latest) {
    throw new BootError(
      `database schema is at version ${current} but this Callbox knows only up to ${latest}: ` +
        'it was written by a newer Callbox. Install that version again, or restore a backup taken before the upgrade.',
    );
  }
  for (const row of applied) {
    const code = o.migrations.find((m) => m.version === row.version);
    if (!code) throw new BootError(`database records migration ${row.name}, which this Callbox does not have`);
    if (code.checksum !== row.checksum) {
      throw new BootError(`migration ${row.name} was changed after it was applied (checksum differs); migrations are never edited`);
    }
  }

  const pending = o.migrations.filter((m) => m.version > current);
  if (pending.length === 0) return { from: current, to: current, applied: [], backup: null };

  const backup = current > 0 && o.backupDir ? await backupBefore(db, o.backupDir, current, o.clock) : null;
  if (backup) o.log.info({ backup }, 'database backed up before migrating');

  const fkOff = pending.some((m) => m.foreignKeysOff);
  if (fkOff) db.pragma('foreign_keys = OFF');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  let running = '';
  try {
    db.transaction(() => {
      for (const m of pending) {
        running = m.name;
        m.apply(db);
        record.run(m.version, m.name, m.checksum, new Date(o.clock.now()).toISOString());
      }
      running = '';
      if (fkOff) {
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length) throw new Error(`${broken.length} rows break foreign keys after the migrations`);
      }
    })();
  } catch (e) {
    throw new BootError(
      `migration ${running || '(foreign key check)'} failed: ${(e as Error).message}. ` +
        `Nothing was changed; the database stays at version ${current}.`,
      { cause: e },
    );
  } finally {
    if (fkOff) db.pragma('foreign_keys = ON');
  }
  for (const m of pending) o.log.info({ version: m.version, name: m.name }, 'migration applied');
  return { from: current, to: latest, applied: pending.map((m) => m.name), backup };
}

async function backupBefore(db: Db, dir: string, version: number, clock: Clock): Promise<string> {
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  const stamp = new Date(clock.now()).toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `pre-migrate-v${version}-${stamp}.sqlite`);
  await db.backup(file);
  return file;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
