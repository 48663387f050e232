import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { BootError } from '../errors.js';

export type Db = Database.Database;

/**
 * Open the appliance's database. One connection per process; `new Database` appears nowhere else.
 * A file that is not SQLite, or a folder we cannot write, stops boot with a message saying so.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') checkWritable(dirname(file));
  let db: Db;
  try {
    db = new Database(file);
    // WAL: readers (pages, reports) never block the writer (the event ledger), and commits are cheap.
    db.pragma('journal_mode = WAL');
    // SQLite ships with foreign keys off; our ON DELETE rules mean nothing without them.
    db.pragma('foreign_keys = ON');
    // Wait instead of failing when a backup or the CLI holds the lock for a moment.
    db.pragma('busy_timeout = 5000');
    // With WAL, NORMAL loses at most the last commits on power loss, never consistency; FULL costs an fsync per commit.
    db.pragma('synchronous = NORMAL');
    // Touches every page header, so a damaged file is refused now rather than failing a request later.
    db.pragma('schema_version');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new BootError(
        `database ${file} is not a valid SQLite database (${code}); restore it from ${dirname(file)}/backups or move it aside`,
        { cause: e },
      );
    }
    throw new BootError(`cannot open database ${file}: ${(e as Error).message}`, { cause: e });
  }
  return db;
}

/** Make the folder if needed and prove we can write there, so a bad data directory fails at boot, by name. */
export function checkWritable(dir: string): void {
  try {
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o750 });
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK | constants.R_OK);
  } catch (e) {
    const uid = process.getuid?.() ?? '?';
    throw new BootError(`data directory ${dir} is not writable by uid ${uid}: ${(e as Error).message}`, { cause: e });
  }
}
