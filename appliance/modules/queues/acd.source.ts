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
