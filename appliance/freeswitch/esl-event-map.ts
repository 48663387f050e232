import { HeaderSelection, type EslEvent } from './esl-codec.js';
import type { ChannelInfo, Registration, SwitchEvent } from './switch.types.js';

type H = Record<string, string>;

/** Every header the mapping reads (and our own variables): the client decodes only these from each event. */
export const MAPPED_HEADERS = new HeaderSelection([
  'Event-Date-Timestamp', 'Unique-ID', 'Channel-Call-UUID', 'Call-Direction', 'Channel-Name', 'Caller-Caller-ID-Number',
  'Caller-Caller-ID-Name', 'Caller-Destination-Number', 'Caller-Context', 'Other-Leg-Unique-ID', 'Bridge-A-Unique-ID',
  'Bridge-B-Unique-ID', 'Hangup-Cause', 'variable_hangup_cause', 'variable_hangup_cause_q850', 'variable_sip_hangup_disposition',
  'Caller-Channel-Created-Time', 'Caller-Channel-Answered-Time', 'Caller-Channel-Hangup-Time', 'variable_billsec',
  'variable_duration', 'Application', 'Application-Data', 'Application-UUID', 'Application-Response', 'DTMF-Digit',
  'DTMF-Duration', 'DTMF-Source', 'Playback-File-Path', 'variable_current_application_data', 'Record-File-Path',
  'variable_record_ms', 'Job-UUID', 'Job-Command', 'Job-Command-Arg', 'FreeSWITCH-Version', 'Uptime-msec', 'Session-Count',
  'Max-Sessions', 'Session-Per-Sec-Last', 'Idle-CPU', 'profile-name', 'from-user', 'username', 'from-host', 'realm',
  'contact', 'call-id', 'network-ip', 'network-port', 'user-agent', 'expires', 'status', 'Gateway', 'State',
  'Ping-Status', 'Status', 'Phrase', 'variable_rtp_audio_in_media_packet_count', 'variable_rtp_audio_out_media_packet_count',
  'variable_rtp_audio_in_dtmf_packet_count', 'variable_other_loopback_leg_uuid',
], ['variable_callbox_']);

