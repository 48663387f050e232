import type { AuthService } from '../modules/auth/auth.service.js';
import type { SessionService } from '../modules/auth/sessions.service.js';
import type { Job } from './scheduler.js';

export interface JobDeps {
  sessions: SessionService;
  auth: AuthService;
}

/** Everything the appliance does on a schedule. */
export const JOBS: readonly Job<JobDeps>[] = [
  { name: 'purge-sessions', cron: '*/15 * * * *', run: (d) => d.sessions.purgeExpired() },
  { name: 'purge-login-throttle', cron: '7 * * * *', run: (d) => d.auth.purgeThrottle() },
];
