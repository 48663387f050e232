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
    if (!this.d.extensions.get(extensionId).voicemailEnabled) return { messages: [], unavailable: null };
    if (!this.d.sw.isConnected) return { messages: [], unavailable: 'FreeSWITCH is not connected: the messages show when it is.' };
    const { messages } = await this.box(extensionId);
    return { messages: messages.map((m) => ({ ...m, receivedAt: new Date(m.createdEpoch * 1000).toISOString(), isNew: m.readEpoch === null })), unavailable: null };
  }

  /** The WAV file of one message of this box: only a file inside the voicemail folder is ever served. */
  async audioFile(extensionId: number, messageUuid: string): Promise<string> {
    const { message: m } = await this.find(extensionId, messageUuid);
    const path = resolve(m.path);
    if (!path.startsWith(this.root + sep) || !path.endsWith('.wav')) throw gone();
    return path;
  }

  async delete(extensionId: number, messageUuid: string, actor: Actor): Promise<void> {
    const { box, domain, message: m } = await this.find(extensionId, messageUuid);
    await this.d.sw.api(commands.voicemailDelete(box, domain, m.uuid));
    this.d.audit.record(actor, { action: 'voicemail.deleted', entityType: 'extension', entityId: extensionId, summary: `deleted a voicemail message from ${m.callerNumber || 'an unknown caller'} in box ${box}` });
  }

  /** A box as mod_voicemail names it (extension and the domain FreeSWITCH expanded from $${domain}), with its messages. */
  private async box(extensionId: number): Promise<{ box: string; domain: string; messages: VoicemailMessage[] }> {
    const box = this.d.extensions.get(extensionId).number;
    const domain = (await this.d.sw.api(commands.globalGetvar('domain'))).trim();
    return { box, domain, messages: await listVoicemail(this.d.sw, box, domain) };
  }

  private async find(extensionId: number, messageUuid: string) {
    const b = await this.box(extensionId);
    const message = b.messages.find((x) => x.uuid === messageUuid.toLowerCase());
    if (!message) throw gone();
    return { ...b, message };
  }
}

const gone = () => new NotFoundError('voicemail.not_found', {}, { message: 'No such voicemail message.' });
