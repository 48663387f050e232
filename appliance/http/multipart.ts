import busboy from 'busboy';
import type { Request } from 'express';
import { createWriteStream, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ForbiddenError, PayloadTooLargeError, ValidationError } from '../errors.js';
import { sameToken } from '../modules/auth/tokens.js';

export interface ReceivedFile {
  /** Where the bytes were written; the caller removes it. */
  path: string;
  /** The name the browser sent: only for showing, never for a path or a type. */
  originalName: string | null;
}

export const isMultipart = (req: Request): boolean => req.is('multipart/form-data') === 'multipart/form-data';

const csrfRefused = () =>
  new ForbiddenError('csrf.invalid', {}, { message: 'This form has expired or was not sent from this Callbox console. Go back, reload the page and try again.' });

/**
 * Read a multipart form with one file, streaming the file to `target` and stopping at `maxBytes`: then nothing is
 * kept, the rest of the request is discarded unread, and a PayloadTooLargeError says so. When the CSRF check was
 * left to this reader (csrf.ts), the form's `_csrf` field must come before the file, as browsers send fields in order.
 */
export function readUpload(req: Request, o: { field: string; target: string; maxBytes: number; tooBig: string }): Promise<{ fields: Record<string, string>; file: ReceivedFile | null }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: ReceivedFile | null = null;
    let writing: Promise<void> = Promise.resolve();
    let done = false;
    let bb: busboy.Busboy;
    const fail = (e: unknown) => {
      if (done) return;
      done = true;
      req.unpipe(bb);
      // The client is still sending: read on and drop it, so it gets to see the answer.
      req.resume();
      rmSync(o.target, { force: true });
      // A write still under way ends on an unlinked file; remove again in case it had not opened yet.
      writing.finally(() => rmSync(o.target, { force: true })).catch(() => undefined);
      reject(e);
    };
    const csrfOk = () => !req.csrfDeferred || (req.session !== undefined && sameToken(fields._csrf ?? '', req.session.csrfToken));
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: o.maxBytes, fields: 20, fieldSize: 8 * 1024, parts: 25 } });
    } catch (e) {
      return reject(new ValidationError('upload.unreadable', { [o.field]: 'The form could not be read.' }, (e as Error).message));
    }
    bb.on('field', (name, value) => (fields[name] = value));
    bb.on('file', (name, stream, info) => {
      if (!csrfOk()) return fail(csrfRefused());
      if (name !== o.field || file) return void stream.resume();
      file = { path: o.target, originalName: info.filename ? info.filename.slice(0, 200) : null };
      stream.on('limit', () => fail(new PayloadTooLargeError('upload.too_large', { maxBytes: o.maxBytes }, { message: o.tooBig })));
      writing = pipeline(stream, createWriteStream(o.target, { mode: 0o640 }));
      writing.catch(fail);
    });
    bb.on('error', (e: Error) => fail(new ValidationError('upload.unreadable', { [o.field]: 'The upload was interrupted or is not a valid form. Try again.' }, e.message)));
    bb.on('close', () => {
      if (done) return;
      if (!csrfOk()) return fail(csrfRefused());
      writing.then(
        () => {
          done = true;
          resolve({ fields, file });
        },
        (e: unknown) => fail(e),
      );
    });
    req.pipe(bb);
  });
}
