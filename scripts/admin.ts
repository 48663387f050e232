/**
 * Administration from the shell, over the same services as the console:
 *   node dist/scripts/admin.js create-admin <username> [display name]   (password read from standard input)
 *   node dist/scripts/admin.js setup-link                                 (a fresh first-run link)
 * Settings come from CALLBOX_CONFIG (default /etc/callbox/appliance.json), as for the appliance.
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { systemClock } from '../appliance/clock.js';
import { loadConfig } from '../appliance/config.js';
import { openDatabase } from '../appliance/db/database.js';
import { loadMigrations, migrate } from '../appliance/db/migrate.js';
import { ValidationError } from '../appliance/errors.js';
import { offlineSwitch } from '../appliance/freeswitch/switch-status.js';
import { silentLogger } from '../appliance/logger.js';
import { createServices } from '../appliance/services.js';

async function readPassword(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdin.isTTY ? process.stderr : undefined, terminal: process.stdin.isTTY });
  if (process.stdin.isTTY) process.stderr.write(prompt);
  // Hide what is typed on a terminal; piped input is read as is.
  const mute = rl as unknown as { _writeToOutput?: (s: string) => void };
  if (process.stdin.isTTY) mute._writeToOutput = () => undefined;
  const line = await new Promise<string>((resolve) => rl.once('line', resolve).once('close', () => resolve('')));
  rl.close();
  if (process.stdin.isTTY) process.stderr.write('\n');
  return line;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command !== 'create-admin' && command !== 'setup-link') {
    process.stderr.write('usage: admin create-admin <username> [display name] | admin setup-link\n');
    return 2;
  }
  const config = loadConfig();
  const dbFile = join(config.dataDir, 'callbox.sqlite');
  const db = openDatabase(dbFile);
  try {
    const log = silentLogger();
    await migrate(db, { migrations: await loadMigrations(), backupDir: join(config.dataDir, 'backups'), clock: systemClock, log });
    const s = createServices({ config, db, dbFile, clock: systemClock, log, startedAt: Date.now(), sw: offlineSwitch('the admin command does not connect to FreeSWITCH') });

    if (command === 'setup-link') {
      const token = s.setup.issueToken();
      if (!token) {
        process.stderr.write('setup is already complete: an active admin exists\n');
        return 1;
      }
      const base = config.http.publicUrl ?? `${config.http.tls ? 'https' : 'http'}://<this-server>:${config.http.port}`;
      process.stdout.write(`${base.replace(/\/$/, '')}/setup/${token}\n`);
      return 0;
    }

    const [username, ...name] = args;
    if (!username) {
      process.stderr.write('usage: admin create-admin <username> [display name]\n');
      return 2;
    }
    const password = await readPassword('Password for the new admin: ');
    const confirm = process.stdin.isTTY ? await readPassword('Repeat it: ') : password;
    const user = await s.users.create(
      { username, displayName: name.join(' ') || username, role: 'admin', password, passwordConfirm: confirm },
      { userId: null, name: 'cli', ip: null },
    );
    process.stdout.write(`admin ${user.username} created (id ${user.id})\n`);
    return 0;
  } catch (e) {
    if (e instanceof ValidationError) {
      for (const [field, message] of Object.entries(e.fields)) process.stderr.write(`${field}: ${message}\n`);
      return 1;
    }
    throw e;
  } finally {
    db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`admin: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
