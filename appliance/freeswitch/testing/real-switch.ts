import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../../paths.js';

// The real-switch tier may read the environment: FREESWITCH_BIN names the binary to test against.
const env = process.env;

/** The FreeSWITCH binary to run: FREESWITCH_BIN, or `freeswitch` on the PATH; null when there is none. */
export function findFreeswitch(): string | null {
  if (env.FREESWITCH_BIN) return existsSync(env.FREESWITCH_BIN) ? env.FREESWITCH_BIN : null;
  const which = spawnSync('sh', ['-c', 'command -v freeswitch'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

/** A TCP port nobody listens on right now (SIP uses the same number for UDP). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface RunningSwitch {
  process: ChildProcess;
  workDir: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * Start a private FreeSWITCH on a configuration tree in a temp folder: every directory it uses is under
 * workDir, so a system-wide FreeSWITCH (its config, database, logs, ports) is never touched.
 */
export async function startFreeswitch(bin: string, confDir: string, workDir: string, eslPort: number, timeoutMs = 45_000): Promise<RunningSwitch> {
  const dirs = ['log', 'db', 'run', 'storage', 'temp', 'cache', 'certs', 'recordings', 'sounds'];
  for (const d of dirs) mkdirSync(join(workDir, d), { recursive: true });
  const args = ['-nf', '-nc', '-nonat', '-nonatmap', '-nocal', '-conf', confDir, ...dirs.flatMap((d) => [`-${d}`, join(workDir, d)])];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const logFile = join(workDir, 'log', 'freeswitch.log');
  const log = () => output + (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await canConnect(eslPort))) {
    if (child.exitCode !== null) throw new Error(`FreeSWITCH exited (${child.exitCode}) before its event socket opened:\n${log().slice(-3000)}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`FreeSWITCH's event socket did not open within ${timeoutMs} ms:\n${log().slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { process: child, workDir, log, stop };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** sipp (Debian's sip-tester), when installed. */
export function findSipp(): string | null {
  const which = spawnSync('sh', ['-c', 'command -v sipp'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

/**
 * Send one real SIP INVITE with sipp and require that it is refused with `expected` (e.g. 403 from an ACL,
 * 407 from digest authentication). Resolves with sipp's exit code and output.
 */
export async function sippInviteRefused(sipp: string, target: string, service: string, expected: number, workDir: string): Promise<{ code: number | null; output: string }> {
  const template = readFileSync(join(projectRoot, 'appliance', 'freeswitch', 'testing', 'sipp', 'invite-expect.xml'), 'utf8');
  const scenario = join(workDir, `invite-${expected}.xml`);
  writeFileSync(scenario, template.replaceAll('__EXPECTED__', String(expected)));
  const port = await freePort();
  const child = spawn(sipp, ['-sf', scenario, '-s', service, target, '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-timeout', '15', '-timeout_error', '-nostdin', '-trace_err', '-error_file', join(workDir, `sipp-${expected}.err`)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  return { code, output };
}
