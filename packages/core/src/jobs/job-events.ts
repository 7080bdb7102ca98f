import type { JobOutcome, JobRunRecord } from './job-history';

/** Identifies one attempt of one (job, principal, tick) in job events. */
export interface JobEventBase {
  job: string;
  principalId: string | undefined;
  /** Scheduled time of the tick (ms since epoch). */
  tick: number;
  idempotencyKey: string;
  runId: string;
  attempt: number;
}

/** Payloads of every job event, by name. */
export interface JobEventMap {
  /** A run begins (its precondition held). */
  'job:start': JobEventBase;
  /**
   * Nothing ran: `precondition` (its `when` said there is nothing to do), `overlap` (the previous tick of the job
   * is still running in this process; `principalId` is then undefined) or `finished` (another attempt, possibly on
   * another replica, already finished this tick).
   */
  'job:skip': JobEventBase & { reason: 'precondition' | 'overlap' | 'finished' };
  /** A run ended (whatever its outcome, including `failed` when `run` threw: `job:error` comes first then). */
  'job:end': JobRunRecord & { outcome: JobOutcome };
  /** A run, its precondition or the principals list threw, or the history could not be written. */
  'job:error': Partial<JobEventBase> & { job: string; error: Error };
}

/** Name of a job event. */
export type JobEventName = keyof JobEventMap;

/** Receives job events; a throwing listener never stops a schedule. */
export type JobEventEmit = <K extends JobEventName>(name: K, data: JobEventMap[K]) => void;
