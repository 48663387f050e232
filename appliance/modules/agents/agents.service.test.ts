import anyTest, { type TestFn } from 'ava';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';
import { acdFixtures, queueForm, recordingServices } from '../queues/testing/fixtures.js';

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

async function fieldsOf(fn: () => unknown): Promise<Record<string, string>> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.fields;
    throw e;
  }
  throw new Error('not refused');
}

test('agents: an agent on an extension is created with a hashed PIN; the runner finds it by id, user, extension and PIN', async (t) => {
  const { ctx, f } = t.context;
  const a = await ctx.agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id), externalNumber: '+49 170 1234', pin: '4829' }, testActor);
  const expected = { id: a.id, userId: f.ann.id, name: 'ann', username: 'ann', number: '201', device: { kind: 'extension', extensionId: f.desk.id, extension: '1001' }, hasPin: true };
  t.like(ctx.agents.get(a.id), expected);
  t.like(ctx.agents.byUser(f.ann.id), expected);
  t.like(ctx.agents.byExtension('1001'), expected);
  t.is(ctx.agents.byExtension('1002'), null);
  t.is(ctx.agents.byExtension('9999'), null);
  t.is(ctx.agents.byUser(f.bob.id), null);
  t.throws(() => ctx.agents.get(999), { instanceOf: NotFoundError });
  t.like(await ctx.agents.checkPin('201', '4829'), expected);
  t.is(await ctx.agents.checkPin('201', '4828'), null);
  t.is(await ctx.agents.checkPin('202', '4829'), null, 'an unknown agent number');
  t.is(await ctx.agents.checkPin('x', '4829'), null);
  const stored = ctx.db.prepare('SELECT pin_hash FROM agents WHERE id = ?').get(a.id) as { pin_hash: string };
  t.regex(stored.pin_hash, /^scrypt\$/);
  t.false(stored.pin_hash.includes('4829'));
  const audit = ctx.audit.list({ action: 'agent.created' }).items[0]!;
  t.is(audit.summary, 'added agent 201 (ann)');
  t.false(JSON.stringify(audit.details).includes('4829'), 'the PIN is not in the audit log');
});

test('agents: an agent without a PIN cannot log in by phone until one is set; a new PIN replaces the old', async (t) => {
  const { ctx, f } = t.context;
  const a = await ctx.agents.create({ userId: String(f.sam.id), number: '300', deviceKind: 'external', externalNumber: '+49 (170) 123-4567' }, testActor);
  t.like(a, { name: 'sam', hasPin: false, device: { kind: 'external', number: '+491701234567' } });
  t.is(await ctx.agents.checkPin('300', ''), null);
  for (const [pin, re] of [['12', /4 to 8 digits/], ['123456789', /4 to 8 digits/], ['7777', /one digit repeated/], ['4321', /run of digits/], ['0300', null], ['300', /4 to 8/]] as const) {
    if (re === null) continue;
    t.regex((await fieldsOf(() => ctx.agents.setPin(a.id, { pin }, testActor))).pin!, re, pin);
  }
  const same = await ctx.agents.create({ userId: String(f.bob.id), number: '5150', deviceKind: 'external', externalNumber: '0301234' }, testActor);
  t.regex((await fieldsOf(() => ctx.agents.setPin(same.id, { pin: '5150' }, testActor))).pin!, /Not the agent number/);
  t.false(ctx.agents.get(a.id).hasPin);
  await ctx.agents.setPin(a.id, { pin: ' 90210 ' }, testActor);
  t.true(ctx.agents.get(a.id).hasPin);
  t.like(await ctx.agents.checkPin('300', '90210'), { id: a.id });
  await ctx.agents.setPin(a.id, { pin: '55012' }, testActor);
  t.is(await ctx.agents.checkPin('300', '90210'), null);
  t.like(await ctx.agents.checkPin('300', '55012'), { id: a.id });
  t.deepEqual(ctx.audit.list({ action: 'agent.pin_set' }).items.map((e) => e.summary), ['set a new PIN for agent 300', 'set a new PIN for agent 300']);
});

