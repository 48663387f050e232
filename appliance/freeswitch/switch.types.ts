/** What the rest of the controller knows of FreeSWITCH: typed domain events, never raw ESL headers. */

export type CallDirection = 'inbound' | 'outbound';

export interface ChannelInfo {
  uuid: string;
  /** FreeSWITCH's call uuid; for a B-leg it changes during the call (traces 05a/05b), so do not key on it. */
  callUuid: string | null;
  direction: CallDirection;
  channelName: string;
  callerNumber: string;
  callerName: string;
  destination: string;
  context: string;
  /** The partner leg, when FreeSWITCH names one (Other-Leg-Unique-ID). */
  otherUuid: string | null;
  /** For a loopback channel, its twin (other_loopback_leg_uuid): how a loopback call's legs find each other. */
  loopbackUuid: string | null;
  /** Our own channel variables (variable_callbox_*), without the prefix. */
  vars: Record<string, string>;
  /** When FreeSWITCH stamped the event (ms since the epoch). */
  at: number;
}

export interface HangupInfo extends ChannelInfo {
  cause: string;
  causeQ850: number | null;
  /** send_bye / recv_bye / send_cancel / recv_cancel / send_refuse ...: which side ended the call. */
  disposition: string | null;
  createdAt: number | null;
  answeredAt: number | null;
  hungupAt: number | null;
  billsec: number;
  duration: number;
  /** RTP audio packets received and sent, and RFC 2833 DTMF packets received: proof that media flowed. */
  media: { inPackets: number; outPackets: number; dtmfPackets: number } | null;
}

export interface Registration {
  profile: string;
  user: string;
  domain: string;
  contact: string;
  callId: string;
  networkIp: string;
  networkPort: number | null;
  userAgent: string;
  /** Seconds for register; 0 for unregister; an absolute epoch for expire (FreeSWITCH's own quirk). */
  expires: number | null;
  status: string;
  at: number;
}

export interface SwitchEvents {
  'channel.created': ChannelInfo;
  'channel.answered': ChannelInfo;
  'channel.parked': ChannelInfo;
  'channel.bridged': ChannelInfo & { aUuid: string; bUuid: string };
  'channel.unbridged': ChannelInfo & { aUuid: string; bUuid: string };
  'channel.held': ChannelInfo;
  'channel.unheld': ChannelInfo;
  'channel.hungup': HangupInfo;
  /** An application finished on a channel: how per-call commands learn they are done. */
  'channel.executed': ChannelInfo & { application: string; data: string; applicationUuid: string | null; response: string };
  'dtmf.received': { uuid: string; digit: string; durationSamples: number | null; source: string; at: number };
  'playback.started': { uuid: string; file: string; at: number };
  'playback.stopped': { uuid: string; file: string; at: number };
  'record.started': { uuid: string; file: string; at: number };
  'record.stopped': { uuid: string; file: string; ms: number | null; at: number };
  'registration.registered': Registration;
  'registration.unregistered': Registration;
  'registration.expired': Registration;
  'registration.failed': Registration;
  'gateway.state': { gateway: string; state: string; pingStatus: string | null; status: number | null; phrase: string | null; at: number };
  'job.completed': { jobUuid: string; command: string; args: string; ok: boolean; body: string; at: number };
  heartbeat: { version: string; uptimeMs: number; sessions: number; maxSessions: number; sessionsPerSecond: number; idleCpu: number | null; at: number };
}
export type SwitchEventName = keyof SwitchEvents;
export type SwitchEvent = { [K in SwitchEventName]: { name: K; data: SwitchEvents[K] } }[SwitchEventName];

/** The ESL subscription that feeds every event above, and nothing else (subscribing to ALL floods the socket). */
export const SUBSCRIBED_EVENTS = [
  'CHANNEL_CREATE',
  'CHANNEL_ANSWER',
  'CHANNEL_PARK',
  'CHANNEL_BRIDGE',
  'CHANNEL_UNBRIDGE',
  'CHANNEL_HOLD',
  'CHANNEL_UNHOLD',
  'CHANNEL_HANGUP_COMPLETE',
  'CHANNEL_EXECUTE_COMPLETE',
  'DTMF',
  'PLAYBACK_START',
  'PLAYBACK_STOP',
  'RECORD_START',
  'RECORD_STOP',
  'BACKGROUND_JOB',
  'HEARTBEAT',
  'CUSTOM',
  'sofia::register',
  'sofia::unregister',
  'sofia::expire',
  'sofia::register_failure',
  'sofia::gateway_state',
] as const;
