import { resolve, sep } from 'node:path';
import { commands } from '../../freeswitch/commands.js';
import type { SwitchPort } from '../../freeswitch/switch.port.js';
import { listVoicemail, type VoicemailMessage } from '../../freeswitch/voicemail.js';
import { NotFoundError } from '../../errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import type { ExtensionService } from './extensions.service.js';

/**
 * Voicemail messages of an extension's box. FreeSWITCH's mod_voicemail keeps them (its database, files under the
 * appliance's voicemail folder); the console lists, plays and deletes them through the switch's api.
 */
export class VoicemailService {
  private readonly root: string;

  constructor(private readonly d: { sw: SwitchPort; extensions: ExtensionService; audit: AuditService; voicemailDir: string }) {
    this.root = resolve(d.voicemailDir);
  }

  /** The box's messages, newest first; while the switch is away, why not. */
  async messages(extensionId: number): Promise<{ messages: (VoicemailMessage & { receivedAt: string; isNew: boolean })[]; unavailable: string | null }> {
    const e = this.d.extensions.get(extensionId);
    if (!e.voicemailEnabled) return { messages: [], unavailable: null };
    if (this.d.sw.status().state !== 'connected') return { messages: [], unavailable: 'FreeSWITCH is not connected: the messages show when it is.' };
    const messages = await listVoicemail(this.d.sw, e.number, await this.domain());
    return { messages: messages.map((m) => ({ ...m, receivedAt: new Date(m.createdEpoch * 1000).toISOString(), isNew: m.readEpoch === null })), unavailable: null };
  }

  /** The WAV file of one message of this box: only a file inside the voicemail folder is ever served. */
  async audioFile(extensionId: number, messageUuid: string): Promise<string> {
    const m = await this.find(extensionId, messageUuid);
    const path = resolve(m.path);
    if (!path.startsWith(this.root + sep) || !path.endsWith('.wav')) throw gone();
    return path;
  }

  async delete(extensionId: number, messageUuid: string, actor: Actor): Promise<void> {
    const m = await this.find(extensionId, messageUuid);
    const e = this.d.extensions.get(extensionId);
    await this.d.sw.api(commands.voicemailDelete(e.number, await this.domain(), m.uuid));
    this.d.audit.record(actor, { action: 'voicemail.deleted', entityType: 'extension', entityId: extensionId, summary: `deleted a voicemail message from ${m.callerNumber || 'an unknown caller'} in box ${e.number}` });
  }

  private async find(extensionId: number, messageUuid: string): Promise<VoicemailMessage> {
    const m = (await this.messages(extensionId)).messages.find((x) => x.uuid === messageUuid.toLowerCase());
    if (!m) throw gone();
    return m;
  }

  // The directory's domain, as FreeSWITCH expanded it ($${domain}): mod_voicemail names boxes by it.
  private async domain(): Promise<string> {
    return (await this.d.sw.api(commands.globalGetvar('domain'))).trim();
  }
}

const gone = () => new NotFoundError('voicemail.not_found', {}, { message: 'No such voicemail message.' });
