import type { Response } from 'express';

/**
 * Answer with a WAV file the console's player may seek in: sendFile answers Range requests with 206 and the
 * asked-for bytes. Private audio (messages, prompts) is never kept in shared caches.
 */
export function sendAudio(res: Response, file: string): void {
  res.set('Cache-Control', 'private, no-store');
  res.type('audio/wav').sendFile(file);
}
