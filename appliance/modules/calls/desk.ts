/** Where a transfer or a consultation goes. */
export type Target =
  | { kind: 'extension'; number: string }
  | { kind: 'agent'; id: number }
  | { kind: 'queue'; id: number }
  | { kind: 'flow'; id: number }
  | { kind: 'external'; number: string };

/**
 * The agent's call as the call controls see it: which leg is the agent's phone and which the customer's, and what
 * the agent has done to it. A queue call's legs come from the ACD's talk; an outbound call is the desk's own.
 */
export interface Desk {
  agentId: number;
  /** The call's id: the caller's leg for a queue call, the agent's leg for a call the agent placed. */
  callId: string;
  direction: 'inbound' | 'outbound';
  agentLeg: string;
  /** Null while an outbound call is still ringing the agent's phone. */
  customerLeg: string | null;
  /** The customer's number. */
  number: string;
  /** The caller ID the customer sees (outbound). */
  callerId: string | null;
  queueId: number | null;
  state: 'dialing' | 'talking' | 'held' | 'consulting' | 'conference';
  muted: boolean;
  consult: { leg: string; to: string; answered: boolean } | null;
  since: number;
  /** The agent hung up from the console: the switch then sends the BYE on their leg, as when the customer hangs up. */
  hungUpByAgent?: boolean;
}

/** What the workbench shows of a desk. */
export function deskView(d: Desk) {
  return {
    callId: d.callId,
    direction: d.direction,
    number: d.number,
    callerId: d.callerId,
    queueId: d.queueId,
    state: d.state,
    muted: d.muted,
    consult: d.consult ? { to: d.consult.to, answered: d.consult.answered } : null,
    since: d.since,
  };
}

/** A number the agent may dial or send a caller to: digits, optionally after a +. */
export const DIALABLE = /^\+?[0-9]{2,20}$/;

export function describe(t: Target, names: { queue(id: number): string | null; flow(id: number): string | null; agent(id: number): string | null }): string {
  switch (t.kind) {
    case 'extension':
      return `extension ${t.number}`;
    case 'external':
      return t.number;
    case 'agent':
      return `agent ${names.agent(t.id) ?? t.id}`;
    case 'queue':
      return `queue ${names.queue(t.id) ?? t.id}`;
    case 'flow':
      return `flow ${names.flow(t.id) ?? t.id}`;
  }
}