test('agents: bad input gets an error on each field and creates nothing', async (t) => {
  const { ctx, f } = t.context;
  await ctx.agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id) }, testActor);
  const cases: [Record<string, string>, Record<string, RegExp>][] = [
    [{ userId: '', number: '12', deviceKind: 'extension', extensionId: '' }, { userId: /Choose the user/, number: /3 to 8 digits/, extensionId: /Choose an extension/ }],
    [{ userId: String(f.bob.id), number: '123456789', deviceKind: 'external', externalNumber: '' }, { number: /3 to 8 digits/, externalNumber: /Enter the number to ring/ }],
    [{ userId: String(f.bob.id), number: '202', deviceKind: 'external', externalNumber: 'call me' }, { externalNumber: /digits, optionally after a \+/ }],
    [{ userId: String(f.bob.id), number: '202', deviceKind: 'phone' }, { deviceKind: /Choose the phone/ }],
    [{ userId: String(f.bob.id), number: '202', deviceKind: 'extension', extensionId: String(f.desk2.id), pin: '1234' }, { pin: /run of digits/ }],
    [{ userId: String(f.root.id), number: '202', deviceKind: 'extension', extensionId: '999' }, { userId: /root is an admin: only agents and supervisors/, extensionId: /existing extension/ }],
    [{ userId: '999', number: '202', deviceKind: 'extension', extensionId: String(f.desk2.id) }, { userId: /existing user/ }],
    [{ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id) }, { userId: /already agent 201 \(ann\)/, number: /taken by agent 201 \(ann\)/, extensionId: /device of agent 201 \(ann\)/ }],
  ];
  for (const [input, expected] of cases) {
    const fields = await fieldsOf(() => ctx.agents.create(input, testActor));
    t.deepEqual(Object.keys(fields).sort(), Object.keys(expected).sort(), JSON.stringify(input));
    for (const [field, re] of Object.entries(expected)) t.regex(fields[field]!, re, field);
  }
  await ctx.users.setDisabled(f.bob.id, true, testActor);
  t.regex((await fieldsOf(() => ctx.agents.create({ userId: String(f.bob.id), number: '202', deviceKind: 'extension', extensionId: String(f.desk2.id) }, testActor))).userId!, /disabled/);
  t.is(ctx.agents.list({}).total, 1);
  t.is(ctx.audit.list({ action: 'agent.created' }).total, 1);
});

test('agents: an update changes user, number and device; the PIN stays; clashes are refused', async (t) => {
  const { ctx, f } = t.context;
  const { agents, changes } = recordingServices(ctx);
  const ann = await agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id), pin: '4829' }, testActor);
  const bob = await agents.create({ userId: String(f.bob.id), number: '202', deviceKind: 'extension', extensionId: String(f.desk2.id) }, testActor);
  const moved = agents.update(ann.id, { userId: String(f.ann.id), number: '211', deviceKind: 'external', externalNumber: '+491701234567', extensionId: String(f.desk.id) }, testActor);
  t.like(moved, { number: '211', hasPin: true, device: { kind: 'external', number: '+491701234567' } });
  t.is(agents.byExtension('1001'), null, 'the extension is free again');
  const fields = await fieldsOf(() => agents.update(bob.id, { userId: String(f.ann.id), number: '211', deviceKind: 'extension', extensionId: String(f.desk2.id) }, testActor));
  t.deepEqual(Object.keys(fields).sort(), ['number', 'userId']);
  t.like(agents.get(bob.id), { userId: f.bob.id, number: '202' });
  t.deepEqual(changes, [ann, bob, ann].map((a) => ({ kind: 'agent', id: a.id, removed: false })));
  t.regex(ctx.audit.list({ action: 'agent.updated' }).items[0]!.summary, /updated agent 201 \(now 211\)/);
});

test('agents: skills are set with levels 1-10; bad levels and deleted skills change nothing', async (t) => {
  const { ctx, f } = t.context;
  const { agents, changes } = recordingServices(ctx);
  const a = await agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id) }, testActor);
  t.deepEqual(agents.setSkills(a.id, { [`level_${f.spanish.id}`]: '7', [`level_${f.billing.id}`]: '', other: 'x' }, testActor), [{ skillId: f.spanish.id, level: 7 }]);
  const fields = await fieldsOf(() => agents.setSkills(a.id, { [`level_${f.spanish.id}`]: '11', [`level_${f.billing.id}`]: 'high', level_999: '3' }, testActor));
  t.deepEqual(fields, { [`level_${f.spanish.id}`]: 'Choose a level from 1 to 10, or none.', [`level_${f.billing.id}`]: 'Choose a level from 1 to 10, or none.', level_999: 'This skill no longer exists.' });
  t.deepEqual(agents.summary(a.id).skills, [{ skillId: f.spanish.id, level: 7 }]);
  agents.setSkills(a.id, { [`level_${f.spanish.id}`]: '10', [`level_${f.billing.id}`]: '1' }, testActor);
  t.deepEqual(agents.forEngine(), [{ id: a.id, name: 'ann', skills: { [f.spanish.id]: 10, [f.billing.id]: 1 }, queues: [] }]);
  t.deepEqual(changes.map((c) => c.kind), ['agent', 'agent', 'agent']);
  t.throws(() => ctx.skills.delete(f.spanish.id, testActor), { instanceOf: ConflictError, message: 'Skill Spanish cannot be deleted: agent 201 (ann) uses it.' });
  agents.setSkills(a.id, {}, testActor);
  ctx.skills.delete(f.spanish.id, testActor);
  t.deepEqual(ctx.skills.options().map((s) => s.name), ['Billing']);
});

