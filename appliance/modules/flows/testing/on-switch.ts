import { Ledger } from '../../ledger/ledger.js';
import { join } from 'node:path';
import { systemClock } from '../../../clock.js';
import { openDatabase } from '../../../db/database.js';
import { loadMigrations, migrate } from '../../../db/migrate.js';
import type { SwitchPort } from '../../../freeswitch/switch.port.js';
import { silentLogger } from '../../../logger.js';
import { AuditService } from '../../audit/audit.service.js';
import { PromptService } from '../../prompts/prompts.service.js';
import type { Actor } from '../../users/users.types.js';
import { FlowRunner } from '../flow-runner.js';
import { FlowService } from '../flows.service.js';
import { httpFetch } from '../http-fetch.js';

const admin: Actor = { userId: null, name: 'real-switch test', ip: '127.0.0.1' };

/**
 * For the real-switch tier: the flows module over its own SQLite database, driving a real FreeSWITCH. The flow is
 * built the way the console builds it (service calls with form fields) and spoken by the real prompt library
 * (espeak-ng). Extension ids map to the tier's extension numbers.
 */
export async function flowsOnSwitch(
  sw: SwitchPort,
  dataDir: string,
  extensions: Record<number, string>,
  queues: { names: Record<number, string>; enter: (c: { uuid: string; queueId: number; priority: number; caller: string; callerName: string }) => Promise<void> } = { names: {}, enter: () => Promise.reject(new Error('no queues in this test')) },
  /** Where the runs' start and end go (the test's call records read them); by default, the flows' own database. */
  ledger?: Ledger,
) {
  const db = openDatabase(':memory:');
  await migrate(db, { migrations: await loadMigrations(), backupDir: null, clock: systemClock, log: silentLogger() });
  const audit = new AuditService({ db, clock: systemClock });
  const prompts = new PromptService({ db, clock: systemClock, audit, log: silentLogger(), soundsDir: join(dataDir, 'sounds'), publish: () => undefined, usedBy: () => [], holdMusic: () => '' });
  const flows: FlowService = new FlowService({
    db,
    clock: systemClock,
    audit,
    publish: () => undefined,
    usedBy: () => [],
    extensionExists: (id) => id in extensions,
    lookups: {
      promptReady: (id) => (prompts.get(id) ? prompts.get(id)!.status === 'ready' : null),
      promptName: (id) => prompts.get(id)?.name ?? null,
      extensionNumber: (id) => extensions[id] ?? null,
      voicemailBox: () => null,
      flowName: (id) => flows.nameOf(id),
      queueName: (id) => queues.names[id] ?? null,
    },
  });
  const runner = new FlowRunner({ sw, flows, prompts, clock: systemClock, log: silentLogger(), fetch: httpFetch, queues, ledger: ledger ?? new Ledger(db) });
  runner.start();
  return {
    flows,
    admin,
    stop() {
      runner.stop();
      db.close();
    },
  };
}
