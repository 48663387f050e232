import test from 'ava';
import { renderFlowGraph, type GraphInput, type GraphNode } from './graph.js';

const step = (id: string, targets: (string | null)[], over: Partial<GraphNode> = {}): GraphNode => ({
  id, name: `Step ${id}`, kindLabel: 'Play', summary: `Summary of ${id}`, error: false,
  branches: targets.map((target, i) => ({ name: String(i + 1), label: `Key ${i + 1}`, target })),
  ...over,
});

/** welcome → menu → (sales, support, hours); hours loops back to the menu; an old node nothing reaches. */
const ivr: GraphInput = {
  start: 'welcome',
  nodes: [
    step('old', ['menu']),
    step('welcome', ['menu']),
    step('menu', ['sales', 'support', 'hours', null], { kindLabel: 'Menu' }),
    step('sales', [], { kindLabel: 'Transfer' }),
    step('support', ['nowhere'], { kindLabel: 'Transfer' }),
    step('hours', ['menu']),
  ],
};

/** Top-left corner of each node's box, read back from the drawing. */
function boxes(svg: string): Map<string, { x: number; y: number }> {
  const out = new Map<string, { x: number; y: number }>();
  for (const m of svg.matchAll(/<a href="#node-([^"]*)"[^>]*><title>[^<]*<\/title><rect class="fg-box" x="([-\d.]+)" y="([-\d.]+)"/g)) {
    out.set(m[1]!, { x: Number(m[2]), y: Number(m[3]) });
  }
  return out;
}

/** A small well-formedness check: tags balance, attributes are quoted, and text holds no raw `<` or bare `&`. */
function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    const text = svg.slice(i, lt === -1 ? svg.length : lt);
    if (/&(?!(?:amp|lt|gt|quot|#\d+);)/.test(text)) throw new Error(`bare & in text: ${text}`);
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(svg);
    if (!m) throw new Error(`malformed tag at ${lt}: ${svg.slice(lt, lt + 60)}`);
    const [, close, name, , selfClose] = m;
    if (close) { if (stack.pop() !== name) throw new Error(`</${name!}> closes nothing open`); }
    else if (!selfClose) stack.push(name!);
    i = tag.lastIndex;
  }
  if (stack.length) throw new Error(`unclosed: ${stack.join(', ')}`);
}

test('graph: columns are BFS distances from the start, whatever the input order', (t) => {
  const b = boxes(renderFlowGraph(ivr));
  t.is(b.get('welcome')!.x, 0);
  t.true(b.get('menu')!.x > b.get('welcome')!.x);
  const col2 = ['sales', 'support', 'hours'].map((id) => b.get(id)!.x);
  t.deepEqual(new Set(col2).size, 1);
  t.true(col2[0]! > b.get('menu')!.x);
  // Within the column, the menu's key order: 1 above 2 above 3.
  t.true(b.get('sales')!.y < b.get('support')!.y && b.get('support')!.y < b.get('hours')!.y);
});

test('graph: nodes the start cannot reach stand in a last, labelled column', (t) => {
  const svg = renderFlowGraph(ivr);
  const b = boxes(svg);
  t.true([...b.entries()].filter(([id]) => id !== 'old').every(([, p]) => p.x < b.get('old')!.x));
  t.regex(svg, /class="fg-unreachable-label"[^>]*>NOT REACHABLE FROM THE START</);
  t.regex(svg, /aria-label="IVR flow: 6 steps, starting at Step welcome; 1 not reachable"/);
  t.notRegex(renderFlowGraph({ ...ivr, nodes: ivr.nodes.filter((n) => n.id !== 'old') }), /fg-unreachable/);
});

test('graph: a missing start leaves every node in the not-reachable column', (t) => {
  const svg = renderFlowGraph({ ...ivr, start: 'gone' });
  t.is(new Set([...boxes(svg).values()].map((p) => p.x)).size, 1);
  t.regex(svg, /starting at a missing step/);
  assertWellFormed(svg);
});

test('graph: a node is ordered by the barycenter of its parents, not by when BFS found it', (t) => {
  // BFS meets x first (a's first key), but x also hangs off b: w (a's second key) belongs above it.
  const svg = renderFlowGraph({
    start: 's',
    nodes: [step('s', ['a', 'b']), step('a', ['x', 'w']), step('b', ['y', 'x']), step('x', []), step('w', []), step('y', [])],
  });
  const b = boxes(svg);
  t.true(b.get('w')!.y < b.get('x')!.y && b.get('x')!.y < b.get('y')!.y);
});

test('graph: an unconnected branch is a dashed stub with a "?", a branch to no such step is an error stub', (t) => {
  const svg = renderFlowGraph(ivr);
  t.is(svg.match(/<g class="fg-stub">/g)?.length, 1);
  t.regex(svg, /<title>Step menu: Key 4 is not connected<\/title>/);
  t.regex(svg, /class="fg-stub-mark"[^>]*>\?</);
  t.is(svg.match(/<g class="fg-stub fg-stub-bad">/g)?.length, 1);
  t.regex(svg, /Key 1 goes to “nowhere”, which is not a step of this flow/);
  t.regex(svg, /class="fg-port-note fg-port-bad"[^>]*>missing nowhere</);
});

test('graph: a loop back to an earlier column is drawn around the boxes, above or below them all', (t) => {
  const svg = renderFlowGraph(ivr);
  const loop = /<path class="fg-edge" d="([^"]+)"[^>]*><title>Step hours: Key 1 → Step menu<\/title>/.exec(svg);
  t.truthy(loop);
  const ys = [...loop![1]!.matchAll(/V([-\d.]+)/g)].map((m) => Number(m[1]));
  const tops = [...boxes(svg).values()].map((p) => p.y);
  const lane = ys[0]!;
  t.true(lane < Math.min(...tops) || lane > Math.max(...tops) + 60, `lane at ${lane}`);
  // Forward edges are single curves.
  t.regex(svg, /<path class="fg-edge" d="M[-\d.]+,[-\d.]+ C[^"]+"[^>]*><title>Step welcome: Key 1 → Step menu</);
});

