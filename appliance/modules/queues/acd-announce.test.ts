import test from 'ava';
import { announcement } from './acd-announce.js';
import { PAGE_CLOSED, PageWatch } from './acd-pages.js';
import { acdWorld } from './testing/acd-world.js';

const C1 = '11111111-1111-4111-8111-111111111111';
const C2 = '22222222-2222-4222-8222-222222222222';
const AGENTS = [
  { id: 1, name: 'Ann', extension: '1001' },
  { id: 2, name: 'Bob', extension: '1002' },
];

test('an announcement plays the queue prompt, then says the position and the expected wait shared among the agents logged in', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS, media: { announcePromptId: 7, announcePosition: true, announceWait: true } });
  const said: string[] = [];
  const speaker = { fileOf: (id: number) => `/sounds/prompt-${id}.wav`, speak: async (text: string) => (said.push(text), `/sounds/tts/${said.length}.wav`) };
  await w.caller(C1);
  await w.caller(C2);
  // Nobody logged in: no estimate is better than a wrong one.
  t.deepEqual(await announcement(w.runner, C2, w.source, speaker), ['/sounds/prompt-7.wav', '/sounds/tts/1.wav']);
  t.is(said[0], 'You are number 2 in line.');
  // Two agents logged in (their phones away, so nobody is offered): 2 callers × 180 s each / 2 agents = 3 minutes.
  w.register('1001', false);
  w.register('1002', false);
  w.runner.login(1, 'test');
  w.runner.login(2, 'test');
  await announcement(w.runner, C1, w.source, speaker);
  t.is(said[1], 'You are next in line. Your expected wait is about 2 minutes.');
  await announcement(w.runner, C2, w.source, speaker);
  t.is(said[2], 'You are number 2 in line. Your expected wait is about 3 minutes.');
  t.deepEqual(await announcement(w.runner, 'gone', w.source, speaker), [], 'a caller no longer waiting hears nothing');
});

test('a browser-phone agent whose workbench page is gone past the grace time is set not ready; a page back in time keeps them ready', async (t) => {
  const w = await acdWorld(t, { agents: AGENTS });
  w.runner.login(1, 'test');
  w.runner.login(2, 'test');
  const pages = new PageWatch({ runner: w.runner, usesBrowserPhone: (id) => id === 1, graceMs: 20 });
  pages.opened(1);
  pages.closed(1);
  pages.opened(1);
  pages.opened(2);
  pages.closed(2);
  await new Promise((r) => setTimeout(r, 60));
  t.is(w.state(1), 'ready', 'the page came back within the grace time');
  t.is(w.state(2), 'ready', 'a desk-phone agent may close the page');
  pages.closed(1);
  await new Promise((r) => setTimeout(r, 60));
  t.is(w.state(1), 'not_ready');
  t.is(w.runner.acd.agent(1)?.reason, PAGE_CLOSED);
});
