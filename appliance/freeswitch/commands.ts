import { ValidationError } from '../errors.js';

/**
 * Every command the controller sends is built here from checked parts; no text a user typed is ever pasted
 * into a command line. Each builder throws ValidationError('switch.bad_argument') naming the bad part.
 */
declare const built: unique symbol;
/** An api command line (what follows `api ` / `bgapi `). Only this module makes them. */
export type FsCommand = string & { readonly [built]: 'FsCommand' };
/** An application to run on a channel with sendmsg. */
export interface FsExecute {
  uuid: string;
  app: string;
  arg: string;
}

const cmd = (s: string) => s as FsCommand;
function check(ok: boolean, what: string, value: unknown): void {
  if (!ok) throw new ValidationError('switch.bad_argument', { [what]: `invalid ${what}: ${JSON.stringify(value)?.slice(0, 80)}` });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// SIP headers to add on a leg are variables too: sip_h_X-Name.
const VAR_NAME = /^([A-Za-z_][A-Za-z0-9_]{0,63}|sip_h_X-[A-Za-z0-9-]{1,40})$/;
/** Values go inside {a=b,c=d} and after setvar: nothing that ends or expands them. */
const VAR_VALUE = /^[^\s{}',"$\\;|<>`[\]]{0,256}$/;
const DIGITS = /^\+?[0-9]{1,32}$/;
const EXTENSION = /^[A-Za-z0-9_*#+.-]{1,64}$/;
const CONTEXT = /^[a-z][a-z0-9_]{0,31}$/;
const PROFILE = /^(internal|external)$/;
const GATEWAY = /^trunk_[1-9][0-9]{0,9}$/;
const MUSIC_STREAM = /^music_[1-9][0-9]{0,9}$/;
const CAUSE = /^[A-Z_]{3,40}$/;
const RECORD_ACTIONS: readonly string[] = ['start', 'stop', 'mask', 'unmask'];
const DTMF_SET = /^[0-9*#]{0,12}$/;
const SAFE_PATH = /^\/(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+$/;
/** Media FreeSWITCH generates itself, in the few shapes we use. */
const STREAM = /^(tone_stream:\/\/%\([0-9,]{1,60}\)(;loops=-1)?|silence_stream:\/\/[0-9]{1,7}(,[0-9]{1,4})?|local_stream:\/\/[a-z0-9_]{1,32})$/;

export const uuid = (u: string): string => (check(UUID.test(u), 'uuid', u), u.toLowerCase());
const varName = (n: string) => (check(VAR_NAME.test(n), 'variable name', n), n);
const varValue = (v: string) => (check(VAR_VALUE.test(v), 'variable value', v), v);
const cause = (c: string) => (check(CAUSE.test(c), 'hangup cause', c), c);

/** A file under one of the appliance's media folders, or a generated stream. No "..", no spaces. */
export function media(path: string): string {
  if (STREAM.test(path)) return path;
  check(SAFE_PATH.test(path) && !path.split('/').includes('..'), 'media path', path);
  return path;
}

/** Text a phone displays (a caller ID name): may hold spaces, so it goes in single quotes. */
const DISPLAY_VALUE = /^[^{}',"$\\;|<>`[\]\t\r\n]{1,80}$/;

/** Channel variables as FreeSWITCH's {a=b,c=d} prefix. */
export function channelVars(vars: Record<string, string | number | boolean>): string {
  const parts = Object.entries(vars).map(([k, v]) => {
    const s = String(v);
    if (!s.includes(' ')) return `${varName(k)}=${varValue(s)}`;
    check(DISPLAY_VALUE.test(s) && s.trim() === s, 'variable value', s);
    return `${varName(k)}='${s}'`;
  });
  return parts.length ? `{${parts.join(',')}}` : '';
}

export type Endpoint =
  | { kind: 'user'; extension: string; domain: string }
  | { kind: 'gateway'; trunk: string; number: string }
  | { kind: 'loopback'; extension: string; context: string };

export function dialString(e: Endpoint): string {
  switch (e.kind) {
    case 'user':
      check(EXTENSION.test(e.extension), 'extension', e.extension);
      check(/^[A-Za-z0-9.-]{1,253}$/.test(e.domain), 'domain', e.domain);
      return `user/${e.extension}@${e.domain}`;
    case 'gateway':
      check(GATEWAY.test(e.trunk), 'trunk', e.trunk);
      check(DIGITS.test(e.number), 'number', e.number);
      return `sofia/gateway/${e.trunk}/${e.number}`;
    case 'loopback':
      check(EXTENSION.test(e.extension), 'extension', e.extension);
      check(CONTEXT.test(e.context), 'context', e.context);
      return `loopback/${e.extension}/${e.context}`;
  }
}

/** A voicemail box as mod_voicemail's api names it: <extension>@<domain> in the default profile. */
function mailbox(box: string, domain: string): string {
  check(/^[1-9][0-9]{1,5}$/.test(box), 'mailbox', box);
  check(/^[A-Za-z0-9.-]{1,253}$/.test(domain), 'domain', domain);
  return `${box}@${domain}`;
}

export const commands = {
  status: () => cmd('status'),
  version: () => cmd('version'),
  reloadXml: () => cmd('reloadxml'),
  showChannels: () => cmd('show channels as json'),
  showRegistrations: () => cmd('show registrations as json'),
  sofiaStatus: () => cmd('sofia xmlstatus'),
  sofiaGateways: () => cmd('sofia xmlstatus gateway'),
  sofiaGateway: (gw: string) => (check(GATEWAY.test(gw), 'gateway', gw), cmd(`sofia xmlstatus gateway ${gw}`)),
  sofiaKillGateway: (profile: string, gw: string) => (check(PROFILE.test(profile), 'profile', profile), check(GATEWAY.test(gw), 'gateway', gw), cmd(`sofia profile ${profile} killgw ${gw}`)),
  sofiaRescan: (profile: string) => (check(PROFILE.test(profile), 'profile', profile), cmd(`sofia profile ${profile} rescan`)),
  sofiaStart: (profile: string) => (check(PROFILE.test(profile), 'profile', profile), cmd(`sofia profile ${profile} start`)),
  sofiaRestart: (profile: string) => (check(PROFILE.test(profile), 'profile', profile), cmd(`sofia profile ${profile} restart`)),
  /** Music classes are local_streams named music_<id>; reloadxml alone neither starts a new one nor stops an old one. */
  localStreamStart: (name: string) => (check(MUSIC_STREAM.test(name), 'stream', name), cmd(`local_stream start ${name}`)),
  localStreamStop: (name: string) => (check(MUSIC_STREAM.test(name), 'stream', name), cmd(`local_stream stop ${name}`)),
  moduleExists: (name: string) => (check(/^mod_[a-z0-9_]{1,40}$/.test(name), 'module', name), cmd(`module_exists ${name}`)),
  globalSetvar: (name: string, value: string) => cmd(`global_setvar ${varName(name)}=${varValue(value)}`),
  globalGetvar: (name: string) => cmd(`global_getvar ${varName(name)}`),
  uuidExists: (u: string) => cmd(`uuid_exists ${uuid(u)}`),
  uuidAnswer: (u: string) => cmd(`uuid_answer ${uuid(u)}`),
  uuidKill: (u: string, c = 'NORMAL_CLEARING') => cmd(`uuid_kill ${uuid(u)} ${cause(c)}`),
  uuidSetvar: (u: string, name: string, value: string) => cmd(`uuid_setvar ${uuid(u)} ${varName(name)} ${varValue(value)}`),
  /** Several variables in one round trip (values as for uuid_setvar; none may hold a ';'). */
  uuidSetvarMulti: (u: string, vars: Record<string, string>) => {
    const parts = Object.entries(vars).map(([k, v]) => `${varName(k)}=${varValue(v)}`);
    check(parts.length > 0, 'variables', vars);
    return cmd(`uuid_setvar_multi ${uuid(u)} ${parts.join(';')}`);
  },
  uuidGetvar: (u: string, name: string) => cmd(`uuid_getvar ${uuid(u)} ${varName(name)}`),
  /** Write the leg's RTP counters into its variables now (rtp_audio_in_packet_count …), as hangup would. */
  uuidSetMediaStats: (u: string) => cmd(`uuid_set_media_stats ${uuid(u)}`),
  uuidPark: (u: string) => cmd(`uuid_park ${uuid(u)}`),
  uuidBreak: (u: string) => cmd(`uuid_break ${uuid(u)} all`),
  uuidFlushDtmf: (u: string) => cmd(`uuid_flush_dtmf ${uuid(u)}`),
  uuidBridge: (a: string, b: string) => cmd(`uuid_bridge ${uuid(a)} ${uuid(b)}`),
  uuidHold: (u: string, on: boolean) => cmd(on ? `uuid_hold ${uuid(u)}` : `uuid_hold off ${uuid(u)}`),
  uuidTransfer: (u: string, extension: string, context: string) => {
    check(EXTENSION.test(extension), 'extension', extension);
    check(CONTEXT.test(context), 'context', context);
    return cmd(`uuid_transfer ${uuid(u)} ${extension} XML ${context}`);
  },
  /**
   * Record a leg (mod_commands' uuid_record <uuid> start|stop|mask|unmask <path>). The path names the recording in
   * later commands and picks the format by its extension, so it must be one of ours and end in .wav. Mask writes
   * silence for as long as it is on (the timeline stays whole); FreeSWITCH's pause would cut the time out instead.
   */
  uuidRecord: (u: string, action: 'start' | 'stop' | 'mask' | 'unmask', path: string) => {
    check(RECORD_ACTIONS.includes(action), 'record action', action);
    check(path.endsWith('.wav') && !STREAM.test(path), 'recording path', path);
    return cmd(`uuid_record ${uuid(u)} ${action} ${media(path)}`);
  },
  uuidSendDtmf: (u: string, digits: string) => (check(/^[0-9*#]{1,32}$/.test(digits), 'digits', digits), cmd(`uuid_send_dtmf ${uuid(u)} ${digits}`)),
  voicemailList: (box: string, domain: string) => cmd(`vm_list ${mailbox(box, domain)}`),
  voicemailDelete: (box: string, domain: string, message: string) => cmd(`vm_delete ${mailbox(box, domain)} ${uuid(message)}`),
  voicemailMarkRead: (box: string, domain: string, message: string, read: boolean) => cmd(`vm_read ${mailbox(box, domain)} ${read ? 'read' : 'unread'} ${uuid(message)}`),
  uuidBroadcast: (u: string, path: string) => cmd(`uuid_broadcast ${uuid(u)} ${media(path)} aleg`),
  /** Silence what the phone sends (the agent's mute), whatever the phone: desk or browser. */
  uuidMute: (u: string, on: boolean) => cmd(on ? `uuid_audio ${uuid(u)} start read mute 1` : `uuid_audio ${uuid(u)} stop`),
  /** How many are in a room of ours (the live view, tests). */
  conferenceCount: (room: string) => (check(/^callbox-[0-9a-f]{8}$/.test(room), 'room', room), cmd(`conference ${room} list count`)),
  /** Move a leg into a three-way conference room of ours (mod_conference, profile callbox); it ends below two members. */
  uuidConference: (u: string, room: string) => (check(/^callbox-[0-9a-f]{8}$/.test(room), 'room', room), cmd(`uuid_transfer ${uuid(u)} conference:${room}@callbox+flags{mintwo} inline`)),
  /** A new leg that runs `app` when answered; with a uuid of our choosing so its events can be followed. */
  originate: (o: { uuid: string; to: Endpoint; vars?: Record<string, string | number | boolean>; app: 'park' | { extension: string; context: string }; timeoutSeconds?: number }) => {
    const vars = channelVars({ origination_uuid: uuid(o.uuid), originate_timeout: o.timeoutSeconds ?? 30, ...(o.vars ?? {}) });
    const target =
      o.app === 'park'
        ? '&park()'
        : (check(EXTENSION.test(o.app.extension) && CONTEXT.test(o.app.context), 'destination', o.app), `${o.app.extension} XML ${o.app.context}`);
    return cmd(`originate ${vars}${dialString(o.to)} ${target}`);
  },
};

/** Applications run on one channel with sendmsg; arguments checked per application. */
export const apps = {
  answer: (u: string): FsExecute => ({ uuid: uuid(u), app: 'answer', arg: '' }),
  playback: (u: string, path: string): FsExecute => ({ uuid: uuid(u), app: 'playback', arg: media(path) }),
  park: (u: string): FsExecute => ({ uuid: uuid(u), app: 'park', arg: '' }),
  hangup: (u: string, c = 'NORMAL_CLEARING'): FsExecute => ({ uuid: uuid(u), app: 'hangup', arg: cause(c) }),
  set: (u: string, name: string, value: string): FsExecute => ({ uuid: uuid(u), app: 'set', arg: `${varName(name)}=${varValue(value)}` }),
  bridge: (u: string, to: Endpoint, vars: Record<string, string | number | boolean> = {}): FsExecute => ({ uuid: uuid(u), app: 'bridge', arg: `${channelVars(vars)}${dialString(to)}` }),
  eavesdrop: (u: string, target: string): FsExecute => ({ uuid: uuid(u), app: 'eavesdrop', arg: uuid(target) }),
  /** Play a prompt and collect digits into a channel variable (FreeSWITCH's play_and_get_digits). */
  collectDigits: (
    u: string,
    o: { prompt: string; min: number; max: number; tries: number; timeoutMs: number; terminators: string; invalidPrompt?: string; variable: string; digitTimeoutMs?: number; pattern?: string },
  ): FsExecute => {
    const n = (v: number, lo: number, hi: number, what: string) => (check(Number.isInteger(v) && v >= lo && v <= hi, what, v), v);
    check(DTMF_SET.test(o.terminators), 'terminators', o.terminators);
    const min = n(o.min, 1, 128, 'min digits');
    const max = n(o.max, min, 128, 'max digits');
    const arg = [
      min,
      max,
      n(o.tries, 1, 10, 'tries'),
      n(o.timeoutMs, 100, 120000, 'timeout'),
      o.terminators || 'none',
      media(o.prompt),
      o.invalidPrompt ? media(o.invalidPrompt) : 'silence_stream://250',
      varName(o.variable),
      // Only fixed patterns of keys: the argument is split on spaces, and a pattern is never user text.
      (check(o.pattern === undefined || /^[[\]0-9*#\\d+{},-]{1,40}$/.test(o.pattern), 'pattern', o.pattern ?? ''), o.pattern ?? '\\d+'),
      n(o.digitTimeoutMs ?? o.timeoutMs, 100, 120000, 'digit timeout'),
    ].join(' ');
    return { uuid: uuid(u), app: 'play_and_get_digits', arg };
  },
};
