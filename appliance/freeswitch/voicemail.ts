import { FreeswitchCommandError } from '../errors.js';
import { commands } from './commands.js';
import type { SwitchPort } from './switch.port.js';

/** One message in a voicemail box, as mod_voicemail's `vm_list` reports it. */
export interface VoicemailMessage {
  uuid: string;
  /** Unix seconds. */
  createdEpoch: number;
  /** Unix seconds when first heard, or null while new. */
  readEpoch: number | null;
  folder: string;
  /** The WAV file FreeSWITCH wrote. */
  path: string;
  callerName: string;
  callerNumber: string;
  seconds: number;
}

// created:read:user:domain:folder:path:uuid:cid_name:cid_number:len; the caller's name is free text and may hold
// colons, so it is what lies between the uuid and the last two fields.
const LINE = /^(\d+):(\d+):([^:]*):(.*?):([A-Za-z]+):(\/[^:]*):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):(.*):([^:]*):(\d+)$/;

/** Parse `vm_list <box>@<domain>` text output, newest first; lines that are not messages are ignored. */
export function parseVoicemailList(text: string): VoicemailMessage[] {
  return text
    .split('\n')
    .map((l) => LINE.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      uuid: m[7]!,
      createdEpoch: Number(m[1]),
      readEpoch: Number(m[2]) > 0 ? Number(m[2]) : null,
      folder: m[5]!,
      path: m[6]!,
      callerName: m[8]!,
      callerNumber: m[9]!,
      seconds: Number(m[10]),
    }))
    .sort((a, b) => b.createdEpoch - a.createdEpoch);
}

/** A box's messages; an empty box is an empty list (the api answers nothing, which the event socket calls "no reply"). */
export async function listVoicemail(sw: Pick<SwitchPort, 'api'>, box: string, domain: string): Promise<VoicemailMessage[]> {
  try {
    return parseVoicemailList(await sw.api(commands.voicemailList(box, domain)));
  } catch (e) {
    if (e instanceof FreeswitchCommandError && e.details.reason === 'no reply') return [];
    throw e;
  }
}
