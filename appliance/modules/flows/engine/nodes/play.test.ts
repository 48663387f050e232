import test from 'ava';
import { flow, node, say, sim } from '../testing.js';
import { play } from './play.js';

test('play: a library prompt or text with variables filled in (an unset one is silent)', async (t) => {
  const r = await sim(flow([node('a', 'play', { prompt: { promptId: 1 } }, { next: 'b' }), node('b', 'play', { prompt: say('Hello ${caller_number}${nothing}.') }, { next: 'c' }), node('c', 'hangup', {})]));
  t.deepEqual(r.events.slice(0, 2), [
    { kind: 'play', audio: { promptId: 1 } },
    { kind: 'play', audio: { text: 'Hello +4930111.', voice: 'en-us', rate: 160, volume: 100 } },
  ]);
});

test('play: a prompt is required', (t) => {
  t.false(play.schema.safeParse({ prompt: null }).success);
  t.false(play.schema.safeParse({ prompt: { say: '  ' } }).success);
});
