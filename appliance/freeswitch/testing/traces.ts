import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../paths.js';

/** The recorded FreeSWITCH 1.10.12 event-socket traffic that the fakes and parsers are held to. */
export const TRACE_DIR = join(projectRoot, '..', 'shared', 'freeswitch-traces');

export const TRACE_NAMES = [
  '01a-auth-wrong-password',
  '01b-command-before-auth',
  '01c-auth-events-filters-exit',
  '01d-log-and-sendevent',
  '02-api-commands',
  '03a-inbound-call-plain-ALL',
  '03b-inbound-call-json-ALL',
  '04-registration',
  '05a-bridge-caller-hangup',
  '05b-bridge-callee-hangup',
  '05c-originate-uuid-commands',
  '06a-outbound-socket-linger',
  '06b-outbound-socket-json-hangup',
  '06c-outbound-socket-nobody-listening',
  '07a-callcenter',
  '07b-eavesdrop',
] as const;
export type TraceName = (typeof TRACE_NAMES)[number];

export interface TraceStep {
  direction: 'sent' | 'received';
  seconds: number;
  bytes: Buffer;
}

/** The exact bytes FreeSWITCH sent on that connection. */
export const traceRaw = (name: TraceName): Buffer => readFileSync(join(TRACE_DIR, `${name}.raw`));

/** Both directions, message by message, from the .log file (see the traces' README for its format). */
export function traceSteps(name: TraceName): TraceStep[] {
  const steps: TraceStep[] = [];
  let current: { direction: TraceStep['direction']; seconds: number; lines: string[]; noNewline: boolean } | null = null;
  const flush = () => {
    if (!current) return;
    let text = current.lines.map((l) => `${l}\n`).join('');
    if (current.noNewline) text = text.slice(0, -1);
    steps.push({ direction: current.direction, seconds: current.seconds, bytes: Buffer.from(text, 'utf8') });
    current = null;
  };
  for (const line of readFileSync(join(TRACE_DIR, `${name}.log`), 'utf8').split('\n')) {
    const head = /^#@ \[\s*([\d.]+)\] (>>>|<<<) (sent|message) #\d+/.exec(line);
    if (head) {
      flush();
      current = { direction: head[2] === '>>>' ? 'sent' : 'received', seconds: Number(head[1]), lines: [], noNewline: false };
    } else if (line === '#@ (no newline at end of message)') {
      if (current) current.noNewline = true;
    } else if (current && (line.startsWith('<<< ') || line.startsWith('>>> '))) {
      current.lines.push(line.slice(4));
    } else if (current && (line === '<<<' || line === '>>>')) {
      current.lines.push('');
    }
  }
  flush();
  return steps;
}
