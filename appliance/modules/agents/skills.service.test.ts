import anyTest, { type TestFn } from 'ava';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { makeTestContext, testActor, type TestContext } from '../../test/make-test-context.js';

const test = anyTest as TestFn<TestContext>;
test.beforeEach(async (t) => {
  t.context = await makeTestContext();
});
test.afterEach.always((t) => t.context.close());

test('skills: added, renamed and described, listed by name with what uses them; names are unique in any case', (t) => {
  const { skills, audit } = t.context;
  const billing = skills.create({ name: ' Billing ', description: 'Invoices and refunds' }, testActor);
  const spanish = skills.create({ name: 'Spanish' }, testActor);
  t.like(billing, { name: 'Billing', description: 'Invoices and refunds' });
  t.throws(() => skills.create({ name: 'spanish' }, testActor), { instanceOf: ValidationError, message: 'Some fields need attention.' });
  const e = t.throws(() => skills.create({ name: '', description: 'x'.repeat(301) }, testActor), { instanceOf: ValidationError });
  t.deepEqual(Object.keys(e.fields).sort(), ['description', 'name']);
  t.throws(() => skills.update(spanish.id, { name: 'BILLING' }, testActor), { instanceOf: ValidationError });
  t.like(skills.update(spanish.id, { name: 'Español', description: 'Spanish-speaking callers' }, testActor), { name: 'Español' });
  t.deepEqual(skills.list().map((s) => [s.name, s.usedBy]), [['Billing', []], ['Español', []]]);
  t.is(skills.nameOf(spanish.id), 'Español');
  t.is(skills.nameOf(999), null);
  t.throws(() => skills.get(999), { instanceOf: NotFoundError });
  t.deepEqual(audit.list({ action: 'skill.updated' }).items.map((a) => a.summary), ['updated skill Español (was Spanish)']);
});

test('skills: a skill a queue requires or an agent has cannot be deleted; the refusal names them', async (t) => {
  const ctx = t.context;
  const s = ctx.skills.create({ name: 'Billing' }, testActor);
  const q = ctx.queues.create({ name: 'Invoices', skillId: String(s.id) }, testActor);
  const user = await ctx.addUser('ann', 'agent');
  const agent = await ctx.agents.create({ userId: String(user.id), number: '201', deviceKind: 'external', externalNumber: '+491701234567' }, testActor);
  ctx.agents.setSkills(agent.id, { [`level_${s.id}`]: '4' }, testActor);
  t.throws(() => ctx.skills.delete(s.id, testActor), { instanceOf: ConflictError, message: 'Skill Billing cannot be deleted: queue Invoices, agent 201 (ann) use it.' });
  t.deepEqual(ctx.skills.list()[0]!.usedBy, ['queue Invoices', 'agent 201 (ann)']);
  ctx.queues.update(q.id, { name: 'Invoices' }, testActor);
  ctx.agents.setSkills(agent.id, {}, testActor);
  ctx.skills.delete(s.id, testActor);
  t.deepEqual(ctx.skills.list(), []);
  t.is(ctx.audit.list({ action: 'skill.deleted' }).total, 1);
});
