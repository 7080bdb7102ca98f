import { Cron } from 'croner';
import type { Job } from './define-job';

/** One due time of a job: the scheduled instant (not when it actually fired), the same on every replica. */
export interface JobTick {
  job: string;
  /** The scheduled time in ms since epoch. */
  at: number;
}

const calendars = new WeakMap<Job, Cron>();

/**
 * The first due time of a job strictly after `after` (ms since epoch), or null when the pattern has no more.
 * Cron patterns are evaluated by croner in the job's time zone; intervals fall on multiples of `every`.
 */
export function nextTickAfter(job: Job, after: number): number | null {
  if (job.every !== undefined) return (Math.floor(after / job.every) + 1) * job.every;
  let calendar = calendars.get(job);
  if (!calendar) {
    calendar = new Cron(job.cron!, { timezone: job.timezone, paused: true });
    calendars.set(job, calendar);
  }
  return calendar.nextRun(new Date(after))?.getTime() ?? null;
}

/**
 * The key a tick's run passes to its tools, identical for every attempt of one (job, principal, tick) on any
 * replica: tools with side effects use it to act once.
 */
export function jobIdempotencyKey(job: string, principalId: string | undefined, tickAt: number): string {
  return `${job}:${principalId === undefined ? '-' : encodeURIComponent(principalId)}:${new Date(tickAt).toISOString()}`;
}
