import type { NextFunction, Request, Response } from 'express';

/**
 * An allowed origin as written by an admin (`https://crm.example.com:8443`), in the form browsers compare
 * (lower-case host, no default port), or null when it is not an origin: a path, a query, credentials or a
 * scheme other than http(s). A single trailing slash is forgiven.
 */
export function normalizeOrigin(text: string): string | null {
  const s = text.trim().replace(/\/$/, '');
  if (!/^https?:\/\/[^/?#@\s]+$/i.test(s)) return null;
  try {
    const u = new URL(s);
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

/** The origin of a pop's address, or null when the address is not an http(s) URL. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** CSP source lists: directive name → its sources. */
function parseCsp(header: string): [string, string[]][] {
  return header
    .split(';')
    .map((d) => d.trim().split(/\s+/).filter(Boolean))
    .filter((parts) => parts.length > 0)
    .map((parts) => [parts[0]!.toLowerCase(), parts.slice(1)]);
}

/**
 * A CSP with the pops' origins added to frame-src (their frames) and form-action (POST pops post into a frame
 * or window). frame-src falls back to default-src when it is absent, so it starts from that. frame-ancestors is
 * left as it is: the workbench must stay the top window, or `top.postMessage` from a CRM page would miss it.
 */
export function extendCsp(header: string, origins: readonly string[]): string {
  const directives = parseCsp(header);
  const find = (name: string) => directives.find(([n]) => n === name);
  const add = (name: string, fallback: string[]) => {
    const d = find(name) ?? (directives.push([name, [...fallback]]), directives[directives.length - 1]!);
    d[1] = d[1].filter((s) => s !== "'none'");
    for (const o of origins) if (!d[1].includes(o)) d[1].push(o);
    if (d[1].length === 0) d[1].push("'none'");
  };
  const defaults = find('default-src')?.[1] ?? [];
  add('frame-src', find('child-src')?.[1] ?? defaults);
  add('form-action', []);
  return directives.map(([n, s]) => [n, ...s].join(' ')).join('; ');
}

/**
 * Middleware for the pages that open pops (the agent workbench, the admin's "Test pop"): it widens the CSP the
 * app-wide helmet set, for this response only. Origins are read per request, so a new allowed origin works on
 * the next page load.
 */
export function popCsp(origins: readonly string[] | (() => readonly string[])) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const list = typeof origins === 'function' ? origins() : origins;
    const current = res.getHeader('Content-Security-Policy');
    if (typeof current === 'string' && list.length > 0) res.setHeader('Content-Security-Policy', extendCsp(current, list));
    next();
  };
}
