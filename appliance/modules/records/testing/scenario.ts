import { testActor, type TestContext } from '../../../test/make-test-context.js';
import { acdFixtures, queueForm } from '../../queues/testing/fixtures.js';
import { abandonedCall, answeredCall, outboundCall } from './fixtures.js';

const HOUR = 3_600_000;

/**
 * Two queues (Sales supervised by sam, Support by nobody), agents ann (Sales) and bob (Support), and calls on the
 * context's clock day: ann's answered Sales calls (one recorded), bob's answered Support call, an abandoned Support
 * call that ann missed, an abandoned Sales call, and ann's outbound calls (one busy). Sam is also an agent.
 */
export async function recordsScenario(ctx: TestContext) {
  const f = await acdFixtures(ctx);
  const sales = ctx.queues.create(queueForm({ name: 'Sales' }), testActor);
  const support = ctx.queues.create(queueForm({ name: 'Support' }), testActor);
  const ann = await ctx.agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id) }, testActor);
  const bob = await ctx.agents.create({ userId: String(f.bob.id), number: '202', deviceKind: 'extension', extensionId: String(f.desk2.id) }, testActor);
  const samAgent = await ctx.agents.create({ userId: String(f.sam.id), number: '209', deviceKind: 'extension', extensionId: String(f.office.id) }, testActor);
  ctx.supervisors.set(sales.id, { supervisorIds: String(f.sam.id) }, testActor);
  const t = ctx.clock.now() - 3 * HOUR;
  const store = ctx.records.store;
  const calls = {
    annSales: answeredCall(t, { agentId: ann.id, queueId: sales.id, caller: '+15551230001', waitMs: 10_000, survey: 5 }),
    annSalesRecorded: answeredCall(t + HOUR, { agentId: ann.id, queueId: sales.id, caller: '+15551230002', waitMs: 30_000, recordingId: 41 }),
    bobSupport: answeredCall(t + 30 * 60_000, { agentId: bob.id, queueId: support.id, caller: '+4915770001', waitMs: 50_000, note: 'Refund for =SUM(A1)' }),
    supportAbandoned: abandonedCall(t + 40 * 60_000, { queueId: support.id, missedBy: ann.id, caller: '+4915770002', waitMs: 60_000 }),
    salesAbandoned: abandonedCall(t + 50 * 60_000, { queueId: sales.id, caller: '+15551230003', waitMs: 20_000 }),
    annOutbound: outboundCall(t + 70 * 60_000, { agentId: ann.id, number: '+4930123456', result: 'success' }),
    annBusy: outboundCall(t + 80 * 60_000, { agentId: ann.id, number: '+4930999999', result: 'busy', cause: 'USER_BUSY' }),
    samSupport: answeredCall(t + 90 * 60_000, { agentId: samAgent.id, queueId: support.id, caller: '+4915770003' }),
  };
  for (const c of Object.values(calls)) store.save(c);
  return { f, sales, support, ann, bob, samAgent, calls };
}