test('graph: an edge within one column turns back into the right side of its target', (t) => {
  const svg = renderFlowGraph({ start: 's', nodes: [step('s', ['a', 'b']), step('a', ['b']), step('b', [])] });
  const b = boxes(svg);
  t.is(b.get('a')!.x, b.get('b')!.x);
  const d = /d="([^"]+)"[^>]*><title>Step a: Key 1 → Step b</.exec(svg)![1]!;
  t.regex(d, /H([-\d.]+)$/);
  t.true(Number(/H([-\d.]+)$/.exec(d)![1]) > b.get('b')!.x + 200, 'ends on the right edge');
});

test('graph: a self-loop is drawn and stays well formed', (t) => {
  const svg = renderFlowGraph({ start: 's', nodes: [step('s', ['s'])] });
  t.regex(svg, /<title>Step s: Key 1 → Step s<\/title>/);
  assertWellFormed(svg);
});

test('graph: the simulated path is emphasised, nodes numbered in order and consecutive edges highlighted', (t) => {
  const svg = renderFlowGraph({ ...ivr, highlight: ['welcome', 'menu', 'hours', 'menu', 'sales', 'ghost'] });
  for (const id of ['welcome', 'menu', 'hours', 'sales']) t.regex(svg, new RegExp(`<a href="#node-${id}" class="[^"]*\\bfg-hl\\b`));
  t.notRegex(svg, /<a href="#node-support" class="[^"]*fg-hl/);
  const hl = [...svg.matchAll(/class="fg-edge fg-edge-hl"[^>]*marker-end="url\(#fg-arrow-hl\)"><title>([^<]*)</g)].map((m) => m[1]);
  t.deepEqual(hl.sort(), ['Step hours: Key 1 → Step menu', 'Step menu: Key 1 → Step sales', 'Step menu: Key 3 → Step hours',
    'Step welcome: Key 1 → Step menu']);
  t.regex(svg, /class="fg-badge-step"[^>]*\/><text class="fg-badge-text"[^>]*>2, 4</);
  assertWellFormed(svg);
});

