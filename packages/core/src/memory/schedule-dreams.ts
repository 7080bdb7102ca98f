import { InvalidArgumentError } from '../errors';
import { defineJob } from '../jobs/define-job';
import type { JobClock } from '../jobs/job-clock';
import type { JobHistory } from '../jobs/job-history';
import { scheduleJobs } from '../jobs/schedule-jobs';
import type { AuditLog } from '../policy/audit-log';
import type { Principal } from '../policy/principal';
import { dream, type DreamOptions } from './dream';
import type { DreamDiff } from './dream-diff';

/** How one scheduled dream runs for a principal: shared dream options, or your own function. */
export type ScheduledDream =
  | Omit<DreamOptions, 'principal' | 'signal' | 'now'>
  | ((principal: Principal, signal: AbortSignal) => Promise<DreamDiff>);

/** Options for {@link scheduleDreams}. */
export interface ScheduleDreamsOptions {
  /** Cron pattern (5 fields, or 6 with seconds first), e.g. `0 3 * * *` for 03:00 every night. */
  cron: string;
  /** Whose memories to consolidate; a function is asked again at every tick. */
  principals: readonly Principal[] | (() => readonly Principal[] | Promise<readonly Principal[]>);
  /** How each principal dreams: `dream()` options without `principal`, `signal` and `now`, or your own function. */
  run: ScheduledDream;
  /** Called with each dream's diff (whatever its outcome). */
  onResult?: (diff: DreamDiff, principal: Principal) => void;
  /** Called when a dream throws, or the principals cannot be listed; the other principals still dream. */
  onError?: (error: unknown, principal: Principal | undefined) => void;
  /** Called when a tick arrives while the previous round is still running (it is skipped). */
  onSkip?: () => void;
  /** IANA time zone of the pattern; default the process's. */
  timezone?: string;
  /** Let the process exit while the schedule waits. Default false. */
  unref?: boolean;
  /** The job's name in events, audit entries and history. Default `dreams`. */
  name?: string;
  /** Receives the job's audit entries. */
  audit?: AuditLog;
  /** Where outcomes are kept. Default in memory. */
  history?: JobHistory;
  /** Time source and timer (tests pass a `FakeClock`). */
  clock?: JobClock;
}

/** A running dream schedule. */
export interface DreamSchedule {
  /** Stops the schedule, aborts the round in progress (through its signal) and resolves when it has ended. */
  stop(): Promise<void>;
  /** Runs a round now; if one is already running, waits for that one instead of starting another. */
  runNow(): Promise<void>;
  /** When the next tick is due, or null once stopped. */
  nextRun(): Date | null;
  /** True while a round is running. */
  readonly running: boolean;
}

function callSafely(listener: (() => void) | undefined): void {
  try {
    listener?.();
  } catch {
    // A listener's failure must not stop the schedule it observes.
  }
}

/**
 * Runs dreams on a cron schedule, one principal after another: a job (trigger `dream`) on {@link scheduleJobs}.
 * Rounds never overlap: a tick that arrives while the previous round runs is skipped, and `runNow` joins a round
 * in progress. For many replicas, define the same job with `defineJob` and run it on `@claw/pg-boss`.
 * @throws InvalidArgumentError without `run`; JobDefinitionError for an invalid cron pattern or time zone.
 */
export function scheduleDreams(options: ScheduleDreamsOptions): DreamSchedule {
  if (typeof options?.run !== 'function' && (typeof options?.run !== 'object' || options.run === null)) {
    throw new InvalidArgumentError('scheduleDreams needs "run": dream options or a function (principal, signal) => diff.');
  }
  const run = options.run;
  const principals = options.principals;
  const job = defineJob({
    name: options.name ?? 'dreams',
    cron: options.cron,
    timezone: options.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    trigger: 'dream',
    principals: typeof principals === 'function' ? () => principals() : principals,
    async run(ctx) {
      const principal = ctx.principal!;
      try {
        const diff = typeof run === 'function' ? await run(principal, ctx.signal) : await dream({ ...run, principal, signal: ctx.signal });
        callSafely(() => options.onResult?.(diff, principal));
        return diff;
      } catch (error) {
        callSafely(() => options.onError?.(error, principal));
        throw error;
      }
    },
  });
  const scheduler = scheduleJobs([job], {
    unref: options.unref ?? false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.history ? { history: options.history } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
  });
  scheduler.on('job:skip', (event) => {
    if (event.reason === 'overlap') callSafely(options.onSkip);
  });
  scheduler.on('job:error', (event) => {
    // Errors of a dream were reported by the run itself; this covers the principals list failing.
    if (event.principalId === undefined && event.runId === undefined) callSafely(() => options.onError?.(event.error, undefined));
  });
  return {
    stop: () => scheduler.stop(),
    runNow: async () => {
      await scheduler.runNow(job.name);
    },
    nextRun: () => scheduler.nextRun(job.name),
    get running() {
      return scheduler.isRunning(job.name);
    },
  };
}
