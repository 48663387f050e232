import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BootError } from './errors.js';

/**
 * The appliance's settings: one JSON file (written 0600 by install.sh) plus CALLBOX_* environment overrides,
 * validated once and frozen. This is the only module that reads process.env. Operator settings edited in the
 * console live in the database, not here.
 */
const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const ConfigSchema = z
  .object({
    dataDir: z.string().min(1).default('/var/lib/callbox'),
    http: z
      .object({
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** The address people type, used in links printed to the log (setup link). */
        publicUrl: z.url().optional(),
        /** Serve HTTPS with this certificate; install.sh makes a self-signed one. */
        tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).strict().optional(),
        /** Set when a reverse proxy in front terminates TLS, so cookies get the Secure flag and req.ip is real. */
        trustProxy: z.boolean().default(false),
        bodyLimitKb: z.number().int().min(1).max(10240).default(256),
      })
      .strict()
      .prefault({}),
    session: z
      .object({
        /** Key for the HMAC that turns session and setup tokens into what the database stores. */
        secret: z.string().min(32, 'must be at least 32 characters (install.sh generates one)'),
        idleMinutes: z.number().int().min(5).max(7 * 24 * 60).default(8 * 60),
        absoluteHours: z.number().int().min(1).max(30 * 24).default(24),
      })
      .strict(),
    login: z
      .object({
        maxFailuresPerUser: z.number().int().min(1).max(100).default(5),
        maxFailuresPerIp: z.number().int().min(1).max(10000).default(20),
        windowMinutes: z.number().int().min(1).max(1440).default(15),
        lockoutMinutes: z.number().int().min(1).max(1440).default(15),
      })
      .strict()
      .prefault({}),
    esl: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(1).max(65535).default(8021),
        // It goes into FreeSWITCH's XML and onto the auth line: letters, digits, dot, dash, underscore only.
        password: z
          .string()
          .min(8, 'must be at least 8 characters (install.sh generates one)')
          .regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, dots, dashes and underscores only'),
      })
      .strict(),
    freeswitch: z
      .object({
        /** Where the generated FreeSWITCH configuration tree is written. */
        confDir: z.string().min(1).default('/etc/freeswitch'),
        /** SIP and RTP address; by default FreeSWITCH's own first IPv4 address. */
        sipIp: z.union([z.ipv4(), z.literal('auto')]).default('auto'),
        /** The public address when behind NAT; by default the same as sipIp. */
        externalIp: z.union([z.ipv4(), z.literal('auto')]).default('auto'),
        /** The SIP domain phones register to; by default the SIP address. */
        domain: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a host name or address').optional(),
        internalSipPort: z.number().int().min(1).max(65535).default(5060),
        externalSipPort: z.number().int().min(1).max(65535).default(5080),
        wsPort: z.number().int().min(1).max(65535).default(5066),
        rtpStartPort: z.number().int().min(1024).max(65534).default(16384),
        rtpEndPort: z.number().int().min(1025).max(65535).default(32768),
        maxSessions: z.number().int().min(1).max(100000).default(1000),
      })
      .strict()
      .prefault({}),
    log: z.object({ level: LogLevel.default('info') }).strict().prefault({}),
  })
  .strict();

export type Config = Readonly<z.infer<typeof ConfigSchema>>;

export const DEFAULT_CONFIG_FILE = '/etc/callbox/appliance.json';

type EnvRule = { path: string[]; kind: 'string' | 'int' | 'bool' };
/** Each override names the setting it replaces, so a bad value is reported against the variable too. */
const ENV_OVERRIDES: Record<string, EnvRule> = {
  CALLBOX_DATA_DIR: { path: ['dataDir'], kind: 'string' },
  CALLBOX_HTTP_HOST: { path: ['http', 'host'], kind: 'string' },
  CALLBOX_HTTP_PORT: { path: ['http', 'port'], kind: 'int' },
  CALLBOX_PUBLIC_URL: { path: ['http', 'publicUrl'], kind: 'string' },
  CALLBOX_TRUST_PROXY: { path: ['http', 'trustProxy'], kind: 'bool' },
  CALLBOX_SESSION_SECRET: { path: ['session', 'secret'], kind: 'string' },
  CALLBOX_ESL_HOST: { path: ['esl', 'host'], kind: 'string' },
  CALLBOX_ESL_PORT: { path: ['esl', 'port'], kind: 'int' },
  CALLBOX_ESL_PASSWORD: { path: ['esl', 'password'], kind: 'string' },
  CALLBOX_FREESWITCH_CONF_DIR: { path: ['freeswitch', 'confDir'], kind: 'string' },
  CALLBOX_LOG_LEVEL: { path: ['log', 'level'], kind: 'string' },
};

function convert(value: string, kind: EnvRule['kind']): unknown {
  if (kind === 'int') return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (kind === 'bool') return value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
  return value;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Validate already-merged settings. `source` and `envNames` only make error messages name where a value came from. */
export function parseConfig(raw: unknown, source = 'settings', envNames: Record<string, string> = {}): Config {
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const key = i.path.join('.') || '(root)';
      const env = envNames[key] ? ` (from ${envNames[key]})` : '';
      return `  ${key}${env}: ${i.message}`;
    });
    throw new BootError(`invalid settings in ${source}:\n${lines.join('\n')}`);
  }
  return deepFreeze(result.data);
}

/** Read the settings file (CALLBOX_CONFIG or the default path), apply CALLBOX_* overrides, validate. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const file = env.CALLBOX_CONFIG ?? DEFAULT_CONFIG_FILE;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT'
        ? 'the file does not exist (run install.sh, or set CALLBOX_CONFIG to your settings file)'
        : err.code === 'EACCES'
          ? 'permission denied'
          : err instanceof SyntaxError
            ? `not valid JSON: ${err.message}`
            : err.message;
    throw new BootError(`cannot read settings file ${file}: ${why}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new BootError(`invalid settings in ${file}: the file must hold a JSON object`);
  }
  const envNames: Record<string, string> = {};
  for (const [name, rule] of Object.entries(ENV_OVERRIDES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw, rule.path, convert(value, rule.kind));
    envNames[rule.path.join('.')] = name;
  }
  return parseConfig(raw, file, envNames);
}

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
