import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';

export interface Job<D> {
  name: string;
  /** A cron expression (minute hour day month weekday). */
  cron: string;
  run(deps: D): unknown;
}

/** Schedule a declarative table of jobs. A failing job is logged and tried again at its next time. */
export function startJobs<D>(jobs: readonly Job<D>[], deps: D, log: Logger, timezone = 'UTC') {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.cron,
      async () => {
        const start = performance.now();
        try {
          const result = await job.run(deps);
          log.debug({ job: job.name, ms: Math.round(performance.now() - start), result }, 'job done');
        } catch (err) {
          log.error({ job: job.name, err }, 'job failed');
        }
      },
      { name: job.name, timezone, noOverlap: true },
    ),
  );
  return {
    async stopAll(): Promise<void> {
      for (const t of tasks) await t.destroy();
    },
  };
}