test('graph: user text is escaped everywhere, including ids, labels and control characters', (t) => {
  const hostile = `<script>alert("x")</script> & 'q' \u0007`;
  const svg = renderFlowGraph({
    start: 'a"<',
    nodes: [
      { id: 'a"<', name: hostile, kindLabel: hostile, summary: hostile, error: true,
        branches: [{ name: '1', label: hostile, target: `x&"y` }, { name: '2', label: hostile, target: null }] },
    ],
    highlight: ['a"<'],
  });
  t.false(svg.includes('<script'));
  t.false(svg.includes('\u0007'));
  t.true(svg.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;'));
  t.true(svg.includes('href="#node-a&quot;&lt;"'));
  assertWellFormed(svg);
});

test('graph: long text is cut with an ellipsis, the full summary stays in the hover title', (t) => {
  const summary = 'Say: Welcome to Acme Widgets, the finest widgets in the whole of the northern hemisphere since 1887.';
  const svg = renderFlowGraph({ start: 'a', nodes: [step('a', [], { summary })] });
  t.regex(svg, /class="fg-summary"[^>]*>Say: Welcome[^<]*…</);
  t.true(svg.includes(`<title>Play: Step a\n${summary}</title>`));
});

test('graph: a node with a problem is drawn as an error and counted in the label', (t) => {
  const svg = renderFlowGraph({ start: 'a', nodes: [step('a', ['b']), step('b', [], { error: true })] });
  t.regex(svg, /<a href="#node-b" class="fg-node fg-kind-play fg-error">/);
  t.regex(svg, /class="fg-badge-error"/);
  t.regex(svg, /aria-label="IVR flow: 2 steps, starting at Step a; 1 problem"/);
});

test('graph: nodes without branches, and a flow without nodes, still draw', (t) => {
  const one = renderFlowGraph({ start: 'a', nodes: [step('a', [], { kindLabel: 'Hang up' })] });
  t.regex(one, /fg-kind-hangup fg-start/);
  t.notRegex(one, /fg-port|fg-edge"|fg-sep/);
  assertWellFormed(one);
  const none = renderFlowGraph({ start: 'a', nodes: [] });
  t.regex(none, /^<svg [^>]*role="img" aria-label="Empty flow">/);
  assertWellFormed(none);
});

test('graph: the svg has a viewBox, a size from the layout, role and label; every box links to its form', (t) => {
  const svg = renderFlowGraph(ivr);
  const m = /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="flow-graph" viewBox="([-\d.]+) ([-\d.]+) (\d+) (\d+)" width="(\d+)" height="(\d+)" role="img" aria-label="[^"]+">/.exec(svg);
  t.truthy(m);
  t.is(m![3], m![5]);
  t.is(m![4], m![6]);
  t.true(Number(m![3]) > 3 * 220);
  t.deepEqual([...boxes(svg).keys()].sort(), ivr.nodes.map((n) => n.id).sort());
  t.regex(svg, /<marker id="fg-arrow"/);
  assertWellFormed(svg);
});

test('graph: the same input draws the same picture', (t) => {
  const a = renderFlowGraph(ivr);
  t.is(renderFlowGraph(structuredClone(ivr)), a);
  t.is(renderFlowGraph(ivr), a);
});

/** A big flow: each step has 1–5 branches, mostly to later steps, some loops and dangling ends; seeded, so fixed. */
function bigFlow(count: number): GraphInput {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const nodes = Array.from({ length: count }, (_, i) => {
    const targets = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => {
      const r = rand();
      return r < 0.05 ? null : r < 0.1 ? `n${Math.floor(rand() * count)}` : `n${Math.min(count - 1, i + 1 + Math.floor(rand() * 12))}`;
    });
    return step(`n${i}`, targets, { kindLabel: ['Menu', 'Play', 'HTTP request', 'Transfer'][i % 4]! });
  });
  return { start: 'n0', nodes, highlight: ['n0', 'n1', 'n2'] };
}

test('graph: 200 nodes draw in well under a quarter of a second, without overlapping boxes', (t) => {
  const g = bigFlow(200);
  let svg = '';
  let ms = Infinity;
  // The best of a few runs: the first ones pay for the JIT, and other test files share the machine.
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    svg = renderFlowGraph(g);
    ms = Math.min(ms, performance.now() - t0);
  }
  // About 25 ms on an idle core; the bound is loose because the whole suite shares the machine, and it still
  // catches a layout that turned quadratic.
  t.true(ms < 250, `${ms.toFixed(1)} ms`);
  t.log(`200 nodes: ${ms.toFixed(1)} ms, ${Math.round(svg.length / 1024)} KiB`);
  assertWellFormed(svg);
  const heights = new Map(g.nodes.map((n) => [n.id, n.branches.length ? 60 + n.branches.length * 20 + 6 : 58]));
  const byCol = new Map<number, { y: number; h: number }[]>();
  for (const [id, p] of boxes(svg)) byCol.set(p.x, [...(byCol.get(p.x) ?? []), { y: p.y, h: heights.get(id)! }]);
  for (const col of byCol.values()) {
    col.sort((a, b) => a.y - b.y);
    col.slice(1).forEach((b, i) => t.true(b.y >= col[i]!.y + col[i]!.h, 'boxes in one column do not overlap'));
  }
});
