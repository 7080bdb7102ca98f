import type { Job } from './define-job';
import type { JobHistory, JobOutcome, JobRunRecord } from './job-history';

/** The last run of a job for one principal. */
export interface JobPrincipalStatus {
  /** Undefined for a job without `principals`. */
  principalId: string | undefined;
  /** The tick of the newest record. */
  lastTick: Date;
  lastOutcome: JobOutcome;
  lastRun: JobRunRecord;
  /** When the job is next due (the same for every principal). */
  nextRun: Date | null;
}

/** Where a job stands: when it is next due, whether a tick runs here now, and each principal's last run. */
export interface JobStatus {
  job: string;
  nextRun: Date | null;
  /** A tick of this job is running in this process. */
  running: boolean;
  principals: JobPrincipalStatus[];
}

/** Builds every job's status from the history (shared by the schedulers). */
export async function buildJobStatus(
  jobs: readonly Job[],
  history: JobHistory,
  nextRun: (job: Job) => Date | null,
  running: (job: Job) => boolean,
): Promise<JobStatus[]> {
  return Promise.all(
    jobs.map(async (job) => {
      const next = nextRun(job);
      const latest = await history.latest(job.name);
      latest.sort((a, b) => (a.principalId ?? '').localeCompare(b.principalId ?? ''));
      return {
        job: job.name,
        nextRun: next,
        running: running(job),
        principals: latest.map((record) => ({
          principalId: record.principalId,
          lastTick: new Date(record.tick),
          lastOutcome: record.outcome,
          lastRun: record,
          nextRun: next,
        })),
      };
    }),
  );
}
