import {
  InvalidArgumentError,
  systemJobClock,
  type AuditLog,
  type Job,
  type JobClock,
  type JobScheduler,
  type JobStatus,
  type Principal,
} from '@claw/core';
import { buildJobStatus, jobLookup, JobEventEmitter, listJobPrincipals, nextTickAfter, runJobAttempt, type JobRunEnvironment } from '@claw/core/store-kit';
import PgBoss from 'pg-boss';
import pg from 'pg';
import { deterministicJobId, runQueue, tickQueue } from './job-ids';
import { PostgresJobHistory } from './postgres-job-history';

/** Options for {@link startPgBossJobs}. */
export interface PgBossJobsOptions {
  /** `postgres://…` of the database the other stores use. */
  connectionString: string;
  /** The job definitions; every replica passes the same ones. */
  jobs: readonly Job[];
  /** Schema of pg-boss's tables and the job history (`claw_job_runs`). Default `claw_jobs`. */
  schema?: string;
  /** Receives `job.start`, `job.skip`, `job.end` and `job.error` entries. */
  audit?: AuditLog;
  /**
   * How long a run may hold its job before pg-boss considers its replica dead and lets another one retry it.
   * Make it longer than your longest run. Default 300 s.
   */
  leaseSeconds?: number;
  /** Wait before a failed or expired run is tried again. Default 1 s. */
  retryDelaySeconds?: number;
  /** pg-boss workers per job in this replica. Default 4. */
  concurrency?: number;
  /**
   * Runs each worker fetches at once (they run concurrently). pg-boss waits one polling interval after each fetch,
   * so short jobs start at up to `concurrency × batchSize / pollingIntervalSeconds` per second and replica. Default 4.
   */
  batchSize?: number;
  /** How often idle workers look for new jobs. Default 1 s (pg-boss's minimum is 0.5). */
  pollingIntervalSeconds?: number;
  /** How often pg-boss looks for expired leases (one replica at a time). Default 30 s. */
  maintenanceIntervalSeconds?: number;
  /**
   * On start, also enqueue ticks that fell due this long ago (while every replica was down, e.g. during a deploy at
   * 07:00). Ticks that already ran are not run again: their ids are taken and the history shows them finished.
   * Default 60 s; 0 enqueues only future ticks.
   */
  catchUpSeconds?: number;
  /** Time source of the due times (tests and offline demos pass a `FakeClock`). Default the real clock. */
  clock?: JobClock;
  /** Called with errors pg-boss reports in the background (lost connections and the like). */
  onError?: (error: Error) => void;
}

/** Jobs running on pg-boss in this replica; see {@link startPgBossJobs}. */
export interface PgBossJobScheduler extends JobScheduler {
  /** Enqueues a tick of a job due now (or at `at`); every replica asking for the same tick creates it once. */
  runNow(job: string, at?: number): Promise<void>;
  /** When a job is next due, or null once stopped. */
  nextRun(job: string): Date | null;
  /** The pg-boss instance (for its own monitoring APIs). */
  readonly boss: PgBoss;
  /** The shared job history. */
  readonly history: PostgresJobHistory;
}

/** Ticks one fetch takes: fanning a tick out is quick, and a backlog (catch-up after a restart) clears at once. */
const TICK_BATCH = 32;

interface TickData {
  tick: number;
}
interface RunData {
  tick: number;
  principal: Principal | null;
}

/**
 * Runs job definitions on pg-boss over PostgreSQL, the same on every replica, each (job, principal, tick) once:
 * - every replica computes due times with croner and enqueues the tick under a deterministic id, so pg-boss's
 *   primary key keeps one tick job however many replicas ask (a replica starting up also enqueues the ticks of the
 *   last `catchUpSeconds`, which run only if no replica ran them);
 * - whichever replica takes the tick lists the principals (asked at every tick) and enqueues one run per principal,
 *   again under a deterministic id (singleton key: the idempotency key);
 * - a run holds its job for `leaseSeconds`; when its replica dies, pg-boss expires the job and another replica
 *   retries it with the same idempotency key, and a tick the history shows finished is not run again;
 * - `stop()` aborts this replica's runs through their signal; their jobs fail and are retried elsewhere.
 * @throws JobDefinitionError when two jobs share a name; StoreError / pg-boss errors when the database is unreachable.
 */