test('agents: queue members are added last, ordered, removed and renumbered; each agent touched is announced', async (t) => {
  const { ctx, f } = t.context;
  const { agents, queues, changes } = recordingServices(ctx);
  const sales = queues.create(queueForm({ strategy: 'sequential' }), testActor);
  const support = queues.create(queueForm({ name: 'Support' }), testActor);
  const make = (user: { id: number }, number: string, extensionId: number) => agents.create({ userId: String(user.id), number, deviceKind: 'extension', extensionId: String(extensionId) }, testActor);
  const ann = await make(f.ann, '201', f.desk.id);
  const bob = await make(f.bob, '202', f.desk2.id);
  const sam = await agents.create({ userId: String(f.sam.id), number: '203', deviceKind: 'external', externalNumber: '+491701234567' }, testActor);
  changes.length = 0;
  const m = agents.memberships;
  for (const a of [ann, bob, sam]) m.add(sales.id, { agentId: String(a.id) }, testActor);
  t.deepEqual(m.of(sales.id).map((x) => [x.number, x.position]), [['201', 1], ['202', 2], ['203', 3]]);
  t.regex((await fieldsOf(() => m.add(sales.id, { agentId: String(bob.id) }, testActor))).agentId!, /agent 202 \(bob\) already serves this queue/);
  t.regex((await fieldsOf(() => m.add(sales.id, { agentId: '999' }, testActor))).agentId!, /Choose an agent/);
  t.throws(() => m.add(999, { agentId: String(ann.id) }, testActor), { instanceOf: NotFoundError });
  t.deepEqual(changes.map((c) => c.id), [ann.id, bob.id, sam.id]);

  changes.length = 0;
  t.deepEqual(await fieldsOf(() => m.order(sales.id, { [`position_${ann.id}`]: '0', [`position_${bob.id}`]: 'first' }, testActor)), { [`position_${ann.id}`]: 'A position from 1 to 9999.', [`position_${bob.id}`]: 'A position from 1 to 9999.' });
  // Sam first; Ann and Bob tie and keep their order.
  m.order(sales.id, { [`position_${ann.id}`]: '5', [`position_${bob.id}`]: '5', [`position_${sam.id}`]: '1' }, testActor);
  t.deepEqual(m.of(sales.id).map((x) => [x.number, x.position]), [['203', 1], ['201', 2], ['202', 3]]);
  t.deepEqual(changes.map((c) => c.id).sort(), [ann.id, bob.id, sam.id].sort());

  changes.length = 0;
  m.remove(sales.id, sam.id, testActor);
  t.deepEqual(m.of(sales.id).map((x) => [x.number, x.position]), [['201', 1], ['202', 2]]);
  t.deepEqual(changes.map((c) => c.id), [sam.id, ann.id, bob.id], 'the removed agent, then those who moved up');
  t.throws(() => m.remove(sales.id, sam.id, testActor), { instanceOf: NotFoundError });

  // The agent page: exactly these queues; a new one puts the agent last; leaving renumbers the rest.
  changes.length = 0;
  m.setQueues(ann.id, { queueIds: [String(support.id)] }, testActor);
  t.deepEqual(m.queuesOf(ann.id), [{ queueId: support.id, position: 1 }]);
  t.deepEqual(m.of(sales.id).map((x) => [x.number, x.position]), [['202', 1]]);
  t.deepEqual(changes.map((c) => c.id), [ann.id, bob.id]);
  m.setQueues(bob.id, { queueIds: String(support.id) }, testActor);
  t.deepEqual(m.queuesOf(bob.id), [{ queueId: support.id, position: 2 }]);
  t.regex((await fieldsOf(() => m.setQueues(bob.id, { queueIds: ['999'] }, testActor))).queueIds!, /no longer exists/);
  m.setQueues(bob.id, {}, testActor);
  t.deepEqual(m.queuesOf(bob.id), []);
  t.deepEqual(agents.forEngine().map((a) => [a.id, a.queues]), [[ann.id, [{ queueId: support.id, position: 1 }]], [bob.id, []], [sam.id, []]]);
  t.true(ctx.audit.list({ action: 'queue.member_added' }).total === 3 && ctx.audit.list({ action: 'agent.queues_changed' }).total === 3);
});

