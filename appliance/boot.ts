import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { checkWritable, openDatabase, type Db } from './db/database.js';
import { loadMigrations, migrate } from './db/migrate.js';
import { BootError } from './errors.js';
import { EslSwitch } from './freeswitch/esl-switch.js';
import { createApp } from './http/app.js';
import { attachSipProxy, freeswitchWsUrl, sessionAuthoriser } from './http/sip-proxy.js';
import { JOBS } from './jobs/jobs.js';
import { startJobs } from './jobs/scheduler.js';
import type { Logger } from './logger.js';
import { appVersion } from './paths.js';
import { voiceDirectory } from './confgen/model.js';
import { ensureSystemPrompts } from './modules/prompts/system-prompts.js';
import { createServices } from './services.js';

export interface Appliance {
  server: Server;
  url: string;
  db: Db;
  /** Stop in order: HTTP, jobs, database. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Boot in named stages, each logged with its duration; every stage that owns a resource registers its
 * cleanup. FreeSWITCH being absent is not a boot failure: the console says so.
 */
export async function boot(config: Config, log: Logger, clock: Clock = systemClock): Promise<Appliance> {
  const startedAt = clock.now();
  const cleanups: (() => void | Promise<void>)[] = [];
  const stage = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const t = performance.now();
    const out = await fn();
    log.info({ stage: name, ms: Math.round(performance.now() - t) }, 'boot stage done');
    return out;
  };
  const stop = async () => {
    while (cleanups.length) await cleanups.pop()!();
  };

  try {
    const dbFile = join(config.dataDir, 'callbox.sqlite');
    const db = await stage('database', async () => {
      checkWritable(config.dataDir);
      const db = openDatabase(dbFile);
      cleanups.push(() => void db.close());
      await migrate(db, { migrations: await loadMigrations(), backupDir: join(config.dataDir, 'backups'), clock, log: log.child({ module: 'migrate' }) });
      return db;
    });

    const sw = await stage('freeswitch', () => {
      const sw = new EslSwitch({ host: config.esl.host, port: config.esl.port, password: config.esl.password, log, clock });
      // Not awaited: the console must come up whether or not FreeSWITCH is there; the status says which.
      sw.start();
      cleanups.push(() => sw.stop());
      return sw;
    });
    const services = await stage('services', () => createServices({ config, db, dbFile, clock, log, startedAt, sw }));
    cleanups.push(() => services.publisher.stop());
    // First, so that each channel's call is known before the flows and the ACD write about it.
    services.legTracker.start();
    cleanups.push(() => services.legTracker.stop());
    cleanups.push(() => services.records.stop());
    services.flowRunner.start();
    cleanups.push(() => services.flowRunner.stop());
    // Agents' states and waiting callers come back from the database; callers are found again once the switch is there.
    services.acdRunner.start();
    cleanups.push(() => services.acdRunner.stop());
    services.agentCalls.start();
    cleanups.push(() => services.agentCalls.stop());
    await stage('configuration', async () => {
      // Never throws: a failed publish is a revision saying why, shown in the console.
      const r = await services.publisher.publish('controller started', 'system');
      if (r.status === 'failed') log.warn({ revision: r.revision, error: r.error }, 'FreeSWITCH configuration not published');
    });

    // Text-to-speech prompts that were being spoken when the controller stopped are spoken again, in the background.
    services.prompts.resume();
    // Spoken system prompts render in the background: nothing waits for them, and calls work meanwhile.
    ensureSystemPrompts(voiceDirectory(config), log.child({ module: 'prompts' })).catch((e: unknown) => log.error({ err: e }, 'system prompts not rendered'));

    const server = await stage('http', () => listen(config, createApp({ config, log, clock, ...services })));
    cleanups.push(() => closeServer(server));
    const address = server.address() as AddressInfo;
    const url = `${config.http.tls ? 'https' : 'http'}://${displayHost(config.http.host)}:${address.port}`;
    services.system.listeningOn(url);
    // Browser phones' SIP over WebSocket, on the console's own origin (DESIGN §1).
    const sipProxy = attachSipProxy(server, { authorise: sessionAuthoriser(services.browserPhone), upstreamUrl: freeswitchWsUrl(config.freeswitch.wsPort), log });
    cleanups.push(() => sipProxy.close());
    services.system.countBrowserPhones(() => sipProxy.openSockets);

    const jobs = await stage('jobs', () => startJobs(JOBS, services, log.child({ module: 'jobs' })));
    cleanups.push(() => jobs.stopAll());

    const token = services.setup.issueToken();
    if (token) {
      const setupUrl = `${(config.http.publicUrl ?? url).replace(/\/$/, '')}/setup/${token}`;
      log.warn({ setupUrl }, 'no admin account yet: open the setup link to create the first admin (valid 24 hours)');
    }
    log.info({ version: appVersion, url, bootMs: Math.round(clock.now() - startedAt) }, 'callbox ready');
    return { server, url, db, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

function listen(config: Config, app: ReturnType<typeof createApp>): Promise<Server> {
  const { tls, host, port } = config.http;
  let server: Server;
  try {
    server = tls ? createHttpsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, app) : createHttpServer(app);
  } catch (e) {
    throw new BootError(`cannot load the TLS certificate or key (http.tls): ${(e as Error).message}`, { cause: e });
  }
  // Slow clients must not hold sockets forever; an idle keep-alive socket is cheap but not free.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new BootError(`cannot listen on ${host}:${port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}`, { cause: e })),
    );
    server.listen(port, host, () => resolve(server));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Requests still running after 5 s are cut: pm2 and systemd give us 10 s before they kill.
    setTimeout(() => server.closeAllConnections(), 5000).unref();
  });
}

/** The address to print: a wildcard bind is reached at one of this machine's addresses. */
function displayHost(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return host.includes(':') ? `[${host}]` : host;
  for (const list of Object.values(networkInterfaces())) {
    const v4 = list?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4) return v4.address;
  }
  return 'localhost';
}
