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
const minutes = (ms: number) => `${Math.floor(ms / 60000)}:${String(Math.round((ms % 60000) / 1000)).padStart(2, '0')}`;

/**
 * Check an uploaded file and convert it for telephony. Its type comes from its first bytes; sox must be able to
 * read it (a damaged file is refused here, not discovered by a caller hearing silence); at most 10 minutes.
 */
export async function convertUpload(file: string, work: string): Promise<ConvertedAudio> {
  const type = detectAudioType(file);
  if (!type) throw refused('This is not a WAV or MP3 file. Upload a .wav or .mp3 recording.');
  const label = type === 'wav' ? 'WAV' : 'MP3';
  let inputMs: number;
  try {
    inputMs = await durationMs(file, type);
  } catch {
    throw refused(`This ${label} file cannot be read: it is damaged or not really ${label} audio. Nothing was saved.`);
  }
  // Refuse before converting: a low-bitrate MP3 of 5 MB may last an hour and more.
  if (inputMs > MAX_DURATION_MS) throw refused(`This recording lasts ${minutes(inputMs)}; prompts may last at most ${minutes(MAX_DURATION_MS)} minutes.`);
  try {
    try {
      await convertForTelephony(file, type, work);
    } catch {
      throw refused(`This ${label} file cannot be read: it is damaged or not really ${label} audio. Nothing was saved.`);
    }
    const ms = await durationMs(work, 'wav');
    if (ms <= 0) throw refused(`This ${label} file holds no audio that could be read. Nothing was saved.`);
    if (ms > MAX_DURATION_MS) throw refused(`This recording lasts ${minutes(ms)}; prompts may last at most ${minutes(MAX_DURATION_MS)} minutes.`);
    return { work, hash: await sha256File(work), durationMs: ms, sizeBytes: sizeOf(work) };
  } catch (e) {
    rmSync(work, { force: true });
    throw e;
  }
}
