import test from 'ava';
import { flow, node, say, sim } from '../testing.js';

test('hang up: says goodbye, then ends the call', async (t) => {
  const r = await sim(flow([node('h', 'hangup', { prompt: say('Goodbye') })]));
  t.is(r.outcome, 'hangup');
  t.deepEqual(r.events.map((e) => e.kind), ['play', 'hangup']);
});
