import type { AgentService } from '../agents/agents.service.js';
import type { ExtensionService } from '../extensions/extensions.service.js';
import type { QueueService } from './queues.service.js';
import type { VipCallerService } from './vip-callers.service.js';
import type { AgentConfig, AgentState, QueueConfig } from './engine/types.js';

/** What a waiting caller hears, and the key that lets them leave. */
export interface QueueMedia {
  name: string;
  musicPromptId: number | null;
  announceEveryS: number;
  announcePromptId: number | null;
  announcePosition: boolean;
  announceWait: boolean;
  exitKey: string | null;
  exitKind: 'voicemail' | 'callback' | null;
  /** The box (an extension number) the exit key leads to. */
  exitVoicemail: string | null;
}

/** The phone an agent's offers ring. */
export type AgentDevice = { kind: 'extension'; extension: string } | { kind: 'external'; number: string };

/** An agent's routing state as persisted, so a restarted controller starts from where it was. */
export interface SavedAgentState {
  state: AgentState;
  reason: string | null;
  since: number;
  /** The queue call the agent is offered or on (the caller's leg uuid), and the agent's own leg. */
  callId: string | null;
  legUuid: string | null;
}

/**
 * What the runner reads of the configuration and writes back, given by services.ts over the queues and agents
 * services (so the runner needs no repository of theirs).
 */
export interface AcdSource {
  queues(): QueueConfig[];
  agents(): AgentConfig[];
  media(queueId: number): QueueMedia | null;
  device(agentId: number): AgentDevice | null;
  agentByExtension(extension: string): number | null;
  extensionNumber(extensionId: number): string | null;
  vipPriority(caller: string): number;
  states(): (SavedAgentState & { id: number })[];
  saveState(agentId: number, s: SavedAgentState): void;
}

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
