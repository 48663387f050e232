import { z } from 'zod';
import { fill, VARIABLE_NAME } from '../template.js';
import { integer, lines } from '../fields.js';
import type { NodeKind } from '../types.js';

export const HTTP_MAX_BYTES = 64 * 1024;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** "Name: value" per line; values may hold ${variables}. */
export function headerLines(text: string): { headers: [string, string][]; problem: string | null } {
  const headers: [string, string][] = [];
  for (const line of lines(text)) {
    const m = /^([A-Za-z0-9-]{1,64}):\s*(.*)$/.exec(line);
    if (!m) return { headers, problem: `“${line}”: write each header as Name: value.` };
    headers.push([m[1]!, m[2]!]);
  }
  return { headers, problem: null };
}

/** "variable = path.to.field" per line; a path is dot-separated names and array indexes (items.0.id). */
export function mappingLines(text: string): { mappings: { variable: string; path: string[] }[]; problem: string | null } {
  const mappings: { variable: string; path: string[] }[] = [];
  for (const line of lines(text)) {
    const m = /^([A-Za-z][A-Za-z0-9_]{0,39})\s*=\s*([A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+)*)$/.exec(line);
    if (!m || !VARIABLE_NAME.test(m[1]!)) return { mappings, problem: `“${line}”: write each as variable = field.path (e.g. vip = customer.vip).` };
    mappings.push({ variable: m[1]!, path: m[2]!.split('.') });
  }
  return { mappings, problem: null };
}

/** The value at a path in parsed JSON, as text (objects as JSON), or null when absent. */
export function pick(json: unknown, path: string[]): string | null {
  let v: unknown = json;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, p)) return null;
    v = (v as Record<string, unknown>)[p];
  }
  if (v === null || v === undefined) return null;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

const textarea = (max: number, read: (s: string) => { problem: string | null }) =>
  z.string().max(max).default('').superRefine((s, ctx) => {
    const { problem } = read(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const schema = z.object({
  method: z.enum(METHODS, { message: 'Method: GET, POST, PUT, PATCH or DELETE.' }),
  // Only the scheme and host are fixed here: the rest may come from variables.
  url: z.string().trim().max(2000).regex(/^https?:\/\/[A-Za-z0-9.[\]:-]+(?:[/?#]|$)/, 'URL: an http:// or https:// address with a host (the rest may use ${variables}).'),
  headers: textarea(4000, headerLines),
  body: z.string().max(8000).default(''),
  timeoutSeconds: integer('Timeout', 1, 10, 3),
  map: textarea(2000, mappingLines),
});

export const http: NodeKind<z.infer<typeof schema>> = {
  kind: 'http',
  label: 'HTTP request',
  help: 'Asks a web service (a CRM, a billing system) and keeps fields of its JSON answer in variables. The call never waits past the timeout; anything but a 2xx answer follows Failure.',
  fields: [
    { name: 'method', label: 'Method', type: 'select', options: METHODS.map((m) => ({ value: m, label: m })) },
    { name: 'url', label: 'URL', type: 'text', help: 'e.g. https://crm.example.com/api/customers?phone=${caller_number}' },
    { name: 'headers', label: 'Headers', type: 'textarea', help: 'One per line: Name: value' },
    { name: 'body', label: 'Body', type: 'textarea', help: 'Sent as is (with ${variables}); set Content-Type in the headers.' },
    { name: 'timeoutSeconds', label: 'Timeout (seconds)', type: 'number' },
    { name: 'map', label: 'Keep from the JSON answer', type: 'textarea', help: 'One per line: variable = field.path' },
  ],
  schema,
  initial: { method: 'GET', url: 'https://', headers: '', body: '', timeoutSeconds: 3, map: '' },
  branches: () => [{ name: 'success', label: 'Success' }, { name: 'failure', label: 'Failure' }],
  prompts: () => [],
  describe: (c) => `${c.method} ${c.url}`,
  async run(c, ctx) {
    const url = fill(c.url, ctx.vars);
    const headers = Object.fromEntries(headerLines(c.headers).headers.map(([k, v]) => [k, fill(v, ctx.vars)]));
    const body = c.method === 'GET' || c.method === 'DELETE' || c.body === '' ? null : fill(c.body, ctx.vars);
    const r = await ctx.io.fetch(ctx.nodeId, { method: c.method, url, headers, body, timeoutMs: c.timeoutSeconds * 1000, maxBytes: HTTP_MAX_BYTES });
    ctx.vars.http_status = String(r.status);
    if (r.error || r.status < 200 || r.status > 299) {
      ctx.note(r.error ?? `HTTP ${r.status}`);
      return { branch: 'failure' };
    }
    const { mappings } = mappingLines(c.map);
    if (mappings.length) {
      let json: unknown;
      try {
        json = JSON.parse(r.body);
      } catch {
        ctx.note('the answer is not JSON');
        return { branch: 'failure' };
      }
      for (const m of mappings) ctx.vars[m.variable] = pick(json, m.path) ?? '';
    }
    ctx.note(`HTTP ${r.status}`);
    return { branch: 'success' };
  },
};
