import { rmSync } from 'node:fs';
import { ValidationError } from '../../errors.js';
import { convertForTelephony, detectAudioType, durationMs, sha256File, sizeOf } from './audio.js';
import { MAX_DURATION_MS } from './prompts.types.js';

export interface ConvertedAudio {
  /** The converted work file; the caller moves it into place or removes it. */
  work: string;
  hash: string;
  durationMs: number;
  sizeBytes: number;
}

const refused = (message: string) => new ValidationError('prompt.bad_audio', { file: message }, message);

/**
 * Check an uploaded file and convert it for telephony. Its type comes from its first bytes; sox must be able to
 * read it (a damaged file is refused here, not discovered by a caller hearing silence); at most 10 minutes, which
 * is checked on what sox made: an MP3's own idea of its length is an estimate.
 */
export async function convertUpload(file: string, work: string): Promise<ConvertedAudio> {
  const type = detectAudioType(file);
  if (!type) throw refused('This is not a WAV or MP3 file. Upload a .wav or .mp3 recording.');
  const label = type === 'wav' ? 'WAV' : 'MP3';
  try {
    try {
      // A second past the limit is kept, so a longer file is told apart; sox stops reading there.
      await convertForTelephony(file, type, work, MAX_DURATION_MS / 1000 + 1);
    } catch {
      throw refused(`This ${label} file cannot be read: it is damaged or not really ${label} audio. Nothing was saved.`);
    }
    const ms = await durationMs(work);
    if (ms <= 0) throw refused(`This ${label} file holds no audio that could be read. Nothing was saved.`);
    if (ms > MAX_DURATION_MS) throw refused(`This recording lasts more than ${MAX_DURATION_MS / 60000} minutes, the most a prompt may last. Nothing was saved.`);
    return { work, hash: await sha256File(work), durationMs: ms, sizeBytes: sizeOf(work) };
  } catch (e) {
    rmSync(work, { force: true });
    throw e;
  }
}