/** FreeSWITCH stamps events in microseconds since the epoch, as a string. */
const stamp = (h: H): number => Math.floor(Number(h['Event-Date-Timestamp'] ?? 0) / 1000);
const usToMs = (v: string | undefined): number | null => {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.floor(n / 1000) : null;
};
const int = (v: string | undefined): number | null => {
  if (v === undefined || v === '' || v === '_undef_') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const text = (v: string | undefined): string => (v === undefined || v === '_undef_' ? '' : v);

function channel(h: H): ChannelInfo {
  const vars: Record<string, string> = {};
  for (const k in h) if (k.startsWith('variable_callbox_')) vars[k.slice(17)] = h[k]!;
  return {
    uuid: text(h['Unique-ID']),
    callUuid: h['Channel-Call-UUID'] || null,
    direction: h['Call-Direction'] === 'outbound' ? 'outbound' : 'inbound',
    channelName: text(h['Channel-Name']),
    callerNumber: text(h['Caller-Caller-ID-Number']),
    callerName: text(h['Caller-Caller-ID-Name']),
    destination: text(h['Caller-Destination-Number']),
    context: text(h['Caller-Context']),
    otherUuid: h['Other-Leg-Unique-ID'] || null,
    loopbackUuid: h.variable_other_loopback_leg_uuid || null,
    vars,
    at: stamp(h),
  };
}

function registration(h: H): Registration {
  return {
    profile: text(h['profile-name']),
    user: text(h['from-user'] ?? h.username),
    domain: text(h['from-host'] ?? h.realm),
    contact: text(h.contact),
    callId: text(h['call-id']),
    networkIp: text(h['network-ip']),
    networkPort: int(h['network-port']),
    userAgent: text(h['user-agent']),
    expires: int(h.expires),
    status: text(h.status),
    at: stamp(h),
  };
}

const REGISTRATION: Record<string, 'registration.registered' | 'registration.unregistered' | 'registration.expired' | 'registration.failed'> = {
  'sofia::register': 'registration.registered',
  'sofia::unregister': 'registration.unregistered',
  'sofia::expire': 'registration.expired',
  'sofia::register_failure': 'registration.failed',
};

/**
 * One raw event to one domain event, or null for the events we do not use. Pure: the same input always gives
 * the same output, so it is tested against the recorded traces.
 */
export function mapEvent(e: EslEvent): SwitchEvent | null {
  const h = e.headers;
  switch (e.name) {
    case 'CHANNEL_CREATE':
      return { name: 'channel.created', data: channel(h) };
    case 'CHANNEL_ANSWER':
      return { name: 'channel.answered', data: channel(h) };
    case 'CHANNEL_PARK':
      return { name: 'channel.parked', data: channel(h) };
    case 'CHANNEL_HOLD':
      return { name: 'channel.held', data: channel(h) };
    case 'CHANNEL_UNHOLD':
      return { name: 'channel.unheld', data: channel(h) };
    case 'CHANNEL_BRIDGE':
    case 'CHANNEL_UNBRIDGE': {
      const data = { ...channel(h), aUuid: text(h['Bridge-A-Unique-ID']), bUuid: text(h['Bridge-B-Unique-ID']) };
      return e.name === 'CHANNEL_BRIDGE' ? { name: 'channel.bridged', data } : { name: 'channel.unbridged', data };
    }
    case 'CHANNEL_HANGUP_COMPLETE':
      return {
        name: 'channel.hungup',
        data: {
          ...channel(h),
          cause: text(h['Hangup-Cause'] ?? h.variable_hangup_cause) || 'UNKNOWN',
          causeQ850: int(h.variable_hangup_cause_q850),
          disposition: h.variable_sip_hangup_disposition ?? null,
          createdAt: usToMs(h['Caller-Channel-Created-Time']),
          answeredAt: usToMs(h['Caller-Channel-Answered-Time']),
          hungupAt: usToMs(h['Caller-Channel-Hangup-Time']),
          billsec: int(h.variable_billsec) ?? 0,
          duration: int(h.variable_duration) ?? 0,
          // Legs without RTP (loopback, refused calls) have no counts.
          media: h.variable_rtp_audio_out_media_packet_count === undefined
            ? null
            : { inPackets: int(h.variable_rtp_audio_in_media_packet_count) ?? 0, outPackets: int(h.variable_rtp_audio_out_media_packet_count) ?? 0, dtmfPackets: int(h.variable_rtp_audio_in_dtmf_packet_count) ?? 0 },
        },
      };
    case 'CHANNEL_EXECUTE_COMPLETE':
      return {
        name: 'channel.executed',
        data: {
          ...channel(h),
          application: text(h.Application),
          data: text(h['Application-Data']),
          applicationUuid: h['Application-UUID'] || null,
          response: text(h['Application-Response']),
        },
      };
    case 'DTMF':
      return {
        name: 'dtmf.received',
        data: { uuid: text(h['Unique-ID']), digit: text(h['DTMF-Digit']), durationSamples: int(h['DTMF-Duration']), source: text(h['DTMF-Source']), at: stamp(h) },
      };
    case 'PLAYBACK_START':
    case 'PLAYBACK_STOP': {
      const data = { uuid: text(h['Unique-ID']), file: text(h['Playback-File-Path'] ?? h.variable_current_application_data), at: stamp(h) };
      return e.name === 'PLAYBACK_START' ? { name: 'playback.started', data } : { name: 'playback.stopped', data };
    }
    case 'RECORD_START':
      return { name: 'record.started', data: { uuid: text(h['Unique-ID']), file: text(h['Record-File-Path']), at: stamp(h) } };
    case 'RECORD_STOP':
      return { name: 'record.stopped', data: { uuid: text(h['Unique-ID']), file: text(h['Record-File-Path']), ms: int(h.variable_record_ms), at: stamp(h) } };
    case 'BACKGROUND_JOB':
      return {
        name: 'job.completed',
        data: { jobUuid: text(h['Job-UUID']), command: text(h['Job-Command']), args: text(h['Job-Command-Arg']), ok: !e.body.startsWith('-ERR'), body: e.body, at: stamp(h) },
      };
    case 'HEARTBEAT':
      return {
        name: 'heartbeat',
        data: {
          version: text(h['FreeSWITCH-Version']),
          uptimeMs: int(h['Uptime-msec']) ?? 0,
          sessions: int(h['Session-Count']) ?? 0,
          maxSessions: int(h['Max-Sessions']) ?? 0,
          sessionsPerSecond: int(h['Session-Per-Sec-Last']) ?? 0,
          idleCpu: int(h['Idle-CPU']),
          at: stamp(h),
        },
      };
    case 'CUSTOM': {
      const subclass = h['Event-Subclass'] ?? '';
      const reg = REGISTRATION[subclass];
      if (reg) return { name: reg, data: registration(h) } as SwitchEvent;
      if (subclass === 'sofia::gateway_state') {
        return {
          name: 'gateway.state',
          data: { gateway: text(h.Gateway), state: text(h.State), pingStatus: h['Ping-Status'] ?? null, status: int(h.Status), phrase: h.Phrase ?? null, at: stamp(h) },
        };
      }
      return null;
    }
    default:
      return null;
  }
}
