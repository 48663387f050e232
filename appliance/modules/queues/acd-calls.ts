import { AppError } from '../../errors.js';
import type { AcdSource } from './acd.source.js';
import type { Destination } from './engine/types.js';

/** An offer ringing an agent: the agent's leg, until it is answered, fails or is cancelled. */
export interface Offer {
  leg: string;
  callId: string;
  agentId: number;
  queueId: number;
  /** The caller's number (a callback dials it). */
  number: string;
  cancelled: boolean;
}
/** An answered queue call: the caller's leg (null for a callback, whose customer is dialled from the agent's leg) and the agent's. */
export interface Talk {
  callId: string;
  agentId: number;
  queueId: number;
  leg: string;
  callerLeg: string | null;
  /** The caller's number and name. */
  number: string;
  callerName?: string;
  answeredAt: number;
  ended: boolean;
  /**
   * In a three-way room: when the agent leaves, the caller and the third person talk on (the room ends itself below
   * two); when the caller leaves, the agent's side ends too, so an agent never sits in a room the ACD thinks is over.
   */
  conference?: boolean;
}

/** A number FreeSWITCH may dial back or show: digits with an optional +. */
export const dialable = (n: string): boolean => /^\+?[0-9]{3,20}$/.test(n);

/** A caller ID name a phone can show: our command builder quotes spaces, and refuses quotes and brackets. */
export const displayName = (s: string): string => s.replace(/[^\p{L}\p{N} ._:@-]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 60) || 'Queue';

/** The hangup cause an offer failed with, as FreeSWITCH reported it (originate's -ERR). */
export function causeOf(err: unknown): string {
  if (err instanceof AppError) {
    const reason = err.details.reason;
    if (typeof reason === 'string' && /^[A-Z_]{3,40}$/.test(reason.trim())) return reason.trim();
    // The switch went away or did not answer in time: nobody answered.
    if (err.code === 'switch.timeout') return 'TIMEOUT';
    return 'NETWORK_OUT_OF_ORDER';
  }
  const cause = (err as { cause?: unknown } | null)?.cause;
  return typeof cause === 'string' ? cause : 'NETWORK_OUT_OF_ORDER';
}

/** Where a transfer for a destination goes in our dialplan. */
export function destinationOf(to: Destination, source: AcdSource): { kind: 'hangup' } | { kind: 'transfer'; extension: string; context: string; flowId?: number } {
  switch (to.kind) {
    case 'hangup':
    case 'queue':
      return { kind: 'hangup' };
    case 'flow':
      // The dialplan parks a call for a flow at `enter`, and the flow runner picks it up there.
      return { kind: 'transfer', extension: 'enter', context: 'callbox', flowId: to.flowId };
    case 'extension': {
      const n = source.extensionNumber(to.extensionId);
      return n ? { kind: 'transfer', extension: n, context: 'internal' } : { kind: 'hangup' };
    }
    case 'voicemail': {
      const n = source.extensionNumber(to.extensionId);
      return n ? { kind: 'transfer', extension: n, context: 'callbox_voicemail' } : { kind: 'hangup' };
    }
  }
}
