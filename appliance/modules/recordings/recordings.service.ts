import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../clock.js';
import { NotFoundError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Ledger } from '../ledger/ledger.js';
import type { DiskGuard, DiskStatus } from './disk-guard.js';
import type { RecordingRepository } from './recordings.repository.js';
import type { Recording } from './recordings.types.js';

/** A recording's file for playback: the absolute path, its type, and a name for a download. */
export interface AudioFile {
  path: string;
  contentType: string;
  downloadName: string;
  callId: string;
}

/**
 * Stored recordings: lookups for the records pages and playback, the retention job, and the disk guard's job.
 * The recorder (recorder.ts) makes them; this only reads, and deletes what the retention policy says.
 */
export class RecordingService {
  constructor(private readonly d: { repo: RecordingRepository; ledger: Ledger; clock: Clock; log: Logger; dataDir: string; guard: DiskGuard }) {}

  recordingsOfCall(callId: string): Recording[] {
    return this.d.repo.ofCall(callId);
  }

  find(id: number): Recording | null {
    return this.d.repo.findById(id);
  }

  /** The file to play; NotFoundError when it was never stored, is deleted, or is still being recorded. */
  audioFile(id: number): AudioFile {
    const r = this.d.repo.findById(id);
    if (!r || r.status !== 'stored') throw new NotFoundError('recording.not_found', { id }, { message: 'There is no such recording (it may have been deleted by the retention policy).' });
    const day = new Date(r.startedAt).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    return { path: join(this.d.dataDir, r.path), contentType: r.format === 'mp3' ? 'audio/mpeg' : 'audio/wav', downloadName: `recording-${day}-${r.id}.${r.format}`, callId: r.callId };
  }

  /** The retention job: remove files past their policy's days. Returns how many were deleted. */
  async purgeExpired(limit = 1000): Promise<number> {
    let n = 0;
    for (const r of this.d.repo.expired(this.d.clock.now(), limit)) {
      try {
        await unlink(join(this.d.dataDir, r.path));
      } catch (err) {
        // Already gone (removed by hand): the row says so all the same.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          this.d.log.error({ err, recordingId: r.id }, 'expired recording not deleted');
          continue;
        }
      }
      this.d.repo.markDeleted(r.id);
      this.d.ledger.append({ at: this.d.clock.now(), kind: 'recording.deleted', callId: r.callId, ...(r.agentId === null ? {} : { agentId: r.agentId }), data: { recordingId: r.id } });
      n++;
    }
    if (n) this.d.log.info({ deleted: n }, 'expired recordings deleted');
    return n;
  }

  /** The disk guard's job (every minute). */
  checkDisk(): Promise<DiskStatus> {
    return this.d.guard.check();
  }

  /** The last disk reading, for the console's banner. */
  diskStatus(): DiskStatus | null {
    return this.d.guard.status();
  }
}
