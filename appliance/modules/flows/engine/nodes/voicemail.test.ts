import test from 'ava';
import { flow, lookups, node, sim } from '../testing.js';
import { voicemail } from './voicemail.js';

test('voicemail: leaves the call in the extension\'s box; an extension without one is refused', async (t) => {
  const r = await sim(flow([node('v', 'voicemail', { extensionId: 7 })]));
  t.is(r.outcome, 'voicemail');
  t.deepEqual(r.events.at(-1), { kind: 'voicemail', extension: '1007' });
  t.deepEqual(Object.keys(voicemail.check!(voicemail.schema.parse({ extensionId: 8 }), lookups)), ['extensionId']);
});
