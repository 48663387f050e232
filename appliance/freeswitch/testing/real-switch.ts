import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../../paths.js';
import type { SwitchPort } from '../switch.port.js';
import type { SwitchEventName, SwitchEvents } from '../switch.types.js';

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

/** Run sipp with a scenario from testing/sipp/ (after replacing __NAME__ placeholders); resolves when it exits. */
export async function runSipp(sipp: string, o: { scenario: string; replace?: Record<string, string>; target: string; service: string; port?: number; source?: string; args?: string[]; workDir: string }): Promise<{ code: number | null; output: string }> {
  let text = readFileSync(join(projectRoot, 'appliance', 'freeswitch', 'testing', 'sipp', `${o.scenario}.xml`), 'utf8');
  for (const [k, v] of Object.entries(o.replace ?? {})) text = text.replaceAll(`__${k}__`, v);
  const file = join(o.workDir, `${o.scenario}-${o.service}-${Date.now()}.xml`);
  writeFileSync(file, text);
  const port = o.port ?? (await freePort());
  const args = ['-sf', file, '-s', o.service, o.target, '-i', o.source ?? '127.0.0.1', '-p', String(port), '-m', '1', '-timeout', '20', '-timeout_error', '-nostdin', '-trace_err', '-error_file', `${file}.err`, ...(o.args ?? [])];
  const r = await runProcess(sipp, args);
  // sipp's own account of what went wrong is in its error file: put it first, where a failure message shows it.
  const errors = existsSync(`${file}.err`) ? readFileSync(`${file}.err`, 'utf8') : '';
  return { code: r.code, output: `${errors.slice(0, 3000)}\n${r.output.slice(-800)}` };
}

/**
 * Play a carrier's registrar on a port for one REGISTER; resolves when it has answered one (or timed out), with the
 * contact that was registered (where the carrier sends the trunk's calls).
 */
export async function registrarOnce(sipp: string, port: number, workDir: string): Promise<{ code: number | null; output: string; contact: string | null }> {
  const file = join(workDir, `registrar-${port}.xml`);
  const logFile = `${file}.log`;
  writeFileSync(file, readFileSync(join(projectRoot, 'appliance', 'freeswitch', 'testing', 'sipp', 'registrar.xml'), 'utf8'));
  const r = await runProcess(sipp, ['-sf', file, '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-timeout', '40', '-timeout_error', '-nostdin', '-trace_logs', '-log_file', logFile]);
  const logged = existsSync(logFile) ? /^contact (\S+)$/m.exec(readFileSync(logFile, 'utf8')) : null;
  return { ...r, contact: logged?.[1] ?? null };
}

/** Start sipp's built-in answering phone on a port; resolves when it has taken one call (or timed out). */
export async function answerOnce(sipp: string, port: number): Promise<{ code: number | null; output: string }> {
  const errors = join(tmpdir(), `callbox-uas-${port}-${Date.now()}.err`);
  const r = await runProcess(sipp, ['-sn', 'uas', '-aa', '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-timeout', '30', '-timeout_error', '-nostdin', '-trace_err', '-error_file', errors]);
  // sipp's account of an unexpected message is in its error file: put it first, where a failure message shows it.
  const text = existsSync(errors) ? readFileSync(errors, 'utf8') : '';
  rmSync(errors, { force: true });
  return { code: r.code, output: `${text.slice(0, 3000)}\n${r.output.slice(-800)}` };
}

/**
 * A carrier's answer to keep-alives: 200 OK to every OPTIONS on a port, as real carriers give. FreeSWITCH pings a
 * trunk's gateway every 30 s and marks it down on a failed ping, refusing its calls with GATEWAY_DOWN until a ping
 * succeeds; sipp answers only while it plays a call, so between calls someone else has to. `answer` lends sipp the
 * port for one call (its `-aa` answers pings meanwhile) and takes it back.
 */
