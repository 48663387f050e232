import { stat } from 'node:fs/promises';
import { Router } from 'express';
import { NotFoundError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam } from '../../http/params.js';
import type { Role } from '../users/users.types.js';
import type { RecordingService } from './recordings.service.js';

/** Whether a user may see a call (and so hear its recordings): the call records' access rule. */
export type CanSee = (user: { id: number; role: Role }, callId: string) => boolean;

const notFound = (id: number) => new NotFoundError('recording.not_found', { id }, { message: 'There is no such recording (it may have been deleted by the retention policy).' });

/**
 * GET /recordings/:id/audio: a recording for the browser's player, with seeking (HTTP range requests, which
 * express's sendFile answers: 206 and Content-Range, 416 past the end), or as a download with ?download=1.
 * Under the same rule as the call's record; a call the user may not see is a recording that does not exist.
 */
export function audioRoutes(svc: RecordingService, canSee: CanSee): Router {
  const r = Router();
  r.use(requireRole('admin', 'supervisor', 'agent'));
  r.get('/:id/audio', async (req, res) => {
    const id = idParam(req.params.id, 'recording');
    const file = svc.audioFile(id);
    if (!canSee({ id: req.user!.id, role: req.user!.role }, file.callId)) throw notFound(id);
    const size = await stat(file.path).then(
      (s) => s.size,
      () => null,
    );
    if (size === null) throw notFound(id);
    if (req.query.download === '1') res.attachment(file.downloadName);
    res.type(file.contentType);
    await new Promise<void>((resolve, reject) =>
      res.sendFile(file.path, { cacheControl: false, lastModified: true, acceptRanges: true }, (err?: Error & { status?: number }) => {
        if (!err || res.headersSent) return resolve();
        // send reports an unsatisfiable range as an error; the answer is 416 with the real length.
        if (err.status === 416) return void res.status(416).set('Content-Range', `bytes */${size}`).end(resolve);
        reject(err.status === 404 ? notFound(id) : err);
      }),
    );
  });
  return r;
}
