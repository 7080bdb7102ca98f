import { Cron } from 'croner';
import { InvalidArgumentError, JobDefinitionError } from '../errors';
import type { Principal, Trigger } from '../policy/principal';
import type { JobRunContext, JobWhenContext } from './job-context';
import type { JobTick } from './job-tick';

/** The triggers a background job may meter its runs under. */
export type JobTrigger = Extract<Trigger, 'schedule' | 'heartbeat' | 'dream'>;

const TRIGGERS: readonly JobTrigger[] = ['schedule', 'heartbeat', 'dream'];
const JOB_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/** Who a job runs for: a fixed list, or a function asked again at every tick. */
export type JobPrincipals = readonly Principal[] | ((tick: JobTick) => readonly Principal[] | Promise<readonly Principal[]>);

/** What a job's `run` may return: an agent's run result, a dream's diff, or nothing (counted as completed). */
export type JobRunReturn = { stopReason: string } | { outcome: string } | void | undefined;

/** The definition a developer writes with {@link defineJob}. Exactly one of `cron` and `every` is set. */
export interface JobSpec {
  /** Unique among the jobs of a scheduler: 1-64 characters of a-z, 0-9, `-` and `_`, starting with a letter. */
  name: string;
  /** Cron pattern (5 fields, or 6 with seconds first), e.g. `0 7 * * *` for 07:00 every day. */
  cron?: string;
  /** Run every this many milliseconds instead of a cron pattern; ticks fall on multiples of it since the epoch. */
  every?: number;
  /** IANA time zone of the cron pattern, e.g. `Europe/Berlin`. Default `UTC` (the same on every replica). */
  timezone?: string;
  /** The trigger its runs are metered and budgeted under. Default `schedule`. */
  trigger?: JobTrigger;
  /** The people it runs for, asked again at every tick. Without it the job runs once per tick for nobody in particular. */
  principals?: JobPrincipals;
  /**
   * A cheap precondition: code (no model call) that says whether there is anything to do for this principal now,
   * e.g. new mail since `lastRun`. A tick whose precondition is false is recorded as `skipped` and costs nothing.
   */
  when?: (ctx: JobWhenContext) => boolean | Promise<boolean>;
  /** Does the work for one principal and tick, typically `agent.run(input, ctx.runOptions)` or `dream({...})`. */
  run: (ctx: JobRunContext) => JobRunReturn | Promise<JobRunReturn>;
  /** How often a run that threw (or died with its process) is tried again by a distributed scheduler. Default 2. */
  retries?: number;
}

/** A validated job; see {@link defineJob}. */
export interface Job extends Readonly<Omit<JobSpec, 'trigger' | 'timezone' | 'retries'>> {
  readonly kind: 'claw.job';
  readonly trigger: JobTrigger;
  readonly timezone: string;
  readonly retries: number;
}

/**
 * Defines a background job. Validates it eagerly, so a bad cron pattern or time zone fails at startup, not at 07:00.
 * @throws JobDefinitionError on a malformed name, schedule, time zone, trigger or function.
 */
export function defineJob(spec: JobSpec): Job {
  if (typeof spec?.name !== 'string' || !JOB_NAME.test(spec.name)) {
    throw new JobDefinitionError(`Job name ${JSON.stringify(spec?.name)} is invalid: use 1-64 characters of a-z, 0-9, - and _, starting with a letter.`);
  }
  const name = spec.name;
  if ((spec.cron === undefined) === (spec.every === undefined)) {
    throw new JobDefinitionError(`Job "${name}" needs exactly one of "cron" (e.g. "0 7 * * *") and "every" (milliseconds).`);
  }
  if (spec.every !== undefined && !(Number.isInteger(spec.every) && spec.every >= 1)) {
    throw new JobDefinitionError(`Job "${name}" has every=${spec.every}; use a whole number of milliseconds of at least 1.`);
  }
  const timezone = spec.timezone ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new JobDefinitionError(`Job "${name}" has an unknown time zone ${JSON.stringify(timezone)}; use an IANA name such as "Europe/Berlin" or "UTC".`);
  }
  if (spec.cron !== undefined) {
    try {
      if (typeof spec.cron !== 'string') throw new Error('it is not a string');
      new Cron(spec.cron, { timezone, paused: true }).nextRun();
    } catch (error) {
      throw new JobDefinitionError(`Job "${name}" has an invalid cron pattern ${JSON.stringify(spec.cron)} (${(error as Error).message}). Use 5 fields ("0 7 * * *") or 6 with seconds first.`);
    }
  }
  const trigger = spec.trigger ?? 'schedule';
  if (!TRIGGERS.includes(trigger)) {
    throw new JobDefinitionError(`Job "${name}" has trigger ${JSON.stringify(trigger)}; use one of ${TRIGGERS.join(', ')}.`);
  }
  if (typeof spec.run !== 'function') throw new JobDefinitionError(`Job "${name}" needs a run(ctx) function.`);
  if (spec.when !== undefined && typeof spec.when !== 'function') throw new JobDefinitionError(`Job "${name}" has a "when" that is not a function.`);
  if (spec.principals !== undefined && typeof spec.principals !== 'function') {
    if (!Array.isArray(spec.principals) || spec.principals.some((p) => typeof p?.id !== 'string' || p.id === '')) {
      throw new JobDefinitionError(`Job "${name}" has "principals" that is neither a function nor an array of principals with ids.`);
    }
  }
  const retries = spec.retries ?? 2;
  if (!(Number.isInteger(retries) && retries >= 0)) throw new JobDefinitionError(`Job "${name}" has retries=${retries}; use a whole number of at least 0.`);
  return Object.freeze({ ...spec, trigger, timezone, retries, kind: 'claw.job' as const });
}

/**
 * Checks that no two jobs share a name: a scheduler runs each name once.
 * @throws JobDefinitionError naming the duplicate.
 */
export function assertUniqueJobNames(jobs: readonly Job[]): void {
  const seen = new Set<string>();
  for (const job of jobs) {
    if (job?.kind !== 'claw.job') throw new JobDefinitionError('Every job must be made with defineJob(spec).');
    if (seen.has(job.name)) throw new JobDefinitionError(`Two jobs are named "${job.name}"; job names must be unique: rename one of them.`);
    seen.add(job.name);
  }
}

/**
 * Checks `jobs` as {@link assertUniqueJobNames} does and returns their lookup by name, for a scheduler's
 * `runNow(name)` and `nextRun(name)`: a name not among them is an `InvalidArgumentError` listing the names that are.
 */
export function jobLookup(jobs: readonly Job[]): (name: string) => Job {
  assertUniqueJobNames(jobs);
  const byName = new Map(jobs.map((job) => [job.name, job]));
  return (name) => {
    const job = byName.get(name);
    if (!job) throw new InvalidArgumentError(`No job named "${name}" runs on this scheduler; its jobs: ${[...byName.keys()].join(', ') || '(none)'}.`);
    return job;
  };
}
