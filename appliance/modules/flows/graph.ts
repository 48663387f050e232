// PLACEHOLDER: the real graph (layout, edges) is written on another branch and replaces this file at merge.
// Same signature; it only draws the nodes as boxes in a column so the editor and simulator pages work.

export interface GraphInput {
  start: string;
  nodes: {
    id: string;
    name: string;
    kindLabel: string;
    summary: string;
    branches: { name: string; label: string; target: string | null }[];
    error: boolean;
  }[];
  highlight?: string[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The flow as an SVG picture: one box per node, start first. */
export function renderFlowGraph(g: GraphInput): string {
  const w = 420;
  const h = 64;
  const gap = 18;
  const lit = new Set(g.highlight ?? []);
  const nodes = [...g.nodes].sort((a, b) => (a.id === g.start ? -1 : b.id === g.start ? 1 : 0));
  const boxes = nodes.map((n, i) => {
    const y = i * (h + gap) + 4;
    const stroke = n.error ? '#c62828' : lit.has(n.id) ? '#1f6feb' : '#c4ccd8';
    const fill = lit.has(n.id) ? '#e8f0fe' : '#fff';
    const branches = n.branches.map((b) => `${b.label} → ${b.target ?? '—'}`).join(' · ');
    return `<g data-node="${esc(n.id)}"><rect x="4" y="${y}" width="${w}" height="${h}" rx="8" fill="${fill}" stroke="${stroke}" stroke-width="2"/>`
      + `<text x="16" y="${y + 20}" font-size="13" font-weight="600">${esc(cut(`${n.id} · ${n.name}`, 50))} <tspan fill="#5b6677" font-weight="400">${esc(n.kindLabel)}</tspan></text>`
      + `<text x="16" y="${y + 38}" font-size="12" fill="#1c2430">${esc(cut(n.summary, 60))}</text>`
      + `<text x="16" y="${y + 55}" font-size="11" fill="#5b6677">${esc(cut(branches, 70))}</text></g>`;
  });
  const height = nodes.length * (h + gap) + 8;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="flow-graph" viewBox="0 0 ${w + 8} ${height}" width="${w + 8}" height="${height}" role="img" aria-label="Flow graph">${boxes.join('')}</svg>`;
}
