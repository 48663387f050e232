import type { SwitchStatus } from '../../freeswitch/switch-status.js';
import type { AgentService } from '../agents/agents.service.js';
import type { BreakReasonService } from '../agents/break-reasons.service.js';
import type { RegistrationTracker } from '../extensions/registrations.js';
import { PageWatch } from './acd-pages.js';
import type { AcdRunner } from './acd-runner.js';
import type { AgentPageDeps } from './acd.routes.js';
import type { QueueService } from './queues.service.js';

/** Browser phones announce themselves in their User-Agent (JsSIP, SIP.js, and ours). */
const BROWSER_PHONE = /JsSIP|SIP\.js|Callbox Browser/i;

/** What the agent's page needs, over the services. */
export function agentPageDeps(d: { acdRunner: AcdRunner; agents: AgentService; queues: QueueService; breakReasons: BreakReasonService; registrations: RegistrationTracker; system: { switchStatus(): SwitchStatus } }): AgentPageDeps {
  const device = (agentId: number) => d.agents.find(agentId)?.device ?? null;
  return {
    runner: d.acdRunner,
    pages: new PageWatch({
      runner: d.acdRunner,
      usesBrowserPhone: (agentId) => {
        const dev = device(agentId);
        const phones = dev?.kind === 'extension' ? d.registrations.devicesOf(dev.extension) : [];
        return phones.length > 0 && phones.every((p) => BROWSER_PHONE.test(p.userAgent));
      },
    }),
    agentOf: (userId) => {
      const a = d.agents.byUser(userId);
      return a && { id: a.id, number: a.number, device: a.device.kind === 'extension' ? `extension ${a.device.extension}` : a.device.number };
    },
    breakReasons: () => d.breakReasons.enabled(),
    dispositions: (agentId) => {
      const last = d.acdRunner.lastCallOf(agentId);
      return last?.queueId ? (d.queues.find(last.queueId)?.dispositions ?? []) : [];
    },
    switchStatus: () => d.system.switchStatus(),
  };
}
