import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { ConfigPublisher } from './confgen/publish.js';
import type { SwitchPort } from './freeswitch/switch.port.js';
import type { Logger } from './logger.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { SessionService } from './modules/auth/sessions.service.js';
import { SetupService } from './modules/auth/setup.service.js';
import { SystemService } from './modules/system/system.service.js';
import { ExtensionService } from './modules/extensions/extensions.service.js';
import { RegistrationTracker } from './modules/extensions/registrations.js';
import { SwitchService } from './modules/switch/switch.service.js';
import { UserService } from './modules/users/users.service.js';

/** Wire the services over one database. Shared by main.ts, the CLI scripts and the tests. */
export function createServices(d: {
  config: Config;
  db: Db;
  dbFile: string;
  clock: Clock;
  log: Logger;
  sw: SwitchPort;
  startedAt: number;
}) {
  const { config, db, clock, log } = d;
  const audit = new AuditService({ db, clock });
  const sessions = new SessionService({ db, clock, ...config.session });
  const users = new UserService({
    db,
    clock,
    audit,
    log: log.child({ module: 'users' }),
    events: { onSignOut: (userId, except) => sessions.endAllFor(userId, except) },
  });
  const auth = new AuthService({ db, clock, users, audit, log: log.child({ module: 'auth' }), limits: config.login });
  const setup = new SetupService({ db, clock, audit, secret: config.session.secret, users });
  const system = new SystemService({ db, clock, config, dbFile: d.dbFile, startedAt: d.startedAt, switchStatus: d.sw });
  const registrations = new RegistrationTracker(d.sw, log.child({ module: 'registrations' }), () => clock.now());
  // The publisher reads the extensions through their service; the service asks for publishes: break the cycle lazily.
  let extensions: ExtensionService | undefined;
  const publisher = new ConfigPublisher({ db, clock, log, config, sw: d.sw, confDir: config.freeswitch.confDir, data: () => ({ extensions: extensions!.forConfig() }) });
  extensions = new ExtensionService({ db, clock, audit, registrations, publish: (reason) => publisher.requestPublish(reason) });
  const freeswitch = new SwitchService({ sw: d.sw, publisher, audit });
  return { audit, sessions, users, auth, setup, system, publisher, freeswitch, extensions };
}
export type Services = ReturnType<typeof createServices>;
