import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { FreeswitchCommandError, FreeswitchTimeoutError, FreeswitchUnavailableError } from '../errors.js';
import { decodeEvent, encodeCommand, EslFrameReader, type EslEvent, type EslFrame, type HeaderSelection } from './esl-codec.js';

export interface EslConnectOptions {
  host: string;
  port: number;
  password: string;
  connectTimeoutMs: number;
  /** Decode only these event headers (the rest of a 200-header channel event is never looked at). */
  keepHeader?: HeaderSelection;
}

interface Pending {
  resolve(f: EslFrame): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}
interface Job {
  resolve(body: string): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/** Why a connection could not be made, in words for the console. */
export class EslConnectError extends Error {
  override name = 'EslConnectError';
  constructor(
    message: string,
    readonly kind: 'refused' | 'auth' | 'timeout' | 'closed' | 'rejected',
  ) {
    super(message);
  }
}

/**
 * One authenticated inbound event-socket connection. Replies are matched to commands in order, because
 * FreeSWITCH answers each command with the next command/reply or api/response on the socket (traces README
 * 7.1); so a command whose reply does not come in time poisons the order, and the connection is closed
 * rather than let later replies reach the wrong callers. Slow commands go as bgapi with our own Job-UUID and
 * resolve from their BACKGROUND_JOB event. Nothing thrown here escapes a socket callback.
 */
export class EslConnection {
  private readonly reader = new EslFrameReader();
  private readonly pending: Pending[] = [];
  private readonly jobs = new Map<string, Job>();
  private closedReason: string | null = null;
  private onEventFn: (e: EslEvent) => void = () => undefined;
  private onCloseFns: ((reason: string) => void)[] = [];

  private constructor(
    private readonly socket: Socket,
    private readonly keepHeader?: HeaderSelection,
  ) {}

