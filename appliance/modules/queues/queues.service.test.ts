import anyTest, { type TestFn } from 'ava';
import { ConflictError, ValidationError } from '../../errors.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';
import { STRATEGY_NAMES } from './engine/types.js';
import { acdFixtures, flow, queueForm, recordingServices, uploadPrompt } from './testing/fixtures.js';

interface Ctx {
  ctx: TestContext;
  f: Awaited<ReturnType<typeof acdFixtures>>;
}
const test = anyTest as TestFn<Ctx>;
test.beforeEach(async (t) => {
  const ctx = await makeTestContext();
  t.context = { ctx, f: await acdFixtures(ctx) };
});
test.afterEach.always((t) => t.context.ctx.close());

const fieldsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.fields;
    throw e;
  }
  throw new Error('not refused');
};

test('queues: a full form is stored and read back typed; the engine gets exactly its QueueConfig', async (t) => {
  const { ctx, f } = t.context;
  const music = await uploadPrompt(ctx, 'Jazz', 'music');
  const hello = await uploadPrompt(ctx, 'Thanks for waiting', 'prompt');
  const { queues, changes } = recordingServices(ctx);
  const support = queues.create(queueForm({ name: 'Support' }), testActor);
  const q = queues.create(
    queueForm({
      strategy: 'skills',
      skillId: String(f.spanish.id),
      musicPromptId: String(music.id),
      announceEveryS: '45',
      announcePromptId: String(hello.id),
      announcePosition: 'on',
      announceWait: 'on',
      ringTimeoutS: '25',
      wrapUp: 'until_ready',
      wrapUpS: '',
      requireDisposition: 'on',
      dispositions: 'Sale\r\n\r\n  No sale  \nCallback wanted\n',
      stickyWindowMin: '60',
      overflowKind: 'queue',
      overflowQueueId: String(support.id),
      overflowFlowId: '999',
      maxLength: '12',
      fullKind: 'voicemail',
      fullExtensionId: String(f.office.id),
      noAgents: 'overflow',
      exitKey: '*',
      exitKind: 'voicemail',
      exitExtensionId: String(f.office.id),
      serviceLevelS: '30',
    }),
    testActor,
  );
  t.like(queues.get(q.id), {
    name: 'Sales',
    strategy: 'skills',
    skillId: f.spanish.id,
    musicPromptId: music.id,
    announceEveryS: 45,
    announcePromptId: hello.id,
    announcePosition: true,
    announceWait: true,
    ringTimeoutS: 25,
    wrapUpS: null,
    requireDisposition: true,
    missesBeforeBreak: 2,
    stickyWindowS: 3600,
    maxWaitS: 300,
    maxLength: 12,
    noAgents: 'overflow',
    exitKey: '*',
    exitKind: 'voicemail',
    exitVoicemailExtensionId: f.office.id,
    serviceLevelS: 30,
  });
  t.deepEqual(q.dispositions, ['Sale', 'No sale', 'Callback wanted']);
  t.deepEqual(q.overflow, { kind: 'queue', queueId: support.id }, 'the flow picker was filled but the kind is queue');
  t.deepEqual(q.whenFull, { kind: 'voicemail', extensionId: f.office.id });
  t.deepEqual(queues.forEngine().find((c) => c.id === q.id), {
    id: q.id,
    name: 'Sales',
    strategy: 'skills',
    skillId: f.spanish.id,
    ringTimeoutS: 25,
    wrapUpS: null,
    requireDisposition: true,
    missesBeforeBreak: 2,
    stickyWindowS: 3600,
    maxWaitS: 300,
    overflow: { kind: 'queue', queueId: support.id },
    maxLength: 12,
    whenFull: { kind: 'voicemail', extensionId: f.office.id },
    noAgents: 'overflow',
  });
  t.deepEqual(queues.options(), [{ id: q.id, name: 'Sales' }, { id: support.id, name: 'Support' }]);
  t.is(queues.nameOf(q.id), 'Sales');
  t.is(queues.nameOf(999), null);
  t.deepEqual(changes, [{ kind: 'queue', id: support.id, removed: false }, { kind: 'queue', id: q.id, removed: false }]);
  t.is(ctx.audit.list({ action: 'queue.created' }).total, 2);
});

