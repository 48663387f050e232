import { STRATEGIES, STRATEGY_NAMES, type Destination, type StrategyName } from './engine/types.js';
import { EXIT_KEYS, type DestinationKind, type DestinationSlot, type Queue } from './queues.types.js';

// The queue pages' view models: the form's choices and values, and a queue described in words for the list.

/** What the queue forms offer to choose from, through the other modules' services (wired in app.ts). */
export interface QueueChoices {
  skills(): { id: number; name: string }[];
  /** Ready music on hold of the prompt library. */
  music(): { id: number; name: string }[];
  /** Ready prompts of the prompt library. */
  prompts(): { id: number; name: string }[];
  flows(): { id: number; name: string; published: number | null }[];
  extensions(): { id: number; number: string; displayName: string; hasVoicemail: boolean }[];
  agents(): { id: number; number: string; name: string }[];
  recordingPolicies(): { id: number; name: string; summary: string }[];
}

type Values = Record<string, unknown>;
interface Option {
  value: string;
  label: string;
}

/** The strategy's name without its explanation, for lists. */
export const strategyName = (s: StrategyName) => STRATEGIES[s].split(':')[0]!;
export const strategyOptions: Option[] = STRATEGY_NAMES.map((s) => ({ value: s, label: STRATEGIES[s] }));

const KIND_LABELS: Record<DestinationKind, string> = {
  hangup: 'Hang up',
  queue: 'Another queue',
  flow: 'A flow (IVR)',
  extension: 'An extension',
  voicemail: "An extension's voicemail box",
};
const kindOptions = (slot: DestinationSlot): Option[] =>
  (Object.keys(KIND_LABELS) as DestinationKind[]).map((k) => ({ value: k, label: k === 'hangup' && slot === 'full' ? 'Busy: refuse the caller' : KIND_LABELS[k] }));

export const newQueueValues: Values = { strategy: 'longest_idle', skillId: '' };

/** A stored queue as the form's fields. */
export function formValues(q: Queue): Values {
  const id = (v: number | null) => (v === null ? '' : String(v));
  const values: Values = {
    name: q.name,
    description: q.description,
    strategy: q.strategy,
    skillId: id(q.skillId),
    musicPromptId: id(q.musicPromptId),
    announceEveryS: String(q.announceEveryS),
    announcePromptId: id(q.announcePromptId),
    announcePosition: q.announcePosition,
    announceWait: q.announceWait,
    ringTimeoutS: String(q.ringTimeoutS),
    wrapUp: q.wrapUpS === null ? 'until_ready' : 'timed',
    wrapUpS: q.wrapUpS === null ? '10' : String(q.wrapUpS),
    requireDisposition: q.requireDisposition,
    dispositions: q.dispositions.join('\n'),
    callerIds: q.callerIds.join('\n'),
    missesBeforeBreak: String(q.missesBeforeBreak),
    stickyWindowMin: String(Math.round(q.stickyWindowS / 60)),
    maxWaitS: q.maxWaitS === null ? '' : String(q.maxWaitS),
    maxLength: q.maxLength === null ? '' : String(q.maxLength),
    noAgents: q.noAgents,
    exitKey: q.exitKey ?? '',
    exitKind: q.exitKind ?? '',
    exitExtensionId: id(q.exitVoicemailExtensionId),
    serviceLevelS: String(q.serviceLevelS),
    recordingPolicyId: id(q.recordingPolicyId),
  };
  for (const [slot, d] of [['overflow', q.overflow], ['full', q.whenFull]] as [DestinationSlot, Destination][]) {
    values[`${slot}Kind`] = d.kind;
    values[`${slot}QueueId`] = d.kind === 'queue' ? String(d.queueId) : '';
    values[`${slot}FlowId`] = d.kind === 'flow' ? String(d.flowId) : '';
    values[`${slot}ExtensionId`] = d.kind === 'extension' || d.kind === 'voicemail' ? String(d.extensionId) : '';
  }
  return values;
}

/** What the list's short form for a new queue offers. */
export function newFormChoices(c: QueueChoices) {
  return { strategyOptions, skillOptions: [{ value: '', label: 'None: every member qualifies' }, ...c.skills().map((s) => ({ value: String(s.id), label: s.name }))] };
}

/** Everything the settings form offers; `self` is left out of the queues a queue may send callers to. */
export function formChoices(c: QueueChoices, queues: { id: number; name: string }[], self: number | null) {
  const extensions = c.extensions();
  const ext = (e: { number: string; displayName: string }) => `${e.number} · ${e.displayName}`;
  return {
    ...newFormChoices(c),
    musicOptions: [{ value: '', label: 'Default hold music' }, ...c.music().map((p) => ({ value: String(p.id), label: p.name }))],
    promptOptions: [{ value: '', label: 'No prompt' }, ...c.prompts().map((p) => ({ value: String(p.id), label: p.name }))],
    wrapUpOptions: [
      { value: 'timed', label: 'Ends after the time below' },
      { value: 'until_ready', label: 'Lasts until the agent says ready' },
    ],
    overflowKindOptions: kindOptions('overflow'),
    fullKindOptions: kindOptions('full'),
    queueOptions: [{ value: '', label: 'Choose a queue' }, ...queues.filter((q) => q.id !== self).map((q) => ({ value: String(q.id), label: q.name }))],
    flowOptions: [{ value: '', label: 'Choose a flow' }, ...c.flows().map((f) => ({ value: String(f.id), label: f.published ? f.name : `${f.name} (not published yet)` }))],
    extensionOptions: [{ value: '', label: 'Choose an extension' }, ...extensions.map((e) => ({ value: String(e.id), label: ext(e) }))],
    boxOptions: [{ value: '', label: 'Choose an extension with a voicemail box' }, ...extensions.filter((e) => e.hasVoicemail).map((e) => ({ value: String(e.id), label: ext(e) }))],
    noAgentsOptions: [
      { value: 'wait', label: 'Callers keep waiting' },
      { value: 'overflow', label: 'Callers go to the overflow destination at once' },
    ],
    policyOptions: [{ value: '', label: "None: the number's policy applies" }, ...c.recordingPolicies().map((p) => ({ value: String(p.id), label: `${p.name}: ${p.summary}` }))],
    exitKeyOptions: [{ value: '', label: 'No exit key' }, ...EXIT_KEYS.map((k) => ({ value: k, label: k }))],
    exitKindOptions: [
      { value: '', label: 'Choose' },
      { value: 'voicemail', label: 'Leave a voicemail' },
      { value: 'callback', label: 'Be called back in their place' },
    ],
  };
}

/** A destination in words, for the list and the queue's summary. */
export function describeDestination(d: Destination, names: { queue: Map<number, string>; flow: Map<number, string>; extension: Map<number, string> }): string {
  if (d.kind === 'queue') return `Queue ${names.queue.get(d.queueId) ?? '?'}`;
  if (d.kind === 'flow') return `Flow ${names.flow.get(d.flowId) ?? '?'}`;
  if (d.kind === 'extension') return `Extension ${names.extension.get(d.extensionId) ?? '?'}`;
  if (d.kind === 'voicemail') return `Voicemail ${names.extension.get(d.extensionId) ?? '?'}`;
  return 'Hang up';
}
