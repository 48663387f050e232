import test from 'ava';
import { flow, node, say, sim } from '../testing.js';
import { survey } from './survey.js';

test('survey: a score in range is kept on the call and thanked for; out of range asks again', async (t) => {
  const r = await sim(flow([node('q', 'survey', { prompt: say('Rate us 1 to 5'), thanks: say('Thank you') }, { next: 'e' }), node('e', 'hangup', {})]), { answers: ['7', '4'] });
  t.is(r.survey, '4');
  t.is(r.vars.survey, '4');
  t.true(r.events.some((e) => e.kind === 'play' && 'text' in e.audio && e.audio.text === 'Thank you'));
  t.false(survey.schema.safeParse({ prompt: say('x'), lowest: 5, highest: 1 }).success);
});