export async function carrierOn(sipp: string, port: number) {
  let socket: Socket | null = null;
  let stopped = false;
  // Who waits for the next ping (sipp counts an OPTIONS it answers as its one call, then ignores the INVITE).
  const pinged: (() => void)[] = [];
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      if (stopped) return resolve();
      const s = createSocket('udp4');
      s.on('message', (msg, from) => {
        const text = msg.toString('utf8');
        if (!text.startsWith('OPTIONS ')) return;
        // A response names the request's transaction: its Via, From, To (with a tag of ours), Call-ID and CSeq.
        const lines = text.split('\r\n').filter((l) => /^(via|v|from|f|to|t|call-id|i|cseq)\s*:/i.test(l));
        const reply = lines.map((l) => (/^(to|t)\s*:/i.test(l) && !/;tag=/i.test(l) ? `${l};tag=carrier` : l));
        s.send(`SIP/2.0 200 OK\r\n${reply.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`, from.port, from.address);
        for (const f of pinged.splice(0)) f();
      });
      s.once('error', reject);
      s.bind(port, '127.0.0.1', () => ((socket = s), resolve()));
    });
  const close = () => new Promise<void>((resolve) => (socket ? socket.close(() => ((socket = null), resolve())) : resolve()));
  await listen();
  return {
    /**
     * The carrier answers one call (sipp), then goes back to answering pings. Resolves once sipp holds the port (a
     * call sent sooner would meet a closed port), with the call's outcome to come; waits for a ping first (up to 35 s).
     */
    async answer(): Promise<{ done: Promise<{ code: number | null; output: string }> }> {
      // Just after a ping, the next is 30 s away: the call has sipp to itself.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 35_000);
        pinged.push(() => (clearTimeout(timer), resolve()));
      });
      await close();
      const done = answerOnce(sipp, port).finally(listen);
      await until(() => udpPortTaken(port), 5000, `sipp listening on ${port}`);
      return { done };
    },
    stop: () => ((stopped = true), close()),
  };
}

/** Whether something listens on a UDP port (read from the kernel's table: a probing bind could take it from sipp). */
function udpPortTaken(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/udp', 'utf8').split('\n').some((l) => l.trim().split(/\s+/)[1]?.endsWith(hex));
}

/** Play a phone with a server scenario from testing/sipp/ on a port, for one call (e.g. one that rings and is never answered). */
export async function serveOnce(sipp: string, scenario: string, port: number, workDir: string): Promise<{ code: number | null; output: string }> {
  const file = join(workDir, `${scenario}-${port}-${Date.now()}.xml`);
  writeFileSync(file, readFileSync(join(projectRoot, 'appliance', 'freeswitch', 'testing', 'sipp', `${scenario}.xml`), 'utf8'));
  const r = await runProcess(sipp, ['-sf', file, '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-timeout', '40', '-timeout_error', '-nostdin', '-trace_err', '-error_file', `${file}.err`]);
  const errors = existsSync(`${file}.err`) ? readFileSync(`${file}.err`, 'utf8') : '';
  return { code: r.code, output: `${errors.slice(0, 3000)}\n${r.output.slice(-800)}` };
}

async function runProcess(bin: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  return { code, output };
}

/** One INVITE that must be refused with `expected` (403 from an ACL, 407 from digest authentication). */
export function sippInviteRefused(sipp: string, target: string, service: string, expected: number, workDir: string) {
  return runSipp(sipp, { scenario: 'invite-expect', replace: { EXPECTED: String(expected), CALLER: '5551000' }, target, service, workDir });
}

/** Wait until a condition holds (polled every 50 ms), or fail after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string | (() => string) = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${typeof what === 'string' ? what : what()} not reached in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The next switch event of a kind that matches, or a failure after `ms`. */
export function next<K extends SwitchEventName>(sw: SwitchPort, name: K, match: (e: SwitchEvents[K]) => boolean, ms = 15_000): Promise<SwitchEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within ${ms} ms`)), ms);
    const off = sw.on(name, (e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}