export async function startPgBossJobs(options: PgBossJobsOptions): Promise<PgBossJobScheduler> {
  const jobNamed = jobLookup(options.jobs);
  const schema = options.schema ?? 'claw_jobs';
  const leaseSeconds = options.leaseSeconds ?? 300;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  if (!(Number.isInteger(leaseSeconds) && leaseSeconds >= 1)) throw new InvalidArgumentError(`leaseSeconds must be a whole number of at least 1, got ${leaseSeconds}.`);
  const clock = options.clock ?? systemJobClock();
  const batchSize = Math.max(1, options.batchSize ?? 4);
  const pool = new pg.Pool({ connectionString: options.connectionString, max: Math.min(20, 2 + concurrency * batchSize) });
  pool.on('error', (error) => options.onError?.(error));
  const history = new PostgresJobHistory({ pool, schema });
  await history.migrate();

  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema,
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
  });
  boss.on('error', (error: Error) => options.onError?.(error));
  await boss.start();

  const events = new JobEventEmitter();
  const env: JobRunEnvironment = { history, emit: events.emit, now: Date.now, ...(options.audit ? { audit: options.audit } : {}) };
  const stopping = new AbortController();
  const active = new Map<string, Set<AbortController>>();
  const next = new Map<string, number | null>();
  const workOptions = { includeMetadata: true, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, batchSize: 1 };
  const queueOptions = { retryLimit: 0, retryDelay: options.retryDelaySeconds ?? 1, expireInSeconds: leaseSeconds };
  // Fanning a tick out takes a moment; a replica that died doing it is replaced quickly.
  const tickLease = Math.min(60, leaseSeconds);
  let stopped = false;

  const tickJob = (job: Job, tick: number) => {
    const key = `${job.name}@${new Date(tick).toISOString()}`;
    return {
      id: deterministicJobId(`tick|${key}`), name: tickQueue(job.name), data: { tick } satisfies TickData,
      singletonKey: key, retryLimit: 3, retryDelay: 1, expireInSeconds: tickLease,
    };
  };
  /** Enqueues ticks under their deterministic ids (pg-boss inserts with ON CONFLICT DO NOTHING: once however many ask). */
  const enqueueTicks = async (job: Job, ticks: readonly number[]): Promise<void> => {
    if (ticks.length > 0) await boss.insert(ticks.map((tick) => tickJob(job, tick)));
  };

  const fanOut = async (job: Job, tick: number): Promise<void> => {
    const principals = await listJobPrincipals(job, tick);
    await boss.insert(principals.map((principal) => {
      const key = `${job.name}:${principal === undefined ? '-' : encodeURIComponent(principal.id)}:${new Date(tick).toISOString()}`;
      return {
        id: deterministicJobId(`run|${key}`),
        name: runQueue(job.name),
        data: { tick, principal: principal ?? null } satisfies RunData,
        singletonKey: key,
        retryLimit: job.retries,
        retryDelay: options.retryDelaySeconds ?? 1,
        expireInSeconds: leaseSeconds,
      };
    }));
  };

  const runOne = async (job: Job, data: RunData, retryCount: number): Promise<void> => {
    const controller = new AbortController();
    const running = active.get(job.name) ?? new Set();
    active.set(job.name, running);
    running.add(controller);
    try {
      const result = await runJobAttempt(env, { job, principal: data.principal ?? undefined, tick: data.tick, attempt: retryCount + 1, signal: controller.signal });
      // Throwing fails the pg-boss job, which retries it (on any replica) while retries remain.
      if (result.type === 'retry') throw result.error;
    } finally {
      running.delete(controller);
    }
  };

  // pg-boss's create_queue deadlocks when replicas create the same queue at once: one replica at a time creates them.
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`${schema}:queues`]);
    for (const job of options.jobs) {
      if (!(await boss.getQueue(tickQueue(job.name)))) await boss.createQueue(tickQueue(job.name), { name: tickQueue(job.name), ...queueOptions, expireInSeconds: tickLease });
      if (!(await boss.getQueue(runQueue(job.name)))) await boss.createQueue(runQueue(job.name), { name: runQueue(job.name), ...queueOptions });
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`${schema}:queues`]).catch(() => undefined);
    lock.release();
  }
  for (const job of options.jobs) {
    // Ticks are fetched in batches: after a restart the catch-up ticks must not hold back the ticks due now.
    await boss.work<TickData>(tickQueue(job.name), { ...workOptions, batchSize: TICK_BATCH }, async (batch) => {
      await Promise.all(batch.map(async (received) => {
        try {
          await fanOut(job, received.data.tick);
        } catch (error) {
          events.emit('job:error', { job: job.name, tick: received.data.tick, error: asError(error) });
          await boss.fail(tickQueue(job.name), received.id, { message: asError(error).message });
        }
      }));
    });
    for (let i = 0; i < concurrency; i++) {
      await boss.work<RunData>(runQueue(job.name), { ...workOptions, batchSize }, async (batch) => {
        // Each run of the batch fails on its own (pg-boss then completes only the runs still active).
        await Promise.all(batch.map(async (received) => {
          try {
            if (stopped) throw new Error('This replica is stopping; another replica will run the job.');
            await runOne(job, received.data, (received as { retryCount?: number }).retryCount ?? 0);
          } catch (error) {
            await boss.fail(runQueue(job.name), received.id, { message: asError(error).message });
          }
        }));
      });
    }
  }

  const catchUpMs = Math.max(0, options.catchUpSeconds ?? 60) * 1000;
  const loop = async (job: Job): Promise<void> => {
    const started = clock.now();
    // Ticks due while no replica was running are enqueued now; those some replica already enqueued are kept once.
    const missed: number[] = [];
    for (let due = nextTickAfter(job, started - catchUpMs); due !== null && due <= started; due = nextTickAfter(job, due)) missed.push(due);
    await enqueueTicks(job, missed).catch((error: unknown) => events.emit('job:error', { job: job.name, tick: missed[0]!, error: asError(error) }));
    let from = started;
    while (!stopped) {
      const due = nextTickAfter(job, from);
      next.set(job.name, due);
      if (due === null) return;
      while (!stopped && clock.now() < due) await clock.sleep(due - clock.now(), stopping.signal);
      if (stopped) return;
      const sent = enqueueTicks(job, [due]).catch((error: unknown) => events.emit('job:error', { job: job.name, tick: due, error: asError(error) }));
      clock.track?.(sent);
      from = Math.max(due, clock.now());
    }
  };
  const loops = options.jobs.map((job) => loop(job));

  const scheduler: PgBossJobScheduler = {
    boss,
    history,
    on(event, listener) {
      events.on(event, listener);
      return this;
    },
    off(event, listener) {
      events.off(event, listener);
      return this;
    },
    status: (): Promise<JobStatus[]> =>
      buildJobStatus(options.jobs, history, (job) => (stopped ? null : nextDate(next.get(job.name))), (job) => (active.get(job.name)?.size ?? 0) > 0),
    runNow: (name, at) => enqueueTicks(jobNamed(name), [at ?? clock.now()]),
    nextRun: (name) => (stopped ? null : nextDate(next.get(jobNamed(name).name))),
    async stop() {
      if (stopped) return;
      stopped = true;
      stopping.abort();
      // Stop fetching first: a run taken now would only be failed again, using up one of its retries.
      await Promise.all(options.jobs.flatMap((job) => [boss.offWork(tickQueue(job.name)), boss.offWork(runQueue(job.name))]));
      await Promise.all(loops);
      for (const running of active.values()) for (const controller of running) controller.abort();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      await pool.end();
    },
  };
  return scheduler;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function nextDate(at: number | null | undefined): Date | null {
  return at === null || at === undefined ? null : new Date(at);
}
