import type { Response } from 'express';

/**
 * Write text chunks to a response as the client takes them: after a chunk the socket's buffer is full, wait for
 * 'drain' before the next, so a slow client never makes the whole export pile up in memory. Stops early when the
 * client goes away. The chunks are produced lazily, one at a time, by the iterable.
 */
export async function streamText(res: Response, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (!res.destroyed) res.end();
}
