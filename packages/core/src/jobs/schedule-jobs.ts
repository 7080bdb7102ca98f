import type { AuditLog } from '../policy/audit-log';
import { jobLookup, type Job } from './define-job';
import { systemJobClock, type JobClock } from './job-clock';
import { JobEventEmitter } from './job-emitter';
import { InMemoryJobHistory, type JobHistory, type JobRunRecord } from './job-history';
import type { JobScheduler } from './job-scheduler';
import { buildJobStatus, type JobStatus } from './job-status';
import { nextTickAfter } from './job-tick';
import { listJobPrincipals, runJobAttempt, type JobRunEnvironment } from './run-job';

/** Options for {@link scheduleJobs}. */
export interface ScheduleJobsOptions {
  /** Where outcomes are kept (for `lastRun` and `status()`). Default: in memory. */
  history?: JobHistory;
  /** Receives `job.start`, `job.skip`, `job.end` and `job.error` entries. */
  audit?: AuditLog;
  /** Time source and timer. Default the real clock; tests and offline examples pass a `FakeClock`. */
  clock?: JobClock;
  /** Principals of one tick run this many at a time. Default 1 (one after another). */
  concurrency?: number;
  /** Let the process exit while schedules wait (real clock only). Default false. */
  unref?: boolean;
}

/** Jobs running in this process; see {@link scheduleJobs}. */
export interface InProcessJobScheduler extends JobScheduler {
  /**
   * Runs a tick of a job now (scheduled at the current time) and resolves with its records. If a tick of the job
   * is already running, waits for that one instead of starting another.
   */
  runNow(job: string): Promise<JobRunRecord[]>;
  /** When a job is next due, or null once stopped. */
  nextRun(job: string): Date | null;
  /** True while a tick of the job runs. */
  isRunning(job: string): boolean;
}

/**
 * Runs jobs in this process: croner computes each job's due times in its time zone and one timer per job waits
 * for the next. Ticks of one job never overlap: a tick due while the previous one still runs is skipped
 * (`job:skip`, reason `overlap`). For many replicas use `@claw/pg-boss`, which runs the same definitions once.
 * @throws JobDefinitionError when two jobs share a name or a job was not made with `defineJob`.
 */
export function scheduleJobs(jobs: readonly Job[], options: ScheduleJobsOptions = {}): InProcessJobScheduler {
  const jobNamed = jobLookup(jobs);
  const clock = options.clock ?? systemJobClock({ unref: options.unref ?? false });
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const history = options.history ?? new InMemoryJobHistory();
  const events = new JobEventEmitter();
  const env: JobRunEnvironment = { history, emit: events.emit, now: () => clock.now(), ...(options.audit ? { audit: options.audit } : {}) };
  const controller = new AbortController();
  const inFlight = new Map<string, Promise<JobRunRecord[]>>();
  const next = new Map<string, number | null>();
  let stopped = false;

  const runTick = async (job: Job, tick: number): Promise<JobRunRecord[]> => {
    let principals;
    try {
      principals = await listJobPrincipals(job, tick);
    } catch (error) {
      events.emit('job:error', { job: job.name, tick, error: error instanceof Error ? error : new Error(String(error)) });
      return [];
    }
    const records: JobRunRecord[] = [];
    let index = 0;
    const lane = async () => {
      while (index < principals.length && !stopped) {
        const principal = principals[index++];
        const result = await runJobAttempt(env, { job, principal, tick, attempt: 1, signal: controller.signal });
        records.push(result.record);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, principals.length) }, lane));
    return records;
  };

  const fire = (job: Job, tick: number): Promise<JobRunRecord[]> => {
    const running = inFlight.get(job.name);
    if (running) return running;
    const round = runTick(job, tick).finally(() => inFlight.delete(job.name));
    inFlight.set(job.name, round);
    clock.track?.(round);
    return round;
  };

  const loop = async (job: Job): Promise<void> => {
    let from = clock.now();
    while (!stopped) {
      const due = nextTickAfter(job, from);
      next.set(job.name, due);
      if (due === null) return;
      // Timers can fire early or late; wait until the due time has really arrived.
      while (!stopped && clock.now() < due) await clock.sleep(due - clock.now(), controller.signal);
      if (stopped) return;
      if (inFlight.has(job.name)) {
        const key = `${job.name}:overlap:${due}`;
        events.emit('job:skip', { job: job.name, principalId: undefined, tick: due, idempotencyKey: key, runId: key, attempt: 1, reason: 'overlap' });
      } else {
        void fire(job, due);
      }
      // Ticks missed while the process was suspended are not made up for: the next one is after now.
      from = Math.max(due, clock.now());
    }
  };

  const loops = jobs.map((job) => loop(job));

  return {
    on(event, listener) {
      events.on(event, listener);
      return this;
    },
    off(event, listener) {
      events.off(event, listener);
      return this;
    },
    status: (): Promise<JobStatus[]> =>
      buildJobStatus(jobs, history, (job) => (stopped ? null : nextDate(next.get(job.name))), (job) => inFlight.has(job.name)),
    runNow: (name) => (stopped ? Promise.resolve([]) : fire(jobNamed(name), clock.now())),
    nextRun: (name) => (stopped ? null : nextDate(next.get(jobNamed(name).name) ?? nextTickAfter(jobNamed(name), clock.now()))),
    isRunning: (name) => inFlight.has(jobNamed(name).name),
    async stop() {
      stopped = true;
      controller.abort();
      await Promise.all(loops);
      await Promise.all([...inFlight.values()]);
    },
  };
}

function nextDate(at: number | null | undefined): Date | null {
  return at === null || at === undefined ? null : new Date(at);
}
