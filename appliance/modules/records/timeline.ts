import type { LedgerEntry } from '../ledger/ledger.js';
import type { TimelineItem } from './records.types.js';

type D = Record<string, unknown>;
const s = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const secs = (ms: unknown): string => (typeof ms === 'number' ? `${Math.round(ms / 1000)} s` : '');
const BY: Record<string, string> = { caller: 'the caller', customer: 'the customer', agent: 'the agent', switch: 'the switch', transfer: 'a transfer' };
const WHY: Record<string, string> = { abandoned: 'hung up', exit: 'left by the exit', maxWait: 'waited too long', noAgents: 'no agents', full: 'queue full' };

/** What each kind of entry says on a call's timeline; null: not worth a line (the legs' own bookkeeping). */
const SAY: Record<string, (d: D, first: boolean) => string | null> = {
  'leg.created': (d, first) => (first ? `Call from ${s(d.caller) || 'unknown'} to ${s(d.dialed) || s(d.destination)}` : s(d.channel).startsWith('loopback/') ? null : `Ringing ${s(d.destination)}`),
  'leg.answered': (_d, first) => (first ? 'Answered' : null),
  'leg.hungup': (d, first) => (first ? `Caller's leg ended (${s(d.cause)})` : s(d.channel).startsWith('loopback/') ? null : `Leg ${s(d.destination)} ended (${s(d.cause)})`),
  'flow.started': () => 'Entered the IVR',
  'flow.ended': (d) => `Left the IVR: ${s(d.outcome)}${d.detail ? ` (${s(d.detail)})` : ''}`,
  'queue.entered': () => 'Entered the queue',
  'queue.offer': () => 'Offered to the agent',
  'queue.cancel': (d) => `Offer withdrawn (${s(d.reason)})`,
  'queue.missed': (d) => `The agent did not answer (${s(d.cause)})`,
  'queue.answered': (d) => `The agent answered after ${secs(d.waitMs)} waiting`,
  'queue.abandoned': (d) => `Left the queue after ${secs(d.waitMs)}: ${WHY[s(d.reason)] ?? s(d.reason)}`,
  'queue.callback': (d) => `Asked to be called back after ${secs(d.waitMs)}`,
  'queue.callback_dial': (d) => `Calling back ${s(d.number)}`,
  'queue.overflow': (d) => `Overflowed after ${secs(d.waitMs)} (${WHY[s(d.reason)] ?? s(d.reason)})`,
  'queue.end': (d) => `Talk ended by ${BY[s(d.by)] ?? s(d.by)} after ${secs(d.talkMs)}${d.transfer ? `, to ${s(d.transfer)}` : ''}`,
  'queue.disposition': (d) => `Disposition: ${s(d.code)}${d.note ? ` (${s(d.note)})` : ''}`,
  'agent.state': (d) => (d.from === 'wrap_up' ? 'Wrap-up ended' : null),
  'call.hold': () => 'Put on hold',
  'call.unhold': () => 'Taken off hold',
  'call.mute': () => 'Agent muted',
  'call.unmute': () => 'Agent unmuted',
  'call.dtmf': (d) => `Keypad: ${s(d.count)} digit(s) sent`,
  'call.transfer': (d) => `${d.attended ? 'Attended' : 'Blind'} transfer to ${s(d.transfer)}`,
  'call.consult': (d) => `Consulting ${s(d.to)}`,
  'call.consult_end': (d) => `Back to the caller (${s(d.why)})`,
  'call.conference': (d) => `Three-way call with ${s(d.with)}`,
  'call.hangup': () => 'The agent hung up from the console',
  'call.outbound': (d) => `Dialling ${s(d.number)}${d.callerId ? ` as ${s(d.callerId)}` : ''}`,
  'call.answered': () => 'The customer answered',
  'call.end': (d) => `Call ended by ${BY[s(d.by)] ?? s(d.by)} after ${secs(d.talkMs)}`,
  'call.failed': (d) => `Not connected: ${s(d.cause)}`,
  'recording.started': (d) => `Recording started${d.stereo ? ' (stereo)' : ''}`,
  'recording.paused': () => 'Recording paused',
  'recording.resumed': () => 'Recording resumed',
  'recording.stored': (d) => `Recording stored (${secs(d.durationMs)})`,
  'recording.skipped': (d) => `Not recorded (${s(d.reason)})`,
  'recording.failed': (d) => `Recording failed${d.error ? `: ${s(d.error)}` : ''}`,
  'recording.deleted': () => 'Recording deleted (retention)',
  'acd.repair': (d) => `Repaired: ${s(d.what)}`,
};

/** The call's story, line by line, in the order it happened. */
export function timelineOf(entries: readonly LedgerEntry[], callId: string): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const e of entries) {
    const say = SAY[e.kind];
    const text = say ? say(e.data, e.data.uuid === callId) : null;
    if (text) items.push({ at: e.at, kind: e.kind, text, agentId: e.agentId, queueId: e.queueId });
  }
  // Stable: entries of the same moment keep the order they were written in.
  return items.sort((a, b) => a.at - b.at);
}