test('queues: a short form (name, strategy) takes the defaults; every strategy is accepted', (t) => {
  const { ctx } = t.context;
  for (const [i, strategy] of STRATEGY_NAMES.filter((s) => s !== 'skills').entries()) {
    const q = ctx.queues.create({ name: `Q${i}`, strategy }, testActor);
    t.like(q, { strategy, ringTimeoutS: 20, wrapUpS: 10, missesBeforeBreak: 1, stickyWindowS: 86400, maxWaitS: null, maxLength: null, noAgents: 'wait', exitKey: null, serviceLevelS: 20, announceEveryS: 0 });
    t.deepEqual([q.overflow, q.whenFull, q.dispositions], [{ kind: 'hangup' }, { kind: 'hangup' }, []]);
  }
});

test('queues: bad input gets an error on each field and changes nothing', (t) => {
  const { ctx } = t.context;
  const cases: [Record<string, string>, Record<string, RegExp>][] = [
    [{ name: ' ', ringTimeoutS: '0', wrapUpS: '601' }, { name: /Enter a name/, ringTimeoutS: /1 to 90/, wrapUpS: /0 to 600/ }],
    [{ strategy: 'fastest', noAgents: 'leave' }, { strategy: /Choose how calls/, noAgents: /nobody is logged in/ }],
    [{ ringTimeoutS: '', missesBeforeBreak: '11', stickyWindowMin: '0', serviceLevelS: '3601' }, { ringTimeoutS: /1 to 90/, missesBeforeBreak: /1 to 10/, stickyWindowMin: /43,200/, serviceLevelS: /3,600/ }],
    [{ maxWaitS: '5', maxLength: '0', announceEveryS: '10' }, { maxWaitS: /10 to 86,400/, maxLength: /1 to 10,000/, announceEveryS: /0 \(never\) or 15 to 600/ }],
    [{ announceEveryS: '60' }, { announceEveryS: /Choose what to announce/ }],
    [{ requireDisposition: 'on', dispositions: '' }, { dispositions: /cannot be required without them/ }],
    [{ dispositions: Array.from({ length: 21 }, (_, i) => `Code ${i}`).join('\n') }, { dispositions: /At most 20 codes \(there are 21\)/ }],
    [{ dispositions: `Fine\n${'x'.repeat(41)}` }, { dispositions: /longer than 40 characters/ }],
    [{ dispositions: 'Sale\nsale' }, { dispositions: /"sale" is listed twice/ }],
    [{ exitKey: '5' }, { exitKind: /Choose what the key does/ }],
    [{ exitKind: 'callback' }, { exitKey: /Choose the key/ }],
    [{ exitKey: 'A', exitKind: 'callback' }, { exitKey: /Choose a key/ }],
    [{ exitKey: '1', exitKind: 'voicemail' }, { exitExtensionId: /voicemail box takes the message/ }],
    [{ strategy: 'skills' }, { skillId: /ranks agents by their level/ }],
    [{ overflowKind: 'queue', fullKind: 'flow' }, { overflowQueueId: /Choose a queue/, fullFlowId: /Choose a flow/ }],
    [{ overflowKind: 'voicemail', fullKind: 'extension' }, { overflowExtensionId: /Choose an extension/, fullExtensionId: /Choose an extension/ }],
    [{ wrapUp: 'until_ready', wrapUpS: 'soon' }, {}],
    [{ wrapUp: 'timed', wrapUpS: 'soon' }, { wrapUpS: /0 to 600/ }],
  ];
  for (const [extra, expected] of cases) {
    if (!Object.keys(expected).length) {
      t.is(ctx.queues.create(queueForm({ ...extra, name: 'Until ready' }), testActor).wrapUpS, null, 'the time of a wrap-up that has none is ignored');
      continue;
    }
    const fields = fieldsOf(() => ctx.queues.create(queueForm(extra), testActor));
    t.deepEqual(Object.keys(fields).sort(), Object.keys(expected).sort(), JSON.stringify(extra));
    for (const [field, re] of Object.entries(expected)) t.regex(fields[field]!, re, field);
  }
  t.is(ctx.queues.list({}).total, 1);
  t.is(ctx.audit.list({ action: 'queue.created' }).total, 1);
});

