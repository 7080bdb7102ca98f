import { AbortedError, InvalidArgumentError } from '../errors';
import type { AuditEventInput, AuditLog } from '../policy/audit-log';
import type { Principal } from '../policy/principal';
import type { Job, JobRunReturn } from './define-job';
import type { JobRunContext } from './job-context';
import type { JobEventBase, JobEventEmit } from './job-events';
import { FINISHED_JOB_OUTCOMES, type JobHistory, type JobOutcome, type JobRunRecord } from './job-history';
import { jobIdempotencyKey } from './job-tick';

/** What running a job needs around it; both schedulers (in process and distributed) provide one. */
export interface JobRunEnvironment {
  history: JobHistory;
  audit?: AuditLog;
  emit: JobEventEmit;
  /** Current time in ms since epoch. */
  now: () => number;
}

/** One (job, principal, tick) to run, and which attempt this is. */
export interface JobRunRequest {
  job: Job;
  principal: Principal | undefined;
  tick: number;
  attempt: number;
  signal: AbortSignal;
}

/** How an attempt ended: its record, or `retry` when it threw or was aborted (a distributed scheduler retries it). */
export type JobAttemptResult =
  | { type: 'finished'; record: JobRunRecord }
  | { type: 'retry'; record: JobRunRecord; error: Error };

/**
 * Lists who a job runs for at this tick (its `principals`, asked again every tick); `[undefined]` for a job
 * without fan-out.
 */
export async function listJobPrincipals(job: Job, tick: number): Promise<(Principal | undefined)[]> {
  if (job.principals === undefined) return [undefined];
  const listed = typeof job.principals === 'function' ? await job.principals({ job: job.name, at: tick }) : job.principals;
  if (!Array.isArray(listed)) throw new InvalidArgumentError(`The principals of job "${job.name}" must be an array of principals.`);
  return [...listed];
}

/**
 * Runs one attempt of one (job, principal, tick): skips it when another attempt already finished the tick, checks
 * the precondition (false: recorded `skipped`, no model call), then runs it, recording the outcome in the history,
 * the audit log and the events. Never throws: failures are in the result.
 */
export async function runJobAttempt(env: JobRunEnvironment, request: JobRunRequest): Promise<JobAttemptResult> {
  const { job, principal, tick, attempt, signal } = request;
  const principalId = principal?.id;
  const idempotencyKey = jobIdempotencyKey(job.name, principalId, tick);
  const base: JobEventBase = { job: job.name, principalId, tick, idempotencyKey, runId: `${idempotencyKey}#${attempt}`, attempt };
  const startedAt = env.now();
  const finish = (outcome: JobOutcome, fields: { reason?: string; error?: string } = {}): JobRunRecord => ({
    job: job.name, principalId, tick, idempotencyKey, runId: base.runId, attempt, outcome, ...fields, startedAt, endedAt: env.now(),
  });

  let stage = 'precondition';
  try {
    const earlier = await env.history.find(idempotencyKey);
    if (earlier && FINISHED_JOB_OUTCOMES.includes(earlier.outcome)) {
      env.emit('job:skip', { ...base, reason: 'finished' });
      return { type: 'finished', record: earlier };
    }
    const lastRun = await env.history.last(job.name, principalId, 'completed');
    const when = { job: job.name, principal, tick: new Date(tick), lastRun, signal };
    if (job.when && !(await job.when(when))) {
      const record = finish('skipped', { reason: 'precondition' });
      await env.history.record(record);
      await appendAudit(env, base, 'job.skip', { reason: 'precondition' });
      env.emit('job:skip', { ...base, reason: 'precondition' });
      return { type: 'finished', record };
    }
    stage = 'run';
    await appendAudit(env, base, 'job.start', { trigger: job.trigger });
    env.emit('job:start', base);
    const ctx: JobRunContext = {
      ...when,
      trigger: job.trigger,
      idempotencyKey,
      runId: base.runId,
      attempt,
      runOptions: { signal, trigger: job.trigger, runId: base.runId, idempotencyKey },
    };
    const returned = await job.run(ctx);
    const { outcome, reason } = outcomeOf(returned);
    const record = finish(outcome, reason === undefined ? {} : { reason });
    if (outcome === 'aborted') return await failed(env, base, record, new AbortedError(`Job "${job.name}" was aborted before it finished.`));
    await env.history.record(record);
    await appendAudit(env, base, 'job.end', { outcome, reason });
    env.emit('job:end', record);
    return { type: 'finished', record };
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    const outcome: JobOutcome = signal.aborted ? 'aborted' : 'failed';
    return failed(env, base, finish(outcome, { reason: stage, error: error.message }), error);
  }
}

async function failed(env: JobRunEnvironment, base: JobEventBase, record: JobRunRecord, error: Error): Promise<JobAttemptResult> {
  env.emit('job:error', { ...base, error });
  try {
    await env.history.record(record);
    await appendAudit(env, base, 'job.error', { outcome: record.outcome, reason: record.reason, error: record.error });
  } catch (recordError) {
    env.emit('job:error', { ...base, error: recordError instanceof Error ? recordError : new Error(String(recordError)) });
  }
  env.emit('job:end', record);
  return { type: 'retry', record, error };
}

async function appendAudit(env: JobRunEnvironment, base: JobEventBase, type: AuditEventInput['type'], data: Record<string, unknown>): Promise<void> {
  if (!env.audit) return;
  await env.audit.append({
    type,
    principalId: base.principalId ?? 'system',
    runId: base.runId,
    data: { job: base.job, tick: new Date(base.tick).toISOString(), idempotencyKey: base.idempotencyKey, attempt: base.attempt, ...data },
  });
}

/** Maps what `run` returned onto a job outcome: an agent's stop reason, a dream's outcome, or nothing. */
export function outcomeOf(returned: JobRunReturn): { outcome: JobOutcome; reason?: string } {
  if (returned && typeof returned === 'object') {
    if ('stopReason' in returned && typeof returned.stopReason === 'string') {
      const reason = returned.stopReason;
      const byStop: Record<string, JobOutcome> = { budget: 'refused', aborted: 'aborted', suspended: 'suspended', error: 'failed', store_error: 'failed' };
      return { outcome: byStop[reason] ?? 'completed', reason };
    }
    if ('outcome' in returned && typeof returned.outcome === 'string') {
      const reason = returned.outcome;
      const byDream: Record<string, JobOutcome> = { 'budget-exhausted': 'refused', refused: 'refused', failed: 'failed' };
      return { outcome: byDream[reason] ?? 'completed', reason };
    }
  }
  return { outcome: 'completed' };
}
