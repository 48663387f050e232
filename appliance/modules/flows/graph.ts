// Draws an IVR flow as one SVG string on the server: no client library, no layout engine, no DOM.
// Layers run left to right: a menu's ten branches then stack down the next column, each leaving from its own
// labelled port on the box's right edge, where a top-down drawing of the same menu grows very wide.
// Layers are BFS distances from the start, so every forward edge joins adjacent columns and only crosses the
// empty gap between them. Loops back go around the outside of the drawing in lanes; an edge within one column
// turns back into its target's right side.
// Colours live in web/static/css/app.css ("Flow graph"): the console's CSP forbids inline styles. Geometry and
// font sizes live here, because truncation has to estimate text widths.
// One file over 300 lines: layout and drawing share one set of box measurements, split they would be two halves.

export interface GraphNode {
  id: string;
  name: string;
  kindLabel: string;
  summary: string;
  branches: { name: string; label: string; target: string | null }[];
  error: boolean;
}
export interface GraphInput { start: string; nodes: GraphNode[]; highlight?: string[] }

const NODE_W = 220;
const HEAD_H = 60; // kind, name and summary lines; branch rows follow
const ROW_H = 20;
const GAP_Y = 24;
const ENTRY_DY = 30; // where edges arrive, below the box's top: level with the name
const BASE_GAP_X = 100;
const LANE = 8; // spacing of parallel routed lines
const MARGIN = 16;
const FONT = { kind: 10.5, name: 14, summary: 12, port: 12, note: 11, badge: 10 } as const;

interface Box { node: GraphNode; col: number; x: number; y: number; h: number }
interface Link { from: Box; port: number; to: Box; isHighlighted: boolean; entryY: number }
interface Around extends Link { isSide: boolean; isAbove: boolean; lane: number; out: number; in: number }