test('queues: what a queue names must exist and suit its use; a queue cannot overflow to itself', async (t) => {
  const { ctx, f } = t.context;
  const music = await uploadPrompt(ctx, 'Jazz', 'music');
  const hello = await uploadPrompt(ctx, 'Hello', 'prompt');
  const draft = flow(ctx, 'Draft only', false);
  const sales = ctx.queues.create(queueForm(), testActor);
  const fields = fieldsOf(() =>
    ctx.queues.create(
      queueForm({ name: 'Other', skillId: '999', musicPromptId: String(hello.id), announceEveryS: '30', announcePromptId: String(music.id), overflowKind: 'flow', overflowFlowId: String(draft.id), fullKind: 'voicemail', fullExtensionId: String(f.desk.id), exitKey: '0', exitKind: 'voicemail', exitExtensionId: '999' }),
      testActor,
    ),
  );
  t.deepEqual(fields, {
    skillId: 'Choose an existing skill.',
    musicPromptId: 'Choose music on hold from the prompt library.',
    announcePromptId: 'Choose a ready prompt from the prompt library.',
    overflowFlowId: 'This flow has no published version yet: publish it first.',
    fullExtensionId: 'This extension has no voicemail box: turn it on in the extension first.',
    exitExtensionId: 'Choose an existing extension.',
  });
  const more = fieldsOf(() => ctx.queues.update(sales.id, queueForm({ overflowKind: 'queue', overflowQueueId: String(sales.id), fullKind: 'flow', fullFlowId: '999', exitKey: '#', exitKind: 'voicemail', exitExtensionId: String(f.desk.id) }), testActor));
  t.deepEqual(more, { overflowQueueId: 'A queue cannot send its callers to itself.', fullFlowId: 'Choose an existing flow.', exitExtensionId: 'This extension has no voicemail box: turn it on in the extension first.' });
  t.regex(fieldsOf(() => ctx.queues.create(queueForm({ name: 'x', overflowKind: 'extension', overflowExtensionId: '999', fullKind: 'queue', fullQueueId: '999' }), testActor)).overflowExtensionId!, /existing extension/);
  t.regex(fieldsOf(() => ctx.queues.create(queueForm({ name: 'SALES' }), testActor)).name!, /A queue named Sales already exists/);
  t.is(ctx.queues.list({}).total, 1);
  t.deepEqual(ctx.queues.get(sales.id).overflow, { kind: 'hangup' });
});

test('queues: deleting is refused while another queue or a flow sends callers to it, or callers wait in it', (t) => {
  const { ctx } = t.context;
  let busy = true;
  const { queues, agents, changes } = recordingServices(ctx, { isBusy: () => busy, usedBy: (id) => (id === 1 ? ['flow Main menu'] : []) });
  const sales = queues.create(queueForm(), testActor);
  const spill = queues.create(queueForm({ name: 'Spill' }), testActor);
  const vip = queues.create(queueForm({ name: 'VIP', overflowKind: 'queue', overflowQueueId: String(spill.id), fullKind: 'queue', fullQueueId: String(spill.id) }), testActor);
  t.is(sales.id, 1);
  t.throws(() => queues.delete(sales.id, testActor), { instanceOf: ConflictError, message: 'Queue Sales cannot be deleted: flow Main menu sends callers to it.' });
  t.throws(() => queues.delete(spill.id, testActor), { instanceOf: ConflictError, message: 'Queue Spill cannot be deleted: queue VIP sends callers to it.' });
  t.throws(() => queues.delete(vip.id, testActor), { instanceOf: ConflictError, message: 'Queue VIP cannot be deleted while callers are waiting in it.' });
  t.is(queues.list({}).total, 3);
  busy = false;
  queues.delete(vip.id, testActor);
  queues.delete(spill.id, testActor);
  t.deepEqual(queues.options().map((q) => q.name), ['Sales']);
  t.deepEqual(changes.slice(3), [{ kind: 'queue', id: vip.id, removed: true }, { kind: 'queue', id: spill.id, removed: true }]);
  t.is(ctx.audit.list({ action: 'queue.deleted' }).total, 2);
  t.truthy(agents);
});