  /** Connect and authenticate. Rejects with EslConnectError saying what went wrong. */
  static connect(o: EslConnectOptions): Promise<EslConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: o.host, port: o.port });
      socket.setNoDelay(true);
      const conn = new EslConnection(socket, o.keepHeader);
      let stage: 'greeting' | 'auth' | 'ready' = 'greeting';
      const fail = (e: EslConnectError) => {
        clearTimeout(timer);
        socket.destroy();
        reject(e);
      };
      const timer = setTimeout(() => fail(new EslConnectError(`no answer from ${o.host}:${o.port} within ${o.connectTimeoutMs} ms`, 'timeout')), o.connectTimeoutMs);
      const onFrame = (f: EslFrame) => {
        const type = f.headers['Content-Type'];
        if (stage === 'greeting') {
          if (type === 'text/rude-rejection') return fail(new EslConnectError('FreeSWITCH refused this address (event socket ACL)', 'rejected'));
          if (type !== 'auth/request') return;
          stage = 'auth';
          socket.write(encodeCommand(`auth ${o.password}`));
          return;
        }
        if (stage === 'auth' && type === 'command/reply') {
          if (f.headers['Reply-Text']?.startsWith('+OK')) {
            stage = 'ready';
            clearTimeout(timer);
            socket.removeListener('data', onData);
            socket.removeListener('close', onClose);
            conn.attach();
            resolve(conn);
          } else fail(new EslConnectError('authentication failed: the event-socket password does not match FreeSWITCH', 'auth'));
        }
      };
      const onData = (chunk: Buffer) => {
        try {
          for (const f of conn.reader.push(chunk)) {
            if (stage === 'ready') conn.dispatch(f);
            else onFrame(f);
          }
        } catch (e) {
          fail(new EslConnectError(`bad data from FreeSWITCH: ${(e as Error).message}`, 'closed'));
        }
      };
      const onClose = () => fail(new EslConnectError(`${o.host}:${o.port} closed the connection during login`, 'closed'));
      socket.on('data', onData);
      socket.once('close', onClose);
      socket.once('error', (e: NodeJS.ErrnoException) => {
        const why = e.code === 'ECONNREFUSED' ? `nothing listens on ${o.host}:${o.port} (is FreeSWITCH running?)` : e.message;
        fail(new EslConnectError(why, e.code === 'ECONNREFUSED' ? 'refused' : 'closed'));
      });
    });
  }

  get isOpen(): boolean {
    return this.closedReason === null;
  }

  onEvent(fn: (e: EslEvent) => void): void {
    this.onEventFn = fn;
  }

  onClose(fn: (reason: string) => void): void {
    this.onCloseFns.push(fn);
  }

  /** Send a command and wait for its reply frame. */
  command(line: string, timeoutMs: number, headers: Record<string, string> = {}, body?: string): Promise<EslFrame> {
    if (this.closedReason !== null) return Promise.reject(new FreeswitchUnavailableError('switch.unavailable', {}, { message: `not connected to FreeSWITCH: ${this.closedReason}` }));
    const text = encodeCommand(line, headers, body);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new FreeswitchTimeoutError('switch.timeout', { command: line.split(' ').slice(0, 2).join(' ') }, { message: `FreeSWITCH did not answer "${line.split(' ')[0]} ${line.split(' ')[1] ?? ''}" within ${timeoutMs} ms` }));
        // The reply may still come and would then answer the next command: start over instead.
        this.close(`no reply within ${timeoutMs} ms`);
      }, timeoutMs);
      this.pending.push({ resolve, reject, timer });
      this.socket.write(text);
    });
  }

  /** Run an api command; a body starting with -ERR rejects with FreeswitchCommandError. */
  async api(command: string, timeoutMs: number): Promise<string> {
    const reply = await this.command(`api ${command}`, timeoutMs);
    const body = reply.body.toString('utf8');
    if (body.startsWith('-ERR')) throw commandError(command, body);
    return body;
  }

  /** Run a command in the background; resolves with the BACKGROUND_JOB body. */
  async bgapi(command: string, timeoutMs: number): Promise<string> {
    const jobUuid = randomUUID();
    const done = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.jobs.delete(jobUuid);
        reject(new FreeswitchTimeoutError('switch.timeout', { job: jobUuid }, { message: `background job "${command.split(' ')[0]}" did not finish within ${timeoutMs} ms` }));
      }, timeoutMs);
      this.jobs.set(jobUuid, { resolve, reject, timer });
    });
    try {
      const reply = await this.command(`bgapi ${command}`, Math.min(timeoutMs, 5000), { 'Job-UUID': jobUuid });
      const text = reply.headers['Reply-Text'] ?? '';
      if (!text.startsWith('+OK')) throw commandError(command, text);
    } catch (e) {
      const job = this.jobs.get(jobUuid);
      if (job) {
        clearTimeout(job.timer);
        this.jobs.delete(jobUuid);
      }
      done.catch(() => undefined);
      throw e;
    }
    const body = await done;
    if (body.startsWith('-ERR')) throw commandError(command, body);
    return body;
  }

  /** Close the socket (no reconnect here); every waiting command is rejected. Safe to call twice. */
  close(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.socket.destroy();
    const err = new FreeswitchUnavailableError('switch.unavailable', {}, { message: `connection to FreeSWITCH closed: ${reason}` });
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    for (const [id, j] of this.jobs) {
      clearTimeout(j.timer);
      j.reject(err);
      this.jobs.delete(id);
    }
    for (const fn of this.onCloseFns) fn(reason);
  }

  private attach(): void {
    this.socket.on('data', (chunk: Buffer) => {
      try {
        for (const f of this.reader.push(chunk)) this.dispatch(f);
      } catch (e) {
        this.close(`bad data from FreeSWITCH: ${(e as Error).message}`);
      }
    });
    this.socket.on('error', (e) => this.close(e.message));
    this.socket.on('close', () => this.close('FreeSWITCH closed the connection'));
  }

  private dispatch(f: EslFrame): void {
    const type = f.headers['Content-Type'];
    if (type === 'command/reply' || type === 'api/response') {
      const p = this.pending.shift();
      if (!p) return this.close(`a reply nobody asked for: ${type}`);
      clearTimeout(p.timer);
      p.resolve(f);
      return;
    }
    if (type === 'text/disconnect-notice') return this.close('FreeSWITCH said goodbye (it is shutting down or dropped this listener)');
    const event = decodeEvent(f, this.keepHeader);
    if (!event) return;
    if (event.name === 'BACKGROUND_JOB') {
      const id = event.headers['Job-UUID'] ?? '';
      const job = this.jobs.get(id);
      if (job) {
        clearTimeout(job.timer);
        this.jobs.delete(id);
        job.resolve(event.body);
      }
    }
    this.onEventFn(event);
  }
}

function commandError(command: string, text: string): FreeswitchCommandError {
  const reason = text.replace(/^-ERR\s*/, '').trim();
  return new FreeswitchCommandError('switch.command_failed', { command: command.split(' ')[0], reason }, { message: `FreeSWITCH refused ${command.split(' ')[0]}: ${reason}` });
}
