import type { SwitchStatus } from '../../freeswitch/switch-status.js';
import type { AgentService } from '../agents/agents.service.js';
import type { BreakReasonService } from '../agents/break-reasons.service.js';
import type { AgentCalls } from '../calls/agent-calls.js';
import type { ExtensionService } from '../extensions/extensions.service.js';
import type { RegistrationTracker } from '../extensions/registrations.js';
import type { FlowService } from '../flows/flows.service.js';
import type { Ledger } from '../ledger/ledger.js';
import { PageWatch } from '../queues/acd-pages.js';
import type { AcdRunner } from '../queues/acd-runner.js';
import type { QueueService } from '../queues/queues.service.js';
import type { Recorder } from '../recordings/index.js';
import type { WorkbenchRouteDeps } from './workbench.routes.js';
import { WorkbenchTabs } from './workbench.tabs.js';

/** Browser phones announce themselves in their User-Agent (JsSIP, SIP.js, and ours). */
const BROWSER_PHONE = /JsSIP|SIP\.js|Callbox Browser/i;

/** What the agent's workbench needs, over the services. */
export function workbenchDeps(d: {
  acdRunner: AcdRunner;
  agentCalls: AgentCalls;
  agents: AgentService;
  queues: QueueService;
  flows: FlowService;
  extensions: ExtensionService;
  ledger: Ledger;
  breakReasons: BreakReasonService;
  registrations: RegistrationTracker;
  recorder: Recorder;
  system: { switchStatus(): SwitchStatus };
  pops: WorkbenchRouteDeps['pops'];
}): WorkbenchRouteDeps {
  const device = (agentId: number) => d.agents.find(agentId)?.device ?? null;
  return {
    runner: d.acdRunner,
    calls: d.agentCalls,
    ledger: d.ledger,
    tabs: new WorkbenchTabs(),
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
      if (!a) return null;
      const ext = a.device.kind === 'extension' ? d.extensions.get(a.device.extensionId) : null;
      return { id: a.id, number: a.number, name: a.name, username: a.username, device: a.device.kind === 'extension' ? `extension ${a.device.extension}` : a.device.number, browserPhone: ext?.browserPhone ?? false };
    },
    queueName: (id) => d.queues.nameOf(id),
    dispositions: (queueId) => d.queues.find(queueId)?.dispositions ?? [],
    flowRun: (callId) => {
      const run = d.flows.runs.ofCall(callId).at(-1);
      return run ? { ...run, flowName: d.flows.nameOf(run.flowId) ?? `flow ${run.flowId}` } : null;
    },
    recording: (agentId) => d.recorder.current(agentId),
    recordings: { pause: (agentId, paused, by) => d.recorder.pause(agentId, paused, by), onChange: (fn) => d.recorder.onChange(fn) },
    breakReasons: () => d.breakReasons.enabled(),
    switchStatus: () => d.system.switchStatus(),
    targets: (agentId) => ({
      agents: d.agents
        .options()
        .filter((a) => a.id !== agentId && device(a.id)?.kind === 'extension')
        .map((a) => ({ id: a.id, name: `${a.name} (${a.number})` })),
      queues: d.queues.options(),
      flows: d.flows.options().filter((f) => f.published !== null),
      extensions: d.extensions.options().map((e) => ({ number: e.number, name: e.displayName })),
    }),
    pops: d.pops,
  };
}
