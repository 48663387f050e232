import { boot, type Appliance } from './boot.js';
import { loadConfig } from './config.js';
import { BootError } from './errors.js';
import { createLogger, type Logger } from './logger.js';

/** The composition root's entry point: boot, tell pm2 we are ready, stop cleanly on a signal, die on a bug. */
async function main(): Promise<void> {
  // The database holds password hashes and the settings hold secrets: nothing we create is for other users.
  process.umask(0o027);
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`callbox: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const log = createLogger(config.log.level);
  let app: Appliance | undefined;
  installCrashHandlers(log, () => app?.stop());

  try {
    app = await boot(config, log);
  } catch (e) {
    if (e instanceof BootError) log.fatal({ cause: (e.cause as Error | undefined)?.message }, e.message);
    else log.fatal({ err: e }, 'boot failed');
    process.exit(1);
  }
  process.send?.('ready');

  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      const hardStop = setTimeout(() => {
        log.error('shutdown took too long; exiting');
        process.exit(1);
      }, 8000);
      hardStop.unref();
      app!.stop().then(
        () => {
          log.info('stopped');
          process.exit(0);
        },
        (err: unknown) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

/** A bug leaves the process in an unknown state: log it, try to close the database, exit, let pm2/systemd restart. */
function installCrashHandlers(log: Logger, cleanup: () => Promise<void> | undefined): void {
  const die = (kind: string) => (err: unknown) => {
    log.fatal({ err }, kind);
    const timer = setTimeout(() => process.exit(1), 2000);
    timer.unref();
    void Promise.resolve(cleanup()).finally(() => process.exit(1));
  };
  process.on('uncaughtException', die('uncaught exception'));
  process.on('unhandledRejection', die('unhandled rejection'));
}

await main();
