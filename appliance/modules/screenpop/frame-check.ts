/** What a page's response headers say about being shown in the workbench's frame (Huawei FAQ 2.6.1). */
export interface FrameCheck {
  /** The page answered and its headers were read. */
  isReached: boolean;
  status: number | null;
  /** The browser will refuse to show the page in a frame of the workbench: use "Open standalone". */
  isBlocked: boolean;
  /** One sentence per finding, for the admin. */
  notes: string[];
}

/** Does a CSP source expression admit this origin? Enough of CSP's matching for frame-ancestors. */
function sourceMatches(source: string, origin: URL): boolean {
  const s = source.toLowerCase();
  if (s === '*') return origin.protocol === 'http:' || origin.protocol === 'https:';
  if (/^[a-z][a-z0-9+.-]*:$/.test(s)) return origin.protocol === s || (s === 'http:' && origin.protocol === 'https:');
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*\.)?([^:/]+|\*)(?::(\d+|\*))?(?:\/.*)?$/.exec(s);
  if (!m) return false;
  const [, scheme, wildcard, host, port] = m;
  if (scheme && `${scheme}:` !== origin.protocol && !(scheme === 'http' && origin.protocol === 'https:')) return false;
  const hostOk = host === '*' || (wildcard ? origin.hostname.endsWith(`.${host}`) : origin.hostname === host);
  if (!hostOk) return false;
  const defaultPort = origin.protocol === 'https:' ? '443' : '80';
  const actual = origin.port || defaultPort;
  return port === '*' || (port ?? (scheme ? (scheme === 'https' ? '443' : '80') : defaultPort)) === actual;
}

/**
 * Read X-Frame-Options and CSP frame-ancestors as a browser would for a page framed by `workbenchOrigin`
 * (a different origin than the page's, so SAMEORIGIN refuses it too).
 */
export function frameVerdict(headers: Headers, workbenchOrigin: string): { isBlocked: boolean; notes: string[] } {
  const notes: string[] = [];
  let isBlocked = false;
  const framer = new URL(workbenchOrigin);
  const csp = headers.get('content-security-policy');
  const ancestors = csp
    ?.split(/[;,]/)
    .map((d) => d.trim().split(/\s+/))
    .find((d) => d[0]?.toLowerCase() === 'frame-ancestors');
  if (ancestors) {
    const sources = ancestors.slice(1);
    const allowed = sources.some((s) => s !== "'none'" && s !== "'self'" && sourceMatches(s, framer));
    if (!allowed) {
      isBlocked = true;
      notes.push(`The page's Content-Security-Policy says frame-ancestors ${sources.join(' ') || "'none'"}: it does not admit ${workbenchOrigin}.`);
    } else notes.push(`The page's Content-Security-Policy frame-ancestors admits ${workbenchOrigin}.`);
  }
  const xfo = headers.get('x-frame-options')?.trim().toUpperCase();
  if (xfo) {
    // Browsers ignore X-Frame-Options when frame-ancestors is present.
    if (ancestors) notes.push(`X-Frame-Options ${xfo} is ignored because frame-ancestors is set.`);
    else if (xfo === 'DENY' || xfo === 'SAMEORIGIN') {
      isBlocked = true;
      notes.push(`The page sends X-Frame-Options ${xfo}: browsers will not show it inside the workbench.`);
    } else if (xfo.startsWith('ALLOW-FROM')) notes.push('The page sends X-Frame-Options ALLOW-FROM, which current browsers ignore; use CSP frame-ancestors on the page instead.');
  }
  if (!isBlocked && notes.length === 0) notes.push('The page sends neither X-Frame-Options nor frame-ancestors: it can be embedded.');
  if (isBlocked) notes.push('Edit the pop and choose "Open standalone", or change the page\'s headers.');
  return { isBlocked, notes };
}

/** Ask the page as the workbench would (GET, or POST with the form), with a short timeout, and read its headers. */
export async function checkFrame(request: { url: string; fields?: [string, string][] }, workbenchOrigin: string, timeoutMs = 3000): Promise<FrameCheck> {
  const isPost = request.fields !== undefined;
  try {
    const res = await fetch(request.url, {
      method: isPost ? 'POST' : 'GET',
      ...(isPost ? { body: new URLSearchParams(request.fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
      redirect: 'follow',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Only the headers matter; the body is not read.
    await res.body?.cancel();
    return { isReached: true, status: res.status, ...frameVerdict(res.headers, workbenchOrigin) };
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    return { isReached: false, status: null, isBlocked: false, notes: [`The server could not reach the page (${reason}). The agents' browsers may still reach it; check the address.`] };
  }
}
