import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestContext, testActor } from '../../test/make-test-context.js';

async function setup() {
  const c = await makeTestContext();
  const ext = c.extensions.create({ number: '1001', displayName: 'Reception', isEnabled: 'on', voicemailEnabled: 'on', voicemailPin: '482915' }, testActor).extension;
  const trunk = c.trunks.create({ name: 'Carrier A', authMode: 'ip', host: '203.0.113.10', port: '5060', transport: 'udp', allowedCidrs: '203.0.113.10', codecs: 'PCMU', dtmfMode: 'rfc2833', maxCalls: '5', isEnabled: 'on' }, testActor);
  const flow = c.flows.create({ name: 'Main line', fallbackKind: 'voicemail', fallbackExtensionId: String(ext.id) }, testActor);
  return { c, ext, trunk, flow };
}
const number = (trunkId: number, flowId: number) => ({ number: '+4930123456', trunkId: String(trunkId), isInbound: 'on', destinationKind: 'flow', destinationFlowId: String(flowId), isCallerId: 'on' });

test('flows: publishing makes an immutable version; editing changes only the draft; calls read the latest version', async (t) => {
  const { c, flow } = await setup();
  t.teardown(() => c.close());
  t.is(c.flows.latestPublished(flow.id), null);
  t.is(c.flows.publish(flow.id, testActor).version, 1);
  c.flows.updateNode(flow.id, 'n1', { name: 'Welcome', prompt_say: 'Hello again.', next_next: 'n2' }, testActor);
  t.deepEqual(c.flows.latestPublished(flow.id)!.definition.nodes[0]!.config, { prompt: { say: 'Welcome. Thank you for calling.' } }, 'the published version is untouched');
  t.true(c.flows.list()[0]!.isChanged);
  t.is(c.flows.publish(flow.id, testActor).version, 2);
  t.deepEqual(c.flows.latestPublished(flow.id)!.definition.nodes[0]!.config, { prompt: { say: 'Hello again.' } });
  t.throws(() => c.db.prepare("UPDATE flow_versions SET definition = '{}' WHERE version = 1").run(), { any: true, message: /cannot be changed/ });
  t.deepEqual(c.audit.list({}).items.map((e) => e.action).filter((a) => a.startsWith('flow.')).sort(), ['flow.created', 'flow.draft_changed', 'flow.published', 'flow.published']);
});

test('flows: a bad node form changes nothing; a flow with problems is not published', async (t) => {
  const { c, flow } = await setup();
  t.teardown(() => c.close());
  const before = c.flows.get(flow.id).draft;
  const err = t.throws(() => c.flows.updateNode(flow.id, 'n1', { name: '', prompt_say: '' }, testActor)) as unknown as { fields: Record<string, string> };
  t.truthy(err.fields.name);
  t.truthy(err.fields.prompt);
  t.deepEqual(c.flows.get(flow.id).draft, before);
  c.flows.addNode(flow.id, { kind: 'menu' }, testActor);
  const refused = t.throws(() => c.flows.publish(flow.id, testActor)) as unknown as { problems: { node: string | null }[] };
  t.true(refused.problems.some((p) => p.node === 'n3'));
  t.deepEqual(c.flows.versions(flow.id), []);
  t.throws(() => c.flows.addNode(flow.id, { kind: 'teleport' }, testActor), { code: 'flow.unknown_kind' });
});

test('numbers: a number runs a published flow; an unpublished one is refused; a flow in use cannot be deleted, nor what it uses', async (t) => {
  const { c, ext, trunk, flow } = await setup();
  t.teardown(() => c.close());
  const refused = t.throws(() => c.numbers.create(number(trunk.id, flow.id), testActor)) as unknown as { fields: Record<string, string> };
  t.regex(refused.fields.destinationFlowId!, /publish it first/);
  c.flows.publish(flow.id, testActor);
  const n = c.numbers.create(number(trunk.id, flow.id), testActor);
  t.is(n.destinationFlowId, flow.id);
  t.throws(() => c.flows.delete(flow.id, testActor), { code: 'flow.in_use', message: /number \+4930123456/ });
  // The flow's fallback is the extension's voicemail box: neither the extension nor its box can go.
  t.throws(() => c.extensions.delete(ext.id, testActor), { message: /flow Main line/ });
  t.deepEqual(c.numbers.exportCsv().split('\n')[1]!.split(',').slice(0, 3), ['+4930123456', 'Carrier A', 'flow Main line']);
});

test('confgen: a number bound to a flow parks its calls for the controller, and the flow\'s fallback is in the dialplan', async (t) => {
  const { c, ext, trunk, flow } = await setup();
  t.teardown(() => c.close());
  c.flows.publish(flow.id, testActor);
  c.numbers.create(number(trunk.id, flow.id), testActor);
  const r = await c.publisher.publish('test', 'test');
  t.is(r.status, 'applied', r.error ?? '');
  const conf = c.config.freeswitch.confDir;
  const pub = readFileSync(join(conf, 'dialplan', 'public.xml'), 'utf8');
  // Handlebars writes = as &#x3D;, which the XML parser reads back as =.
  const xml = (s: string) => s.replaceAll('&#x3D;', '=');
  t.regex(xml(pub), new RegExp(`set" data="callbox_flow_id=${flow.id}"/>\\s*<action application="set" data="callbox_dialed=\\$\\{destination_number\\}"/>\\s*<action application="transfer" data="enter XML callbox"/>`));
  const box = xml(readFileSync(join(conf, 'dialplan', 'callbox.xml'), 'utf8'));
  t.regex(box, new RegExp(`<extension name="flow_${flow.id}">\\s*<condition field="destination_number" expression="\\^flow_${flow.id}\\$">\\s*<action application="transfer" data="1001 XML callbox_voicemail"/>`));
  t.regex(box, /transfer" data="flow_\$\{callbox_flow_id\} XML callbox_fallback"/, 'the controller is away: the call goes to its flow\'s fallback');
  t.truthy(ext);
});

test('prompts: a library prompt a flow plays cannot be deleted', async (t) => {
  const { c, flow } = await setup();
  t.teardown(() => c.close());
  const p = await c.prompts.createSpeech({ name: 'Welcome', text: 'Welcome', voice: 'en-us', rate: '160', volume: '100' }, testActor);
  await c.prompts.idle();
  c.flows.updateNode(flow.id, 'n1', { name: 'Welcome', prompt_prompt: String(p.id), next_next: 'n2' }, testActor);
  t.deepEqual(c.flows.problems(flow.id), []);
  t.throws(() => c.prompts.delete(p.id, testActor), { message: /flow Main line/ });
});
