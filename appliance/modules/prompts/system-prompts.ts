import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../logger.js';
import { DEFAULT_VOICE, renderSpeech, speechAvailable, type Voice } from './speech.js';

/**
 * The appliance's own spoken prompts, rendered on the box so no sound pack is needed. The voicemail prompts name
 * mod_voicemail's default keys (its profile in voicemail.conf keeps them); the digits are what mod_say_en plays
 * for numbers (digits/N.wav). The phrase macros in freeswitch-conf/templates/lang/en.xml.hbs play these files.
 */
export const SYSTEM_PROMPTS: Readonly<Record<string, string>> = {
  'vm/hello': 'Welcome to your voicemail.',
  'vm/goodbye': 'Goodbye.',
  'vm/enter-id': 'Please enter your mailbox number, then press pound.',
  'vm/enter-pass': 'Please enter your PIN, then press pound.',
  'vm/fail-auth': 'That is not correct.',
  'vm/abort': 'Too many failed attempts. Goodbye.',
  'vm/you-have': 'You have',
  'vm/new': 'new',
  'vm/saved': 'saved',
  'vm/urgent-new': 'urgent new',
  'vm/urgent-saved': 'urgent saved',
  'vm/message': 'message.',
  'vm/messages': 'messages.',
  'vm/menu': 'To listen to new messages, press 1. To listen to saved messages, press 2. For mailbox options, press 5. To leave, press pound.',
  'vm/config-menu': 'To record your greeting, press 1. To choose a greeting, press 2. To record your name, press 3. To change your PIN, press 6. To go back to the main menu, press 0.',
  'vm/listen-file-check': 'To hear this message again, press 0. To save it, press 2. To delete it, press 7. For the next message, press 3. For the previous one, press 1. To forward it to another mailbox, press 8.',
  'vm/record-file-check': 'To listen to your recording, press 1. To keep it, press 2. To record it again, press 3.',
  'vm/record-urgent-check': 'To mark this message urgent, press star. Otherwise, press pound.',
  'vm/record-message': 'Please leave your message after the tone. When you are done, hang up, or press pound.',
  'vm/record-greeting': 'Record your greeting after the tone. When you are done, press pound.',
  'vm/record-name': 'After the tone, say your name. When you are done, press pound.',
  'vm/choose-greeting': 'Choose a greeting from 1 to 3.',
  'vm/choose-greeting-fail': 'That is not a valid choice.',
  'vm/greeting': 'Greeting',
  'vm/selected': 'selected.',
  'vm/person-at-extension': 'The person at extension',
  'vm/not-available': 'is not available.',
  'vm/new-message-number': 'New message',
  'vm/saved-message-number': 'Saved message',
  'vm/from': 'From',
  'vm/invalid-extension': 'That is not a valid mailbox.',
  'vm/forward-enter-extension': 'Enter the mailbox to forward to, then press pound.',
  'vm/forward-prepend': 'To record an introduction first, press 1. To forward the message as it is, press 8.',
  'vm/change-pass-success': 'Your PIN has been changed.',
  'vm/change-pass-fail': 'That PIN cannot be used.',
  'vm/quota-exceeded': 'This mailbox is full.',
  'vm/ack-saved': 'Saved.',
  'vm/ack-deleted': 'Deleted.',
  'vm/ack-undeleted': 'Restored.',
  'vm/ack-emailed': 'Sent.',
  'vm/ack-too-small': 'That message was too short to keep.',
  'vm/ack-marked-urgent': 'Marked urgent.',
  ...digitPrompts(),
};

function digitPrompts(): Record<string, string> {
  const ones = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
  const tens = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
  const out: Record<string, string> = {};
  ones.forEach((w, n) => (out[`digits/${n}`] = w));
  tens.forEach((w, i) => (out[`digits/${(i + 2) * 10}`] = w));
  Object.assign(out, { 'digits/hundred': 'hundred', 'digits/thousand': 'thousand', 'digits/million': 'million' });
  return out;
}

const MANIFEST = '.rendered.json';
const fingerprint = (text: string, voice: Voice) => createHash('sha256').update(JSON.stringify([text, voice])).digest('hex').slice(0, 16);

/**
 * Render every system prompt that is missing or whose text or voice changed; a manifest of fingerprints makes a
 * restart cost nothing. Without espeak-ng or sox it renders nothing and says so: calls still work, in silence.
 */
export async function ensureSystemPrompts(dir: string, log: Logger, voice: Voice = DEFAULT_VOICE): Promise<{ rendered: number; failed: string[]; available: boolean }> {
  const manifestFile = join(dir, MANIFEST);
  const manifest: Record<string, string> = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, string>) : {};
  const todo = Object.entries(SYSTEM_PROMPTS).filter(([name, text]) => manifest[name] !== fingerprint(text, voice) || !existsSync(join(dir, `${name}.wav`)));
  if (todo.length === 0) return { rendered: 0, failed: [], available: true };
  if (!(await speechAvailable())) {
    log.warn({ missing: todo.length }, 'espeak-ng or sox is not installed: voicemail and other system prompts stay silent until they are (install.sh installs them)');
    return { rendered: 0, failed: todo.map(([n]) => n), available: false };
  }
  const failed: string[] = [];
  for (const [name, text] of todo) {
    try {
      await renderSpeech(text, join(dir, `${name}.wav`), voice);
      manifest[name] = fingerprint(text, voice);
    } catch (e) {
      failed.push(name);
      log.error({ prompt: name, err: (e as Error).message }, 'could not render a system prompt');
    }
  }
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 1)}\n`);
  log.info({ rendered: todo.length - failed.length, failed: failed.length }, 'system prompts rendered');
  return { rendered: todo.length - failed.length, failed, available: true };
}