test('agents: an agent who is not logged out cannot be deleted; a deleted one leaves its queues and frees its extension', async (t) => {
  const { ctx, f } = t.context;
  let state = 'ready';
  const { agents, queues, changes } = recordingServices(ctx, { stateOf: () => state });
  const q = queues.create(queueForm(), testActor);
  const a = await agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id) }, testActor);
  agents.memberships.add(q.id, { agentId: String(a.id) }, testActor);
  agents.setSkills(a.id, { [`level_${f.billing.id}`]: '3' }, testActor);
  t.throws(() => ctx.extensions.delete(f.desk.id, testActor), { instanceOf: ConflictError, message: /agent 201 \(ann\)/ });
  t.throws(() => agents.delete(a.id, testActor), { instanceOf: ConflictError, message: 'Agent 201 (ann) cannot be deleted while logged in (now ready): log the agent out first.' });
  state = 'wrap_up';
  t.throws(() => agents.delete(a.id, testActor), { instanceOf: ConflictError, message: /now wrap up/ });
  t.is(agents.list({}).total, 1);
  state = 'logged_out';
  changes.length = 0;
  agents.delete(a.id, testActor);
  t.deepEqual(changes, [{ kind: 'agent', id: a.id, removed: true }]);
  t.deepEqual(agents.memberships.of(q.id), []);
  ctx.skills.delete(f.billing.id, testActor);
  ctx.extensions.delete(f.desk.id, testActor);
  t.is(ctx.audit.list({ action: 'agent.deleted' }).total, 1);
});

test('agents: the runner saves each agent\'s routing state and reads all of them back', async (t) => {
  const { ctx, f } = t.context;
  const a = await ctx.agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id) }, testActor);
  const b = await ctx.agents.create({ userId: String(f.bob.id), number: '202', deviceKind: 'extension', extensionId: String(f.desk2.id) }, testActor);
  t.deepEqual(ctx.agents.states(), [a, b].map((x) => ({ agentId: x.id, state: 'logged_out', reason: null, since: 0, callId: null, legUuid: null })));
  ctx.agents.saveState(a.id, { state: 'talking', reason: null, since: 1767258000000, callId: 'c0ffee00-0000-4000-8000-000000000001', legUuid: 'c0ffee00-0000-4000-8000-000000000002' });
  ctx.agents.saveState(b.id, { state: 'not_ready', reason: 'Lunch', since: 1767258000001, callId: null, legUuid: null });
  t.deepEqual(ctx.agents.states(), [
    { agentId: a.id, state: 'talking', reason: null, since: 1767258000000, callId: 'c0ffee00-0000-4000-8000-000000000001', legUuid: 'c0ffee00-0000-4000-8000-000000000002' },
    { agentId: b.id, state: 'not_ready', reason: 'Lunch', since: 1767258000001, callId: null, legUuid: null },
  ]);
  t.is(ctx.audit.list({}).items.filter((e) => e.action.startsWith('agent.state')).length, 0, 'state is not configuration: it is not audited');
});

test('agents: the list filters by number, name and phone, and pages; the form offers users who are not agents yet', async (t) => {
  const { ctx, f } = t.context;
  await ctx.agents.create({ userId: String(f.ann.id), number: '201', deviceKind: 'extension', extensionId: String(f.desk.id) }, testActor);
  await ctx.agents.create({ userId: String(f.sam.id), number: '203', deviceKind: 'external', externalNumber: '+491701234567' }, testActor);
  t.is(ctx.agents.list({}).total, 2);
  t.deepEqual(ctx.agents.list({ q: 'SAM' }).items.map((a) => a.number), ['203']);
  t.deepEqual(ctx.agents.list({ q: '1001' }).items.map((a) => a.number), ['201']);
  t.deepEqual(ctx.agents.list({ q: '+49170' }).items.map((a) => a.number), ['203']);
  t.like(ctx.agents.list({ page: '1' }, 1), { total: 2, pages: 2, page: 1 });
  t.deepEqual(ctx.agents.list({ page: '2' }, 1).items.map((a) => a.number), ['203']);
  t.deepEqual(ctx.agents.userOptions().map((u) => u.username), ['bob'], 'admins and users who are agents already are not offered');
  const ann = ctx.agents.byUser(f.ann.id)!;
  t.deepEqual(ctx.agents.userOptions(ann.id).map((u) => u.username).sort(), ['ann', 'bob']);
  t.deepEqual(ctx.agents.options(), [{ id: ann.id, number: '201', name: 'ann' }, { id: ann.id + 1, number: '203', name: 'sam' }]);
});
