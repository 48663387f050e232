import type { AgentService } from '../agents/agents.service.js';
import type { ExtensionService } from '../extensions/extensions.service.js';
import type { AcdSource } from './acd.source.js';
import type { QueueService } from './queues.service.js';
import type { VipCallerService } from './vip-callers.service.js';

/** The voice of queue announcements and callback confirmations (the flows' default). */
export const QUEUE_VOICE = { voice: 'en-us', rate: 160, volume: 100 };

/** The ACD runner's view of the configuration, over the queues, agents, VIP callers and extensions services. */
export function acdSource(d: { queues: QueueService; agents: AgentService; vipCallers: VipCallerService; extensions: ExtensionService }): AcdSource {
  return {
    queues: () => d.queues.forEngine(),
    agents: () => d.agents.forEngine(),
    media: (id) => {
      const q = d.queues.find(id);
      if (!q) return null;
      const box = q.exitVoicemailExtensionId === null ? null : d.extensions.numberOf(q.exitVoicemailExtensionId);
      return { name: q.name, musicPromptId: q.musicPromptId, announceEveryS: q.announceEveryS, announcePromptId: q.announcePromptId, announcePosition: q.announcePosition, announceWait: q.announceWait, exitKey: q.exitKey, exitKind: q.exitKind, exitVoicemail: box };
    },
    device: (id) => {
      const a = d.agents.find(id);
      if (!a) return null;
      return a.device.kind === 'extension' ? { kind: 'extension', extension: a.device.extension } : { kind: 'external', number: a.device.number };
    },
    agentByExtension: (n) => d.agents.byExtension(n)?.id ?? null,
    extensionNumber: (id) => d.extensions.numberOf(id),
    vipPriority: (n) => d.vipCallers.priorityOf(n),
    states: () => d.agents.states().map(({ agentId, ...s }) => ({ id: agentId, ...s })),
    saveState: (id, s) => d.agents.saveState(id, s),
  };
}
