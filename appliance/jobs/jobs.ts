import type { AuthService } from '../modules/auth/auth.service.js';
import type { SessionService } from '../modules/auth/sessions.service.js';
import type { RecordingService } from '../modules/recordings/index.js';
import type { Job } from './scheduler.js';

export interface JobDeps {
  sessions: SessionService;
  auth: AuthService;
  recordings: RecordingService;
}

/** Everything the appliance does on a schedule. */
export const JOBS: readonly Job<JobDeps>[] = [
  { name: 'purge-sessions', cron: '*/15 * * * *', run: (d) => d.sessions.purgeExpired() },
  { name: 'purge-login-throttle', cron: '7 * * * *', run: (d) => d.auth.purgeThrottle() },
  // Off-peak: deleting a day's files is disk work best done while few calls are recorded.
  { name: 'purge-recordings', cron: '17 3 * * *', run: (d) => d.recordings.purgeExpired() },
  { name: 'check-recording-disk', cron: '* * * * *', run: (d) => d.recordings.checkDisk() },
];
