import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeTestContext, testActor, type TestContext } from '../../../test/make-test-context.js';
import { acdFixtures, queueForm } from '../../queues/testing/fixtures.js';

export const CALLER = '11111111-1111-4111-8111-111111111111';
export const AGENT_LEG = '22222222-2222-4222-8222-222222222222';
export const CUSTOMER = '33333333-3333-4333-8333-333333333333';

/**
 * A number, a queue and an agent (ann) over a test context whose disk and dice the test controls; the switch is
 * up and answers every command with +OK. Call entries are appended to the ledger as the call records' listeners
 * and the ACD write them.
 */
export async function recordingWorld(o: { roll?: number; grace?: number } = {}) {
  const disk = { freeMb: 50_000 };
  const dice = { roll: o.roll ?? 0.5 };
  const ctx = await makeTestContext({}, { recording: { random: () => dice.roll, statfs: async () => ({ bavail: disk.freeMb * 256, bsize: 4096 }), stopGraceMs: o.grace ?? 30 } });
  ctx.sw.setConnected(true);
  const f = await acdFixtures(ctx);
  const trunk = ctx.trunks.create({ name: 'Carrier A', authMode: 'ip', host: '203.0.113.10', port: '5060', transport: 'udp', allowedCidrs: '203.0.113.10', codecs: 'PCMU', dtmfMode: 'rfc2833', maxCalls: '5', isEnabled: 'on' }, testActor);
  const numberForm = (policy: number | null) => ({ number: '+4930123456', trunkId: String(trunk.id), isInbound: 'on', destinationKind: 'extension', destinationExtensionId: String(f.desk.id), isCallerId: 'on', recordingPolicyId: policy ? String(policy) : '' });
  const number = ctx.numbers.create(numberForm(null), testActor);
  const sales = ctx.queues.create(queueForm(), testActor);
  const agentForm = (policy: number | null) => ({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id), recordingPolicyId: policy ? String(policy) : '' });
  const ann = await ctx.agents.create(agentForm(null), testActor);
  const policy = (name: string, extra: Record<string, string> = {}) => ctx.recordingPolicies.create({ name, mode: 'always', start: 'answer', stereo: 'on', retentionDays: '30', ...extra }, testActor);
  const use = {
    number: (id: number | null) => ctx.numbers.update(number.id, numberForm(id), testActor),
    queue: (id: number | null) => ctx.queues.update(sales.id, queueForm({ recordingPolicyId: id ? String(id) : '' }), testActor),
    agent: (id: number | null) => ctx.agents.update(ann.id, agentForm(id), testActor),
  };
  const at = () => ctx.clock.now();
  const call = {
    /** The carrier's call arrives on the number (leg.created) and the IVR answers it (leg.answered). */
    arrives(uuid = CALLER) {
      ctx.ledger.append({ at: at(), kind: 'leg.created', callId: uuid, data: { uuid, direction: 'inbound', channel: 'sofia/external/x', caller: '+4917012345678', callerName: '', destination: '+4930123456', context: 'public', numberId: number.id, trunkId: trunk.id, dialed: '+4930123456', extension: null } });
      ctx.ledger.append({ at: at(), kind: 'leg.answered', callId: uuid, data: { uuid } });
    },
    queueAnswered(uuid = CALLER) {
      ctx.ledger.append({ at: at(), kind: 'queue.answered', callId: uuid, agentId: ann.id, queueId: sales.id, data: { caller: '+4917012345678', waitMs: 4000 } });
    },
    hungup(uuid = CALLER, callId = CALLER) {
      ctx.ledger.append({ at: at(), kind: 'leg.hungup', callId, data: { uuid, cause: 'NORMAL_CLEARING' } });
    },
  };
  const entries = (kind: string) => ctx.ledger.recent(500).filter((e) => e.kind === kind).reverse();
  const close = () => ctx.close();
  return { ctx, f, disk, dice, number, sales, ann, policy, use, call, entries, close };
}
export type RecordingWorld = Awaited<ReturnType<typeof recordingWorld>>;

/** What FreeSWITCH would have written: a stereo WAV (440 Hz left, 660 Hz right) of `seconds`. */
export function writeWav(file: string, seconds = 3, channels = 2): void {
  mkdirSync(dirname(file), { recursive: true });
  const tones = channels === 2 ? ['sine', '440', 'sine', '660'] : ['sine', '440'];
  execFileSync('sox', ['-n', '-r', '8000', '-c', String(channels), '-b', '16', file, 'synth', String(seconds), ...tones]);
}

/** Poll until `f` holds (timers and child processes run meanwhile). */
export async function until(f: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export type { TestContext };
