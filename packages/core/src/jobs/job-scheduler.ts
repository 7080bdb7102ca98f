import type { JobEventName } from './job-events';
import type { JobEventListener } from './job-emitter';
import type { JobStatus } from './job-status';

/** What every scheduler of jobs offers, in one process (`scheduleJobs`) or across replicas (`@claw/pg-boss`). */
export interface JobScheduler {
  /** Subscribes to `job:start`, `job:skip`, `job:end` or `job:error`. */
  on<K extends JobEventName>(event: K, listener: JobEventListener<K>): this;
  /** Removes a listener. */
  off<K extends JobEventName>(event: K, listener?: JobEventListener<K>): this;
  /** Last run, outcome and next run of every job, per principal. */
  status(): Promise<JobStatus[]>;
  /** Stops scheduling, aborts running jobs through their signal and resolves once they have ended. */
  stop(): Promise<void>;
}
