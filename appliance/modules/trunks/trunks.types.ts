import { isIP } from 'node:net';
import { z } from 'zod';

export const CODECS = ['PCMU', 'PCMA', 'G722', 'OPUS'] as const;
export const DTMF_MODES = ['rfc2833', 'info', 'inband'] as const;
export const TRANSPORTS = ['udp', 'tcp', 'tls'] as const;

export interface Trunk {
  id: number;
  name: string;
  authMode: 'ip' | 'registration';
  host: string;
  port: number;
  transport: (typeof TRANSPORTS)[number];
  username: string | null;
  realm: string | null;
  expirySeconds: number;
  fromUser: string | null;
  fromDomain: string | null;
  allowedCidrs: string[];
  codecs: string[];
  dtmfMode: (typeof DTMF_MODES)[number];
  maxCalls: number;
  isEnabled: boolean;
  hasPassword: boolean;
  createdAt: string;
  updatedAt: string;
}

const HOST = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** Values that reach SIP headers and XML attributes: no quotes, spaces, angle brackets or separators. */
const TOKEN = /^[A-Za-z0-9._~+-]{1,64}$/;
const optionalToken = (what: string) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), z.string().regex(TOKEN, `Use letters, digits and . _ ~ + - for the ${what}.`).optional());
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true || v === '1', z.boolean());

function cidr(s: string): boolean {
  const [ip, bits, ...rest] = s.split('/');
  if (rest.length || !ip) return false;
  const family = isIP(ip);
  if (!family) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

export const TrunkInputSchema = z
  .object({
    name: z.string({ error: 'Enter a name.' }).trim().min(1, 'Enter a name.').max(60, 'Use at most 60 characters.').regex(/^[^\p{Cc}<>"]*$/u, 'Quotes, angle brackets and control characters are not allowed.'),
    authMode: z.enum(['ip', 'registration'], { error: 'Choose how the carrier recognises you.' }),
    host: z.string({ error: 'Enter the carrier host.' }).trim().refine((h) => HOST.test(h) || isIP(h) !== 0, 'Enter a host name or an IP address.'),
    port: z.coerce.number({ error: 'Enter a port.' }).int('Enter a whole number.').min(1, 'Use 1 to 65535.').max(65535, 'Use 1 to 65535.'),
    transport: z.enum(TRANSPORTS, { error: 'Choose UDP, TCP or TLS.' }),
    username: optionalToken('username'),
    password: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[^\s"'<>&]{1,128}$/, 'Use 1 to 128 characters without spaces, quotes, angle brackets or &.').optional()),
    realm: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().refine((h) => HOST.test(h) || isIP(h) !== 0, 'Enter a host name or an IP address.').optional()),
    expirySeconds: z.coerce.number().int().min(60, 'Use 60 to 86400 seconds.').max(86400, 'Use 60 to 86400 seconds.').default(600),
    fromUser: optionalToken('from-user'),
    fromDomain: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().refine((h) => HOST.test(h) || isIP(h) !== 0, 'Enter a host name or an IP address.').optional()),
    allowedCidrs: z.preprocess(
      (v) => (typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : v ?? []),
      z.array(z.string()).max(50, 'Use at most 50 addresses.').refine((list) => list.every(cidr), 'Enter IP addresses or CIDR ranges (e.g. 203.0.113.10 or 203.0.113.0/24), separated by spaces.'),
    ),
    codecs: z.preprocess((v) => (typeof v === 'string' ? [v] : v ?? []), z.array(z.enum(CODECS)).min(1, 'Choose at least one codec.')),
    dtmfMode: z.enum(DTMF_MODES, { error: 'Choose a DTMF mode.' }),
    maxCalls: z.coerce.number({ error: 'Enter a number.' }).int('Enter a whole number.').min(1, 'Use 1 to 10000.').max(10000, 'Use 1 to 10000.'),
    isEnabled: checkbox,
  })
  .superRefine((t, ctx) => {
    if (t.authMode === 'registration') {
      if (!t.username) ctx.addIssue({ code: 'custom', path: ['username'], message: 'A registration trunk needs a username.' });
    } else if (t.allowedCidrs.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['allowedCidrs'], message: 'An IP trunk needs the addresses the carrier calls from.' });
    }
  });
export type TrunkInput = z.infer<typeof TrunkInputSchema>;