test('queues: a deleted queue\'s members are told their configuration changed, and serve it no more', async (t) => {
  const { ctx, f } = t.context;
  const { queues, agents, changes } = recordingServices(ctx);
  const q = queues.create(queueForm(), testActor);
  const a = await agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id) }, testActor);
  agents.memberships.add(q.id, { agentId: String(a.id) }, testActor);
  changes.length = 0;
  queues.update(q.id, queueForm({ ringTimeoutS: '30' }), testActor);
  queues.delete(q.id, testActor);
  t.deepEqual(changes, [{ kind: 'queue', id: q.id, removed: false }, { kind: 'queue', id: q.id, removed: true }, { kind: 'agent', id: a.id, removed: false }]);
  t.deepEqual(agents.forEngine()[0]!.queues, []);
});

test('queues: what a queue uses cannot go away under it (skill, prompts, flow, extension, voicemail box)', async (t) => {
  const { ctx, f } = t.context;
  const music = await uploadPrompt(ctx, 'Jazz', 'music');
  const hello = await uploadPrompt(ctx, 'Hello', 'prompt');
  const menu = flow(ctx, 'Main menu');
  ctx.queues.create(queueForm({ skillId: String(f.billing.id), musicPromptId: String(music.id), overflowKind: 'flow', overflowFlowId: String(menu.id), fullKind: 'extension', fullExtensionId: String(f.desk2.id) }), testActor);
  ctx.queues.create(queueForm({ name: 'Support', announceEveryS: '30', announcePromptId: String(hello.id), exitKey: '9', exitKind: 'voicemail', exitExtensionId: String(f.office.id) }), testActor);
  t.throws(() => ctx.skills.delete(f.billing.id, testActor), { instanceOf: ConflictError, message: 'Skill Billing cannot be deleted: queue Sales uses it.' });
  t.throws(() => ctx.prompts.delete(music.id, testActor), { instanceOf: ConflictError, message: /queue Sales plays it/ });
  t.throws(() => ctx.prompts.delete(hello.id, testActor), { instanceOf: ConflictError, message: /queue Support plays it/ });
  t.throws(() => ctx.flows.delete(menu.id, testActor), { instanceOf: ConflictError, message: /queue Sales/ });
  t.throws(() => ctx.extensions.delete(f.desk2.id, testActor), { instanceOf: ConflictError, message: /queue Sales sends calls to it/ });
  t.throws(() => ctx.extensions.update(f.office.id, { number: '1009', displayName: 'Office', isEnabled: 'on' }, testActor), { instanceOf: ConflictError, message: /voicemail box of extension 1009 cannot be turned off: queue Support sends calls to it/ });
  t.true(ctx.extensions.hasVoicemail(f.office.id));
});

test('queues: the list filters by name or description and by strategy, and pages', (t) => {
  const { ctx } = t.context;
  for (let i = 1; i <= 30; i++) ctx.queues.create({ name: `Queue ${String(i).padStart(2, '0')}`, description: i === 7 ? 'Spanish speakers' : '', strategy: i % 2 ? 'ring_all' : 'round_robin' }, testActor);
  const first = ctx.queues.list({}, 25);
  t.like(first, { total: 30, pages: 2, page: 1 });
  t.is(first.items[0]!.name, 'Queue 01');
  t.is(ctx.queues.list({ page: '2' }, 25).items.length, 5);
  t.deepEqual(ctx.queues.list({ q: 'spanish' }).items.map((q) => q.name), ['Queue 07']);
  t.is(ctx.queues.list({ strategy: 'ring_all' }).total, 15);
  t.is(ctx.queues.list({ strategy: 'nonsense', page: 'x' }).total, 30, 'a bad filter is ignored');
});
