import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AgentService } from '../../agents/agents.service.js';
import { testActor, type TestContext } from '../../../test/make-test-context.js';
import { QueueService } from '../queues.service.js';
import type { ConfigChange } from '../queues.types.js';

/** Extensions, users and skills most queue and agent tests start from. */
export async function acdFixtures(ctx: TestContext) {
  const ext = (number: string, displayName: string, box = false) =>
    ctx.extensions.create({ number, displayName, isEnabled: 'on', ...(box ? { voicemailEnabled: 'on', voicemailPin: '482915' } : {}) }, testActor).extension;
  const desk = ext('1001', 'Desk 1');
  const desk2 = ext('1002', 'Desk 2');
  const office = ext('1009', 'Office', true);
  const ann = await ctx.addUser('ann', 'agent');
  const bob = await ctx.addUser('bob', 'agent');
  const sam = await ctx.addUser('sam', 'supervisor');
  const root = await ctx.addUser('root', 'admin');
  const spanish = ctx.skills.create({ name: 'Spanish', description: 'Callers who speak Spanish' }, testActor);
  const billing = ctx.skills.create({ name: 'Billing' }, testActor);
  return { desk, desk2, office, ann, bob, sam, root, spanish, billing };
}

/** A queue form as the page posts it, every field filled: longest idle, overflow after 5 minutes to hang up. */
export function queueForm(extra: Record<string, string> = {}): Record<string, string> {
  return {
    name: 'Sales',
    description: 'New customers',
    strategy: 'longest_idle',
    skillId: '',
    musicPromptId: '',
    announceEveryS: '0',
    announcePromptId: '',
    ringTimeoutS: '20',
    wrapUp: 'timed',
    wrapUpS: '10',
    dispositions: '',
    missesBeforeBreak: '2',
    stickyWindowMin: '1440',
    maxWaitS: '300',
    overflowKind: 'hangup',
    overflowQueueId: '',
    overflowFlowId: '',
    overflowExtensionId: '',
    maxLength: '',
    fullKind: 'hangup',
    fullQueueId: '',
    fullFlowId: '',
    fullExtensionId: '',
    noAgents: 'wait',
    exitKey: '',
    exitKind: '',
    exitExtensionId: '',
    serviceLevelS: '20',
    ...extra,
  };
}

/** A sound made by sox now, uploaded to the prompt library as music on hold or as a prompt. */
export async function uploadPrompt(ctx: TestContext, name: string, category: 'music' | 'prompt') {
  const file = join(ctx.dataDir, `${name}.wav`);
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', file, 'synth', '0.5', 'sine', '440']);
  return ctx.prompts.upload({ name, category, originalName: `${name}.wav`, file }, testActor);
}

/** A flow with a published version (published: true) or only a draft. */
export function flow(ctx: TestContext, name: string, published = true) {
  const f = ctx.flows.create({ name, fallbackKind: 'hangup' }, testActor);
  if (published) ctx.flows.publish(f.id, testActor);
  return f;
}

/**
 * Queue and agent services over the context's database whose changes are recorded, with the context's other
 * services as lookups (services.ts wires the real ones to the ACD runner).
 */
export function recordingServices(ctx: TestContext, o: { isBusy?: (id: number) => boolean; stateOf?: (id: number) => string; usedBy?: (id: number) => string[] } = {}) {
  const changes: ConfigChange[] = [];
  const onChange = (c: ConfigChange) => changes.push(c);
  const agents: AgentService = new AgentService({
    db: ctx.db,
    clock: ctx.clock,
    audit: ctx.audit,
    lookups: {
      user: (id) => ctx.users.find(id) ?? null,
      eligibleUsers: () => (['agent', 'supervisor'] as const).flatMap((role) => ctx.users.list({ role, status: 'active' }, 10_000).items),
      extensionNumber: (id) => ctx.extensions.numberOf(id),
      extensionId: (n) => ctx.extensions.idOf(n),
      queueName: (id) => queues.nameOf(id),
      skillName: (id) => ctx.skills.nameOf(id),
      recordingPolicyExists: (id) => ctx.recordingPolicies.exists(id),
    },
    stateOf: o.stateOf ?? (() => 'logged_out'),
    onChange,
  });
  const queues: QueueService = new QueueService({
    db: ctx.db,
    clock: ctx.clock,
    audit: ctx.audit,
    lookups: {
      skillName: (id) => ctx.skills.nameOf(id),
      isCallerId: (n) => ctx.numbers.callerIds().some((x) => x.number === n),
      prompt: (id) => {
        const p = ctx.prompts.get(id);
        return p && { name: p.name, category: p.category, isReady: p.status === 'ready' };
      },
      flowPublished: (id) => (ctx.flows.exists(id) ? ctx.flows.latestPublished(id) !== null : null),
      extensionNumber: (id) => ctx.extensions.numberOf(id),
      hasVoicemail: (id) => ctx.extensions.hasVoicemail(id),
      memberIds: (id) => agents.memberships.idsOf(id),
      recordingPolicyExists: (id) => ctx.recordingPolicies.exists(id),
    },
    usedBy: o.usedBy ?? (() => []),
    isBusy: o.isBusy ?? (() => false),
    onChange,
  });
  return { queues, agents, changes };
}
