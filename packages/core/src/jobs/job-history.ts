/** How one (job, principal, tick) ended. */
export type JobOutcome = 'completed' | 'skipped' | 'refused' | 'failed' | 'aborted' | 'suspended';

/** Outcomes after which a tick is finished: it is never run again, also not by another replica. */
export const FINISHED_JOB_OUTCOMES: readonly JobOutcome[] = ['completed', 'skipped', 'refused', 'failed', 'suspended'];

/** What happened to one (job, principal, tick). */
export interface JobRunRecord {
  job: string;
  /** Undefined for a job without `principals`. */
  principalId: string | undefined;
  /** Scheduled time of the tick (ms since epoch). */
  tick: number;
  idempotencyKey: string;
  /** The run id of the attempt that produced this record (usage records carry it). */
  runId: string;
  attempt: number;
  outcome: JobOutcome;
  /** Why: `precondition` for a skip, the agent's stop reason or the dream's outcome otherwise. */
  reason?: string;
  /** The error message of a failed run. */
  error?: string;
  startedAt: number;
  endedAt: number;
}

/** Where job outcomes are kept, for preconditions (`lastRun`), status queries and not re-running finished ticks. */
export interface JobHistory {
  /** Stores the outcome of an attempt; a later record for the same idempotency key replaces it. */
  record(entry: JobRunRecord): Promise<void>;
  /** The record of a tick, if any attempt has finished it. */
  find(idempotencyKey: string): Promise<JobRunRecord | undefined>;
  /** The newest record for a job and principal, optionally only with the given outcome. */
  last(job: string, principalId: string | undefined, outcome?: JobOutcome): Promise<JobRunRecord | undefined>;
  /** The newest record of every (job, principal) pair, optionally of one job. */
  latest(job?: string): Promise<JobRunRecord[]>;
}

/** {@link JobHistory} in memory, for one process. Keeps at most `limit` ticks (oldest forgotten first). */
export class InMemoryJobHistory implements JobHistory {
  private readonly byKey = new Map<string, JobRunRecord>();
  private readonly newest = new Map<string, JobRunRecord>();
  private readonly newestCompleted = new Map<string, JobRunRecord>();
  private readonly limit: number;

  /** @param options.limit how many ticks to remember. Default 10,000. */
  constructor(options: { limit?: number } = {}) {
    this.limit = options.limit ?? 10_000;
  }

  async record(entry: JobRunRecord): Promise<void> {
    const copy = { ...entry };
    this.byKey.delete(copy.idempotencyKey);
    this.byKey.set(copy.idempotencyKey, copy);
    if (this.byKey.size > this.limit) this.byKey.delete(this.byKey.keys().next().value!);
    const pair = pairKey(copy.job, copy.principalId);
    if (!(this.newest.get(pair)?.tick! > copy.tick)) this.newest.set(pair, copy);
    if (copy.outcome === 'completed' && !(this.newestCompleted.get(pair)?.tick! > copy.tick)) this.newestCompleted.set(pair, copy);
  }

  async find(idempotencyKey: string): Promise<JobRunRecord | undefined> {
    const found = this.byKey.get(idempotencyKey);
    return found && { ...found };
  }

  async last(job: string, principalId: string | undefined, outcome?: JobOutcome): Promise<JobRunRecord | undefined> {
    const pair = pairKey(job, principalId);
    if (outcome === 'completed') return copyOf(this.newestCompleted.get(pair));
    const newest = this.newest.get(pair);
    if (outcome === undefined || newest?.outcome === outcome) return copyOf(newest);
    let found: JobRunRecord | undefined;
    for (const entry of this.byKey.values()) {
      if (entry.job === job && entry.principalId === principalId && entry.outcome === outcome && !(found && found.tick > entry.tick)) found = entry;
    }
    return copyOf(found);
  }

  async latest(job?: string): Promise<JobRunRecord[]> {
    return [...this.newest.values()].filter((entry) => job === undefined || entry.job === job).map((entry) => ({ ...entry }));
  }
}

function pairKey(job: string, principalId: string | undefined): string {
  return `${job}\u0000${principalId ?? ''}`;
}

function copyOf(entry: JobRunRecord | undefined): JobRunRecord | undefined {
  return entry && { ...entry };
}
