import type { Principal } from '../policy/principal';
import type { JobTrigger } from './define-job';
import type { JobRunRecord } from './job-history';

/** What a job's `when` precondition gets: enough to decide, without a model, whether there is work. */
export interface JobWhenContext {
  job: string;
  /** The person this run is for; undefined for a job without `principals`. */
  principal: Principal | undefined;
  /** The scheduled time of this tick. */
  tick: Date;
  /** The last completed run for this job and principal (on any replica), e.g. to look for mail since then. */
  lastRun: JobRunRecord | undefined;
  signal: AbortSignal;
}

/** The options to hand to `agent.run(input, ctx.runOptions)`: trigger, run id, idempotency key and signal. */
export interface JobAgentRunOptions {
  signal: AbortSignal;
  trigger: JobTrigger;
  runId: string;
  idempotencyKey: string;
}

/** What a job's `run` gets for one principal and tick. */
export interface JobRunContext extends JobWhenContext {
  /** The trigger to meter under (the job's). */
  trigger: JobTrigger;
  /** Same for every attempt of this (job, principal, tick), on every replica; tools receive it as `ctx.idempotencyKey`. */
  idempotencyKey: string;
  /** Unique per attempt: `<idempotencyKey>#<attempt>`. */
  runId: string;
  /** 1 for the first attempt; higher when a distributed scheduler retries after a crash or failure. */
  attempt: number;
  /** Pass to `agent.run(input, ctx.runOptions)` so the run is metered and keyed as this tick's. */
  runOptions: JobAgentRunOptions;
}
