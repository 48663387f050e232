import test from 'ava';
import { runFlow, CallEnded } from './engine.js';
import { flow, lookups, node, say, scenario, sim } from './testing.js';
import { SimulatedCall } from '../simulator.js';

const menu = (next: Record<string, string>, extra: Record<string, unknown> = {}) => node('m', 'menu', { prompt: say('Press 1 or 2'), options: '1 Sales\n2 Support', timeoutSeconds: 5, tries: 3, ...extra }, next);
const bye = node('bye', 'hangup', { prompt: say('Goodbye') });

test('a path through play, menu and transfer is recorded step by step with digits and what played', async (t) => {
  const r = await sim(flow([node('w', 'play', { prompt: say('Welcome ${caller_number}') }, { next: 'm' }), menu({ 1: 't', 2: 'bye' }), node('t', 'transfer', { target: 'extension', extensionId: 7 }), bye]), { answers: ['1'] });
  t.is(r.outcome, 'transfer');
  t.deepEqual(r.steps.map((s) => [s.node, s.branch]), [['w', 'next'], ['m', '1'], ['t', null]]);
  t.deepEqual(r.steps[0]!.played, ['Welcome +4930111']);
  t.deepEqual(r.steps[1]!.digits, ['1']);
  t.deepEqual(r.events.at(-1), { kind: 'transfer', to: { kind: 'extension', extension: '1007' } });
});

test('no input: the escalation prompts play in turn, then the flow-wide action (fallback) runs', async (t) => {
  const r = await sim(flow([menu({ 1: 'bye', 2: 'bye' }), bye]), { answers: ['', '', ''] });
  t.is(r.outcome, 'fallback');
  const plays = r.events.filter((e) => e.kind === 'play').map((e) => ('text' in e.audio ? e.audio.text : ''));
  t.deepEqual(plays, ['Sorry, I did not hear anything.', 'Please press a key on your phone.']);
  t.is(r.events.filter((e) => e.kind === 'ask').length, 3);
  t.regex(r.detail, /no input: fallback/);
});

test('no match uses the node\'s own prompt when it has one, and the escalation can go to a node or hang up', async (t) => {
  const toNode = await sim(flow([menu({ 1: 'bye', 2: 'bye' }, { tries: 2, noMatchPrompt: say('Only 1 or 2') }), bye], { noMatch: { prompts: [], then: { action: 'node', node: 'bye' } } }), { answers: ['9', '8'] });
  t.is(toNode.outcome, 'hangup');
  t.deepEqual(toNode.steps.map((s) => s.node), ['m', 'bye']);
  t.true(toNode.events.some((e) => e.kind === 'play' && 'text' in e.audio && e.audio.text === 'Only 1 or 2'));
  const hang = await sim(flow([menu({ 1: 'bye', 2: 'bye' }, { tries: 1 }), bye], { noMatch: { prompts: [], then: { action: 'hangup' } } }), { answers: ['9'] });
  t.is(hang.outcome, 'hangup');
  t.deepEqual(hang.events.at(-1), { kind: 'hangup' });
});

test('a connected "when tries run out" branch wins over the flow-wide escalation', async (t) => {
  const r = await sim(flow([menu({ 1: 'bye', 2: 'bye', failure: 'vm' }, { tries: 1 }), bye, node('vm', 'voicemail', { extensionId: 7 })]), { answers: [''] });
  t.is(r.outcome, 'voicemail');
  t.is(r.steps[0]!.branch, 'failure');
});

test('the loop guard sends a call that goes round too often to the fallback', async (t) => {
  const r = await sim(flow([node('a', 'set', { variable: 'x', value: '1' }, { next: 'b' }), node('b', 'play', { prompt: say('again') }, { next: 'a' })], { maxSteps: 7 }));
  t.is(r.outcome, 'fallback');
  t.is(r.steps.length, 7);
  t.regex(r.detail, /more than 7 steps/);
});

test('a node that fails, or a branch that leads nowhere, falls back instead of leaving the caller in silence', async (t) => {
  const broken = await sim(flow([node('t', 'transfer', { target: 'extension', extensionId: 99 })]));
  t.is(broken.outcome, 'fallback');
  t.regex(broken.detail, /transfer t failed: extension #99 no longer exists/);
  t.deepEqual(broken.events.at(-1), { kind: 'fallback', reason: broken.detail });
  const dangling = await sim(flow([node('p', 'play', { prompt: say('hi') }, {})]));
  t.is(dangling.outcome, 'fallback');
  t.regex(dangling.detail, /not connected/);
  const badConfig = await sim(flow([node('p', 'play', { prompt: null }, { next: 'p' })]));
  t.is(badConfig.outcome, 'fallback');
});

test('transfer to another flow continues in that flow\'s published version and counts its steps', async (t) => {
  const second = flow([node('s', 'hangup', { prompt: say('second flow') })]);
  const r = await sim(flow([node('t', 'transfer', { target: 'flow', flowId: 2 })]), {}, { 2: second });
  t.is(r.outcome, 'hangup');
  t.deepEqual(r.steps.map((s) => s.node), ['t', 's']);
  const unpublished = await sim(flow([node('t', 'transfer', { target: 'flow', flowId: 3 })]));
  t.is(unpublished.outcome, 'fallback');
});

test('a caller who hangs up ends the run without a fallback', async (t) => {
  const call = new SimulatedCall(scenario());
  call.collect = async () => {
    throw new CallEnded('gone');
  };
  const r = await runFlow(flow([menu({ 1: 'm', 2: 'm' })]), call, { flowId: 1, vars: {}, lookups, loadFlow: () => null });
  t.is(r.outcome, 'caller_hangup');
  t.false(call.events.some((e) => e.kind === 'fallback'));
});

test('each finished step is reported as it happens, with the variables so far', async (t) => {
  const seen: string[] = [];
  await runFlow(flow([node('a', 'set', { variable: 'x', value: 'v' }, { next: 'b' }), node('b', 'hangup', {})]), new SimulatedCall(scenario()), { flowId: 1, vars: {}, lookups, loadFlow: () => null, onStep: (s, v) => seen.push(`${s.node}:${v.x ?? ''}`) });
  t.deepEqual(seen, ['a:v', 'b:v']);
});
