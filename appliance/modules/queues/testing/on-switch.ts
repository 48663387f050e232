import { systemClock } from '../../../clock.js';
import type { Db } from '../../../db/database.js';
import type { SwitchPort } from '../../../freeswitch/switch.port.js';
import { createLogger } from '../../../logger.js';
import { Ledger } from '../../ledger/ledger.js';
import type { Phones } from '../acd-presence.js';
import { AcdRunner } from '../acd-runner.js';
import type { SavedAgentState } from '../acd.source.js';
import { createWaitingStore } from '../acd.store.js';
import type { QueueConfig } from '../engine/types.js';
import { staticSource, type TestAgent } from './static-source.js';

/**
 * For the real-switch tier: the ACD runner over a database, driving a real FreeSWITCH. One call makes one
 * "controller process": a restart is a new runner on a new event-socket connection over the same database.
 */
export function acdOnSwitch(o: { sw: SwitchPort; db: Db; phones: Phones & { seeded(): Promise<void> }; queues: Partial<QueueConfig>[]; agents: TestAgent[]; saved: Map<number, SavedAgentState>; ledger?: Ledger }) {
  const { source } = staticSource({ queues: o.queues, agents: o.agents, saved: o.saved });
  const runner = new AcdRunner({
    sw: o.sw,
    source,
    store: createWaitingStore(o.db),
    // A test that follows the ledger (e.g. the recorder) passes its own: listeners belong to one Ledger.
    ledger: o.ledger ?? new Ledger(o.db),
    phones: o.phones,
    speaker: { fileOf: () => null, speak: () => Promise.reject(new Error('no speech in this test')) },
    clock: systemClock,
    log: createLogger('warn'),
    reconcileEveryMs: 2000,
  });
  runner.start();
  return runner;
}
