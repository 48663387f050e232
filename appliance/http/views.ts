import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The console's template engine: a private Handlebars instance (never shared with the FreeSWITCH config
 * generator), partials from views/partials, and a layout per page (`layout: 'admin' | 'agent' | 'public' | false`).
 */
export function createViewEngine(viewsDir: string, opts: { cache: boolean }) {
  const hbs = Handlebars.create();
  registerHelpers(hbs);
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  let partialsLoaded = false;

  function loadPartials(): void {
    if (partialsLoaded && opts.cache) return;
    const dir = join(viewsDir, 'partials');
    for (const file of readdirSync(dir, { recursive: true }) as string[]) {
      if (!file.endsWith('.hbs')) continue;
      hbs.registerPartial(file.slice(0, -4).replaceAll('\\', '/'), readFileSync(join(dir, file), 'utf8'));
    }
    partialsLoaded = true;
  }

  function template(file: string): Handlebars.TemplateDelegate {
    const hit = opts.cache ? compiled.get(file) : undefined;
    if (hit) return hit;
    // Not strict, unlike the XML templates: pages have many optional fields (flash, errors, filters).
    const t = hbs.compile(readFileSync(file, 'utf8'));
    if (opts.cache) compiled.set(file, t);
    return t;
  }

  /** Express's engine signature. */
  return function render(file: string, data: object, done: (e: unknown, html?: string) => void): void {
    try {
      loadPartials();
      const locals = data as Record<string, unknown> & { layout?: string | false };
      const body = template(file)(locals);
      const layout = locals.layout === undefined ? 'admin' : locals.layout;
      if (layout === false) return done(null, body);
      const page = relative(viewsDir, file).replace(/\.hbs$/, '');
      done(null, template(join(viewsDir, 'layouts', `${layout}.hbs`))({ ...locals, body, page }));
    } catch (e) {
      done(e);
    }
  };
}

function registerHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('lookupField', (obj: unknown, key: unknown) =>
    obj && typeof obj === 'object' && typeof key === 'string' ? (obj as Record<string, unknown>)[key] : undefined,
  );
  hbs.registerHelper('startsWith', (s: unknown, prefix: unknown) => typeof s === 'string' && typeof prefix === 'string' && s.startsWith(prefix));
  hbs.registerHelper('dateTime', (iso: unknown) => formatDateTime(iso));
  hbs.registerHelper('duration', (seconds: unknown) => formatDuration(Number(seconds)));
  hbs.registerHelper('bytes', (n: unknown) => formatBytes(Number(n)));
  hbs.registerHelper('json', (v: unknown) => JSON.stringify(v));
  hbs.registerHelper('capitalize', (s: unknown) => (typeof s === 'string' && s ? s[0]!.toUpperCase() + s.slice(1) : s));
  /** A link to another page of a filtered list, keeping the filters. */
  hbs.registerHelper('pageHref', (base: unknown, filter: unknown, page: unknown) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries((filter as Record<string, unknown>) ?? {})) {
      if (k !== 'page' && v !== undefined && v !== null && v !== '') q.set(k, String(v));
    }
    if (Number(page) > 1) q.set('page', String(page));
    const s = q.toString();
    return `${String(base)}${s ? `?${s}` : ''}`;
  });
  hbs.registerHelper('includes', (list: unknown, v: unknown) => Array.isArray(list) && list.includes(v));
  hbs.registerHelper('add', (a: unknown, b: unknown) => Number(a) + Number(b));
}

export function formatDateTime(iso: unknown): string {
  if (typeof iso !== 'string' || !iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  if (d) return `${d}d ${h}h ${m}m`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s}s`;
  return `${s}s`;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}
