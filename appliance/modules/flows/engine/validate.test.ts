import test from 'ava';
import { flow, lookups, node, say } from './testing.js';
import { fixedSpeech, validateFlow } from './validate.js';

test('validate: a complete flow has no problems', (t) => {
  t.deepEqual(validateFlow(flow([node('a', 'play', { prompt: { promptId: 1 } }, { next: 'b' }), node('b', 'hangup', {})]), lookups), []);
});

test('validate: says exactly where a flow is broken: unreachable nodes, open and dangling branches, prompts, bad URLs, settings', (t) => {
  const def = flow(
    [
      node('a', 'menu', { prompt: { promptId: 2 }, options: '1 x\n2 y' }, { 1: 'b', 2: 'gone' }),
      node('b', 'http', { method: 'GET', url: 'ftp://crm' }, {}),
      node('c', 'play', { prompt: { promptId: 9 } }, { next: 'a' }),
      node('d', 'transfer', { target: 'extension', extensionId: 99 }),
    ],
    { voice: 'cmn', language: 'en', noInput: { prompts: [], then: { action: 'node', node: 'nowhere' } } },
  );
  const problems = validateFlow(def, lookups).map((p) => `${p.node ?? '-'} ${p.field ?? '-'}: ${p.message}`);
  t.true(problems.some((p) => p.startsWith('a -: Prompt “rendering” is not ready')), problems.join('\n'));
  t.true(problems.some((p) => p.startsWith('a next_2: Branch “2 y” leads to a node that no longer exists')));
  t.true(problems.some((p) => p.startsWith('b url: URL: an http:// or https:// address')));
  t.true(problems.some((p) => p.startsWith('c -: Prompt #9 no longer exists')));
  t.true(problems.some((p) => p.startsWith('c -: No call can reach this node')));
  t.true(problems.some((p) => p.startsWith('d extensionId: That extension no longer exists')));
  t.true(problems.some((p) => p.startsWith('- voice: Choose a voice that speaks English')));
  t.true(problems.some((p) => p.startsWith('- noInputThen: The escalation goes to a node that no longer exists')));
  t.false(problems.some((p) => p.startsWith('a next_failure')), '"when tries run out" may stay open');
});

test('validate: a flow without nodes, or with a start that is gone, cannot be published', (t) => {
  t.regex(validateFlow(flow([]), lookups)[0]!.message, /no nodes/);
  t.is(validateFlow({ ...flow([node('a', 'hangup', {})]), start: 'zz' }, lookups).find((p) => p.field === 'start')?.message, 'Choose the node calls start at.');
});

test('fixed speech: the texts a flow says without variables, once each, for rendering at publish', (t) => {
  const def = flow([node('a', 'play', { prompt: say('Hello') }, { next: 'b' }), node('b', 'play', { prompt: say('Hi ${caller_number}') }, { next: 'c' }), node('c', 'hangup', { prompt: say('Hello') })]);
  t.deepEqual(fixedSpeech(def).sort(), ['Hello', 'Please listen to the choices and try again.', 'Please press a key on your phone.', 'Sorry, I did not hear anything.', 'Sorry, that is not one of the choices.']);
});
