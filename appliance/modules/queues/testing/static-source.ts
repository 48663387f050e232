import type { AcdSource, QueueMedia, SavedAgentState } from '../acd.source.js';
import type { AgentConfig, QueueConfig } from '../engine/types.js';

export const QUEUE: QueueConfig = {
  id: 1,
  name: 'Sales',
  strategy: 'longest_idle',
  skillId: null,
  ringTimeoutS: 15,
  wrapUpS: 0,
  requireDisposition: false,
  missesBeforeBreak: 1,
  stickyWindowS: 3600,
  maxWaitS: null,
  overflow: { kind: 'hangup' },
  maxLength: null,
  whenFull: { kind: 'hangup' },
  noAgents: 'wait',
};
export const MEDIA: QueueMedia = { name: 'Sales', musicPromptId: null, announceEveryS: 0, announcePromptId: null, announcePosition: false, announceWait: false, exitKey: null, exitKind: null, exitVoicemail: null };

export interface TestAgent {
  id: number;
  name: string;
  extension: string;
  queues?: number[];
  skills?: Record<number, number>;
}

/**
 * The ACD's configuration for tests that are about the runner, not the console: queues and agents as given, agent
 * states kept in a map (or in a database row through `saved`), extension ids as 1000 + id, +4930999 a VIP.
 */
export function staticSource(o: { queues?: Partial<QueueConfig>[]; media?: Partial<QueueMedia>; agents: TestAgent[]; saved?: Map<number, SavedAgentState> }) {
  const queues = (o.queues ?? [{}]).map((q, i) => ({ ...QUEUE, id: i + 1, name: i ? `Queue ${i + 1}` : 'Sales', ...q }));
  const agents: AgentConfig[] = o.agents.map((a) => ({ id: a.id, name: a.name, skills: a.skills ?? {}, queues: (a.queues ?? [1]).map((queueId) => ({ queueId, position: a.id })) }));
  const saved = o.saved ?? new Map<number, SavedAgentState>();
  const source: AcdSource = {
    queues: () => queues,
    agents: () => agents,
    media: (id) => ({ ...MEDIA, name: queues.find((q) => q.id === id)?.name ?? '?', ...o.media }),
    device: (id) => {
      const a = o.agents.find((x) => x.id === id);
      return a ? { kind: 'extension', extension: a.extension } : null;
    },
    agentByExtension: (ext) => o.agents.find((a) => a.extension === ext)?.id ?? null,
    extensionNumber: (id) => String(1000 + id),
    vipPriority: (n) => (n === '+4930999' ? 9 : 0),
    states: () => [...saved.entries()].map(([id, s]) => ({ id, ...s })),
    saveState: (id, s) => void saved.set(id, s),
  };
  return { source, saved, queues, agents };
}
