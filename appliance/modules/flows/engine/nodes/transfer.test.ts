import test from 'ava';
import { flow, lookups, node, sim } from '../testing.js';
import { transfer } from './transfer.js';

test('transfer: to an extension, and to an external number from a variable', async (t) => {
  const ext = await sim(flow([node('t', 'transfer', { target: 'extension', extensionId: 8 })]));
  t.deepEqual(ext.events.at(-1), { kind: 'transfer', to: { kind: 'extension', extension: '1008' } });
  const out = await sim(flow([node('s', 'set', { variable: 'cb', value: '+4930555' }, { next: 't' }), node('t', 'transfer', { target: 'external', number: '${cb}' })]));
  t.deepEqual(out.events.at(-1), { kind: 'transfer', to: { kind: 'external', number: '+4930555' } });
});

test('transfer: a variable that does not hold a plain number is never dialled: the call falls back', async (t) => {
  const r = await sim(flow([node('s', 'set', { variable: 'cb', value: '123 XML default' }, { next: 't' }), node('t', 'transfer', { target: 'external', number: '${cb}' })]));
  t.is(r.outcome, 'fallback');
  t.false(r.events.some((e) => e.kind === 'transfer'));
});

test('transfer: what it names must exist', (t) => {
  t.false(transfer.schema.safeParse({ target: 'extension' }).success);
  t.false(transfer.schema.safeParse({ target: 'external', number: '12; rm' }).success);
  t.deepEqual(Object.keys(transfer.check!(transfer.schema.parse({ target: 'flow', flowId: 9 }), lookups)), ['flowId']);
});
