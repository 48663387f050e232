import type { AcdSource } from './acd.source.js';
import type { Acd } from './engine/types.js';

/** Speech for the queues: rendered and cached by the prompts module, played on a channel. */
export interface Speaker {
  /** A library prompt's file, when ready. */
  fileOf(promptId: number): string | null;
  /** The file of spoken text (rendered once, then cached). */
  speak(text: string): Promise<string>;
}

/** Average handle time assumed before a queue has answered calls to learn from. */
const DEFAULT_HANDLE_S = 180;

/**
 * What a waiting caller hears at an announcement: the queue's prompt, then their position and the estimated wait.
 * The estimate is the callers ahead shared among the agents logged in to the queue, each taking an average
 * handle time; it is said in whole minutes, rounded up, because a promise of "about 2 minutes" that takes 3 is
 * worse than the reverse.
 */
export async function announcement(runner: { acd: Acd; averageHandleS(queueId: number): number | null }, callId: string, source: AcdSource, speaker: Speaker): Promise<string[]> {
  const entry = runner.acd.entry(callId);
  const position = runner.acd.position(callId);
  if (!entry || position === null) return [];
  const media = source.media(entry.queueId);
  if (!media) return [];
  const files: string[] = [];
  if (media.announcePromptId) {
    const f = speaker.fileOf(media.announcePromptId);
    if (f) files.push(f);
  }
  const words: string[] = [];
  if (media.announcePosition) words.push(position === 1 ? 'You are next in line.' : `You are number ${position} in line.`);
  if (media.announceWait) {
    const staffed = runner.acd.agents().filter((a) => a.state !== 'logged_out' && a.queueIds.includes(entry.queueId)).length;
    if (staffed > 0) {
      const minutes = Math.max(1, Math.ceil((position * (runner.averageHandleS(entry.queueId) ?? DEFAULT_HANDLE_S)) / staffed / 60));
      words.push(`Your expected wait is about ${minutes} minute${minutes === 1 ? '' : 's'}.`);
    }
  }
  if (words.length) files.push(await speaker.speak(words.join(' ')));
  return files;
}