/** Renders the flow as a complete `<svg>` element; every piece of user text is escaped. */
export function renderFlowGraph(g: GraphInput): string {
  const byId = new Map<string, GraphNode>();
  for (const n of g.nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  if (byId.size === 0) {
    return '<svg xmlns="http://www.w3.org/2000/svg" class="flow-graph" viewBox="0 0 240 40" width="240" height="40"'
      + ' role="img" aria-label="Empty flow">'
      + `<text class="fg-empty" x="8" y="24" font-size="${FONT.name}">No steps yet</text></svg>`;
  }
  const { cols, reachable } = layer(g.start, byId);
  orderColumns(cols, reachable, byId);
  const boxes = place(cols, reachable);
  const path = (g.highlight ?? []).filter((id) => byId.has(id));
  const steps = new Map<string, number[]>();
  path.forEach((id, i) => add(steps, id, i + 1));
  const hlPairs = new Set(path.slice(1).map((id, i) => `${path[i]!}\n${id}`));

  const forward: Link[] = [];
  const around: Around[] = [];
  const stubs: { from: Box; port: number; target: string | null }[] = [];
  for (const from of boxes.values()) {
    from.node.branches.forEach((b, port) => {
      const to = b.target === null ? undefined : boxes.get(b.target);
      if (!to) { stubs.push({ from, port, target: b.target }); return; }
      const link = { from, port, to, isHighlighted: hlPairs.has(`${from.node.id}\n${to.node.id}`), entryY: 0 };
      if (from.col < reachable && to.col === from.col + 1) forward.push(link);
      else around.push({ ...link, isSide: to.col === from.col, isAbove: true, lane: 0, out: 0, in: 0 });
    });
  }
  const all = [...boxes.values()];
  const top = Math.min(...all.map((b) => b.y)) - (reachable < cols.length ? 40 : 18);
  const bottom = Math.max(...all.map((b) => b.y + b.h)) + (reachable < cols.length ? 18 : 8);
  const lanesAbove = routeAround(around, (top + bottom) / 2);
  const laneY = (a: Around) => (a.isAbove ? top - 18 - a.lane * LANE : bottom + 18 + a.lane * LANE);
  spreadEntries(forward, around, laneY);

  const outs = cols.map((_, c) => around.filter((a) => a.from.col === c).length);
  const ins = cols.map((_, c) => around.filter((a) => a.to.col === c && !a.isSide).length);
  const colX: number[] = [0];
  for (let c = 1; c < cols.length; c++) {
    colX.push(colX[c - 1]! + NODE_W + Math.max(BASE_GAP_X, 44 + LANE * outs[c - 1]! + 40 + LANE * ins[c]!));
  }
  for (const b of all) b.x = colX[b.col]!;

  const minX = -Math.max(8, 24 + LANE * ins[0]!) - MARGIN;
  const maxX = colX.at(-1)! + NODE_W + Math.max(40, 44 + LANE * outs.at(-1)!) + MARGIN;
  const minY = top - 18 - Math.max(0, lanesAbove - 1) * LANE - MARGIN;
  const lanesBelow = around.filter((a) => !a.isSide).length - lanesAbove;
  const maxY = bottom + 18 + Math.max(0, lanesBelow - 1) * LANE + MARGIN;
  const w = Math.round(maxX - minX);
  const h = Math.round(maxY - minY);

  const unreachable = reachable < cols.length ? cols.length - reachable : 0;
  const problems = all.filter((b) => b.node.error).length;
  const label = `IVR flow: ${plural(all.length, 'step')}, starting at ${byId.get(g.start)?.name ?? 'a missing step'}`
    + (unreachable ? `; ${cols.at(-1)!.length} not reachable` : '') + (problems ? `; ${plural(problems, 'problem')}` : '');
  const isStep = (id: string) => byId.has(id);
  const edgeSvg = (hl: boolean) =>
    forward.filter((f) => f.isHighlighted === hl).map(drawForward).join('')
    + around.filter((a) => a.isHighlighted === hl).map((a) => drawAround(a, laneY(a))).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="flow-graph" viewBox="${minX} ${Math.round(minY)} ${w} ${h}"`
    + ` width="${w}" height="${h}" role="img" aria-label="${esc(label)}">`
    + '<defs>' + marker('fg-arrow', 'fg-arrowhead') + marker('fg-arrow-hl', 'fg-arrowhead fg-arrowhead-hl') + '</defs>'
    + (unreachable ? drawUnreachable(colX[reachable]!, top, bottom) : '')
    + `<g class="fg-edges">${edgeSvg(false)}</g>`
    + `<g class="fg-edges fg-edges-hl">${edgeSvg(true)}</g>`
    + `<g class="fg-stubs">${stubs.map((s) => drawStub(s.from, s.port, s.target)).join('')}</g>`
    + `<g class="fg-nodes">${all.map((b) => drawNode(b, b.node.id === g.start, steps.get(b.node.id), isStep)).join('')}</g>`
    + '</svg>';
}

// ---- layout ----

/** BFS from the start; what the start cannot reach goes in one last column, which the admin must see. */
function layer(start: string, byId: Map<string, GraphNode>): { cols: GraphNode[][]; reachable: number } {
  const dist = new Map<string, number>();
  const cols: GraphNode[][] = [];
  const first = byId.get(start);
  const queue = first ? [first] : [];
  if (first) dist.set(first.id, 0);
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i]!;
    const d = dist.get(n.id)!;
    (cols[d] ??= []).push(n);
    for (const b of n.branches) {
      const t = b.target === null ? undefined : byId.get(b.target);
      if (t && !dist.has(t.id)) { dist.set(t.id, d + 1); queue.push(t); }
    }
  }
  const reachable = cols.length;
  const rest = [...byId.values()].filter((n) => !dist.has(n.id));
  if (rest.length) cols.push(rest);
  return { cols, reachable };
}

/**
 * Barycenter sweeps (down, up, down) over forward edges. A parent's position counts its port too, so the
 * children of one menu keep the order of its keys. Sorts are stable on the previous order: deterministic.
 */
function orderColumns(cols: GraphNode[][], reachable: number, byId: Map<string, GraphNode>): void {
  const col = new Map<string, number>();
  const pos = new Map<string, number>();
  cols.forEach((ns, c) => ns.forEach((n, i) => { col.set(n.id, c); pos.set(n.id, i); }));
  const parents = new Map<string, { id: string; frac: number }[]>();
  const children = new Map<string, string[]>();
  for (const n of byId.values()) {
    n.branches.forEach((b, i) => {
      const c = col.get(n.id)!;
      if (b.target === null || col.get(b.target) !== c + 1 || c + 1 >= reachable) return;
      add(parents, b.target, { id: n.id, frac: (i + 1) / (n.branches.length + 1) });
      add(children, n.id, b.target);
    });
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : undefined);
  const sort = (c: number, key: (n: GraphNode) => number | undefined) => {
    const keyed = cols[c]!.map((n, i) => ({ n, i, k: key(n) ?? i }));
    keyed.sort((a, b) => a.k - b.k || a.i - b.i);
    cols[c] = keyed.map((e) => e.n);
    cols[c].forEach((n, i) => pos.set(n.id, i));
  };
  const down = (n: GraphNode) => mean((parents.get(n.id) ?? []).map((p) => pos.get(p.id)! + p.frac));
  const up = (n: GraphNode) => mean((children.get(n.id) ?? []).map((id) => pos.get(id)!));
  for (let c = 1; c < reachable; c++) sort(c, down);
  for (let c = reachable - 2; c >= 1; c--) sort(c, up);
  for (let c = 1; c < reachable; c++) sort(c, down);
}

function place(cols: GraphNode[][], reachable: number): Map<string, Box> {
  const boxes = new Map<string, Box>();
  let prev: Box[] = [];
  cols.forEach((ns, c) => {
    const hs = ns.map(nodeHeight);
    let want: number[];
    if (c === 0 || c >= reachable) {
      const y0 = c === 0 ? 0 : Math.min(...[...boxes.values()].map((b) => b.y));
      want = hs.map((_, i) => y0 + hs.slice(0, i).reduce((s, h) => s + h + GAP_Y, 0));
    } else {
      // Each box wants its arrival point level with the ports that lead to it.
      const ports = new Map<string, number[]>();
      for (const b of prev) {
        b.node.branches.forEach((br, i) => { if (br.target !== null) add(ports, br.target, portY(b, i)); });
      }
      want = ns.map((n) => {
        const ys = ports.get(n.id) ?? [];
        return ys.reduce((s, y) => s + y, 0) / Math.max(1, ys.length) - ENTRY_DY;
      });
    }
    prev = pack(hs, want).map((y, i) => ({ node: ns[i]!, col: c, x: 0, y, h: hs[i]! }));
    for (const b of prev) boxes.set(b.node.id, b);
  });
  return boxes;
}

/**
 * Tops as close as possible (least squares) to the wanted ones, in order, without overlaps: adjacent
 * violators are merged into blocks that sit at their members' mean.
 */
function pack(hs: number[], want: number[]): number[] {
  interface Block { first: number; n: number; sum: number; height: number; top: number }
  const blocks: Block[] = [];
  hs.forEach((h, i) => {
    let b: Block = { first: i, n: 1, sum: want[i]!, height: h, top: want[i]! };
    for (let prev = blocks.at(-1); prev && prev.top + prev.height + GAP_Y > b.top; prev = blocks.at(-1)) {
      blocks.pop();
      const shift = prev.height + GAP_Y;
      const sum = prev.sum + b.sum - b.n * shift;
      b = { first: prev.first, n: prev.n + b.n, sum, height: shift + b.height, top: sum / (prev.n + b.n) };
    }
    blocks.push(b);
  });
  const ys: number[] = [];
  for (const b of blocks) {
    let y = b.top;
    for (let i = b.first; i < b.first + b.n; i++) { ys.push(y); y += hs[i]! + GAP_Y; }
  }
  return ys;
}

/**
 * Loops and same-column edges leave their port to the right, run in a lane above or below every box and come
 * back down the gap left of their target. Shorter spans get the inner lanes and verticals, so nested loops do
 * not cross each other. Returns how many lanes went above.
 */
function routeAround(around: Around[], midY: number): number {
  around.sort((a, b) => a.from.col - a.to.col - (b.from.col - b.to.col) || a.from.col - b.from.col
    || a.from.y - b.from.y || a.port - b.port || a.to.y - b.to.y);
  const lanes = [0, 0];
  const outs = new Map<number, number>();
  const ins = new Map<number, number>();
  for (const a of around) {
    a.out = outs.get(a.from.col) ?? 0;
    outs.set(a.from.col, a.out + 1);
    if (a.isSide) continue;
    a.isAbove = (portY(a.from, a.port) + a.to.y) / 2 < midY;
    a.lane = lanes[a.isAbove ? 0 : 1]!++;
    a.in = ins.get(a.to.col) ?? 0;
    ins.set(a.to.col, a.in + 1);
  }
  return lanes[0]!;
}

/** Several edges into one box arrive a few pixels apart, ordered by where they come from, not on one point. */
function spreadEntries(forward: Link[], around: Around[], laneY: (a: Around) => number): void {
  const into = new Map<Box, { link: Link; from: number }[]>();
  for (const f of forward) add(into, f.to, { link: f, from: portY(f.from, f.port) });
  for (const a of around) {
    if (a.isSide) a.entryY = a.to.y + ENTRY_DY;
    else add(into, a.to, { link: a, from: laneY(a) });
  }
  for (const [box, links] of into) {
    links.sort((a, b) => a.from - b.from);
    const span = Math.min(28, (links.length - 1) * 7);
    links.forEach((l, i) => {
      l.link.entryY = box.y + ENTRY_DY - span / 2 + (links.length > 1 ? (i * span) / (links.length - 1) : 0);
    });
  }
}

function add<K, V>(m: Map<K, V[]>, key: K, value: V): void {
  const list = m.get(key);
  if (list) list.push(value);
  else m.set(key, [value]);
}

function nodeHeight(n: GraphNode): number {
  return n.branches.length ? HEAD_H + n.branches.length * ROW_H + 6 : HEAD_H - 2;
}
function portY(b: Box, port: number): number {
  return b.y + HEAD_H + 2 + port * ROW_H + ROW_H / 2;
}

// ---- drawing ----

function marker(id: string, cls: string): string {
  const size = id.endsWith('-hl') ? 11 : 9;
  return `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="${size}" markerHeight="${size}"`
    + ` markerUnits="userSpaceOnUse" orient="auto"><path class="${cls}" d="M0,1 L10,5 L0,9 z"/></marker>`;
}

function edgeTitle(l: Link): string {
  const b = l.from.node.branches[l.port]!;
  return `<title>${esc(l.from.node.name)}: ${esc(b.label)} → ${esc(l.to.node.name)}</title>`;
}
function edgeClass(l: Link): string {
  return `fg-edge${l.isHighlighted ? ' fg-edge-hl' : ''}`;
}
function arrow(l: Link): string {
  return l.isHighlighted ? 'url(#fg-arrow-hl)' : 'url(#fg-arrow)';
}

function drawForward(l: Link): string {
  const sx = l.from.x + NODE_W;
  const sy = portY(l.from, l.port);
  const tx = l.to.x - 1;
  const dx = (tx - sx) / 2;
  const d = `M${r(sx)},${r(sy)} C${r(sx + dx)},${r(sy)} ${r(tx - dx)},${r(l.entryY)} ${r(tx)},${r(l.entryY)}`;
  return `<path class="${edgeClass(l)}" d="${d}" marker-end="${arrow(l)}">${edgeTitle(l)}</path>`;
}

function drawAround(a: Around, ly: number): string {
  const sx = a.from.x + NODE_W;
  const sy = portY(a.from, a.port);
  const ox = sx + 44 + a.out * LANE;
  const k = 8; // corner radius
  if (a.isSide) {
    const s = Math.sign(a.entryY - sy);
    const d = `M${r(sx)},${r(sy)} H${r(ox - k)} Q${r(ox)},${r(sy)} ${r(ox)},${r(sy + s * k)} V${r(a.entryY - s * k)}`
      + ` Q${r(ox)},${r(a.entryY)} ${r(ox - k)},${r(a.entryY)} H${r(sx + 1)}`;
    return `<path class="${edgeClass(a)}" d="${d}" marker-end="${arrow(a)}">${edgeTitle(a)}</path>`;
  }
  const ix = a.to.x - 24 - a.in * LANE;
  const tx = a.to.x - 1;
  const ty = a.entryY;
  const s = a.isAbove ? -1 : 1; // direction from the port to the lane
  const d = `M${r(sx)},${r(sy)} H${r(ox - k)} Q${r(ox)},${r(sy)} ${r(ox)},${r(sy + s * k)} V${r(ly - s * k)}`
    + ` Q${r(ox)},${r(ly)} ${r(ox - k)},${r(ly)} H${r(ix + k)} Q${r(ix)},${r(ly)} ${r(ix)},${r(ly - s * k)}`
    + ` V${r(ty + s * k)} Q${r(ix)},${r(ty)} ${r(ix + k)},${r(ty)} H${r(tx)}`;
  return `<path class="${edgeClass(a)}" d="${d}" marker-end="${arrow(a)}">${edgeTitle(a)}</path>`;
}

/** A branch that leads nowhere (not connected) or to a step that does not exist (error colour). */
function drawStub(from: Box, port: number, target: string | null): string {
  const x = from.x + NODE_W;
  const y = portY(from, port);
  const label = from.node.branches[port]!.label;
  const [cls, mark, title] = target === null
    ? ['fg-stub', '?', `${label} is not connected`]
    : ['fg-stub fg-stub-bad', '!', `${label} goes to “${target}”, which is not a step of this flow`];
  return `<g class="${cls}"><title>${esc(from.node.name)}: ${esc(title)}</title>`
    + `<path class="fg-stub-line" d="M${r(x)},${r(y)} h22"/><circle class="fg-stub-end" cx="${r(x + 29)}" cy="${r(y)}" r="7"/>`
    + `<text class="fg-stub-mark" x="${r(x + 29)}" y="${r(y + 3.5)}" font-size="${FONT.badge}" text-anchor="middle">${mark}</text></g>`;
}

function drawUnreachable(x: number, top: number, bottom: number): string {
  return `<g class="fg-unreachable"><rect class="fg-unreachable-area" x="${r(x - 14)}" y="${r(top)}" width="${NODE_W + 28}"`
    + ` height="${r(bottom - top)}" rx="10"/><text class="fg-unreachable-label" x="${r(x)}" y="${r(top + 18)}"`
    + ` font-size="${FONT.kind}">NOT REACHABLE FROM THE START</text></g>`;
}

function drawNode(b: Box, isStart: boolean, steps: number[] | undefined, isStep: (id: string) => boolean): string {
  const { node: n, x, y, h } = b;
  const cls = ['fg-node', `fg-kind-${kindClass(n.kindLabel)}`];
  if (isStart) cls.push('fg-start');
  if (n.error) cls.push('fg-error');
  if (steps) cls.push('fg-hl');
  const left = x + 14;
  const inner = NODE_W - 26;
  const title = `${n.kindLabel}: ${n.name}` + (n.summary ? `\n${n.summary}` : '')
    + (n.error ? '\nThis step has a problem.' : '');
  let s = `<a href="#node-${esc(n.id)}" class="${cls.join(' ')}"><title>${esc(title)}</title>`
    + `<rect class="fg-box" x="${r(x)}" y="${r(y)}" width="${NODE_W}" height="${h}" rx="6"/>`
    + `<path class="fg-bar" d="M${r(x + 6)},${r(y)} V${r(y + h)} A6,6 0 0 1 ${r(x)},${r(y + h - 6)} V${r(y + 6)}`
    + ` A6,6 0 0 1 ${r(x + 6)},${r(y)} Z"/>`
    + txt('fg-kind', left, y + 17, FONT.kind, truncate(n.kindLabel.toUpperCase(), inner - 40, FONT.kind))
    + txt('fg-name', left, y + 36, FONT.name, truncate(n.name, inner, FONT.name * 1.05))
    + txt('fg-summary', left, y + 52, FONT.summary, truncate(n.summary, inner, FONT.summary));
  if (n.branches.length) s += `<path class="fg-sep" d="M${r(x + 6)},${r(y + HEAD_H)} H${r(x + NODE_W)}"/>`;
  n.branches.forEach((br, i) => {
    const py = portY(b, i);
    // Say in words what the stub outside the box means; connected ports need no note.
    const note = br.target === null ? ['fg-port-note', 'not connected']
      : isStep(br.target) ? undefined : ['fg-port-note fg-port-bad', `missing ${br.target}`];
    const label = truncate(br.label, note ? inner - 90 : inner - 4, FONT.port * 1.05);
    s += txt('fg-port-label', x + NODE_W - 12, py + 4, FONT.port, label, 'end');
    const room = inner - 12 - textWidth(label, FONT.port * 1.05);
    if (note) s += txt(note[0]!, left, py + 4, FONT.note, truncate(note[1]!, room, FONT.note));
    s += `<circle class="fg-port" cx="${r(x + NODE_W)}" cy="${r(py)}" r="3.5"/>`;
  });
  if (isStart) s += badge('fg-badge-start', x + 10, y, 'START');
  let right = x + NODE_W - 10;
  if (n.error) {
    s += `<circle class="fg-badge-error" cx="${r(right - 8)}" cy="${r(y - 3)}" r="8"/>`
      + txt('fg-badge-text', right - 8, y + 0.5, FONT.badge, '!', 'middle');
    right -= 22;
  }
  if (steps) s += badge('fg-badge-step', right, y, steps.join(', '), true);
  return s + '</a>';
}

function badge(cls: string, x: number, y: number, text: string, fromRight = false): string {
  const t = truncate(text, 70, FONT.badge);
  const w = textWidth(t, FONT.badge) + 12;
  const bx = fromRight ? x - w : x;
  return `<rect class="${cls}" x="${r(bx)}" y="${r(y - 11)}" width="${r(w)}" height="16" rx="8"/>`
    + txt('fg-badge-text', bx + w / 2, y + 0.5, FONT.badge, t, 'middle');
}

function txt(cls: string, x: number, y: number, size: number, s: string, anchor?: 'end' | 'middle'): string {
  const align = anchor ? ` text-anchor="${anchor}"` : '';
  return `<text class="${cls}" x="${r(x)}" y="${r(y)}" font-size="${size}"${align}>${esc(s)}</text>`;
}

// ---- text ----

/** Kinds are known by their label's words; a kind this list does not know is drawn neutral. */
const KINDS: [RegExp, string][] = [
  [/menu/i, 'menu'], [/play|say|prompt|announce/i, 'play'], [/http|webhook|api/i, 'http'],
  [/collect|input|digits|gather/i, 'collect'], [/condition|if|time|schedule|branch/i, 'condition'],
  [/queue/i, 'queue'], [/voicemail/i, 'voicemail'], [/transfer|dial|forward/i, 'transfer'], [/hang/i, 'hangup'],
];
function kindClass(label: string): string {
  return KINDS.find(([re]) => re.test(label))?.[1] ?? 'other';
}

/**
 * Without a font on the server, widths are estimated per character class, generously (DejaVu Sans, the widest
 * likely fallback), so truncated text stays inside its box in any font.
 */
const ASCII_EM = Array.from({ length: 128 }, (_, c) => {
  const ch = String.fromCharCode(c);
  if (/[il.,:;!|'`Ijft()[\] ]/.test(ch)) return 0.34;
  if (/[mwMW@%]/.test(ch)) return 0.92;
  if (/[A-Z0-9&#]/.test(ch)) return 0.7;
  return 0.6;
});
function textWidth(s: string, size: number): number {
  let em = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    em += c < 128 ? ASCII_EM[c]! : c >= 0x2e80 ? 1 : 0.6;
  }
  return em * size;
}

function truncate(raw: string, max: number, size: number): string {
  const s = clean(raw);
  if (s.length * size <= max || textWidth(s, size) <= max) return s; // no character is wider than 1 em
  const chars = Array.from(s);
  let w = textWidth('…', size);
  let i = 0;
  while (i < chars.length && w + textWidth(chars[i]!, size) <= max) w += textWidth(chars[i++]!, size);
  return chars.slice(0, i).join('').trimEnd() + '…';
}

/** One line, and no characters XML forbids (a pasted control character would make the whole SVG invalid). */
function clean(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').trim();
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function esc(s: string): string {
  if (!/[&<>"'\u0000-\u001f\ufffe\uffff]/.test(s)) return s;
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function r(v: number): number {
  return Math.round(v * 10) / 10;
}
function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
