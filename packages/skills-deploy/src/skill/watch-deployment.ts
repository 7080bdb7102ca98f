import { DeployTargetError } from '../errors';
import { sleep } from '@claw/core';
import { isFinalStatus, type DeployTarget, type Deployment, type DeploymentStatus } from '../target/deploy-target';

/**
 * How a watch ended: the deployment's final status; `stuck` when it showed no progress for `stuckAfterMs`;
 * `still-running` when the watch's own time ran out while it was still changing.
 */
export type WatchOutcome = Exclude<DeploymentStatus, 'queued' | 'in_progress'> | 'stuck' | 'still-running';

/** A change seen while watching. */
export interface WatchTransition {
  at: number;
  status: DeploymentStatus;
  /** The step running at that moment, when the target reports steps. */
  step?: string;
}

/** The result of {@link watchDeployment}. */
export interface WatchResult {
  outcome: WatchOutcome;
  deployment: Deployment;
  transitions: WatchTransition[];
  watchedMs: number;
}

/** Options of {@link watchDeployment}. */
export interface WatchOptions {
  pollIntervalMs: number;
  stuckAfterMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Consecutive retryable errors (rate limit, backend unavailable) tolerated before giving up. Default 3. */
  maxConsecutiveErrors?: number;
}

function progress(d: Deployment): string {
  return `${d.status}|${(d.steps ?? []).map((s) => s.status).join(',')}`;
}

function transition(d: Deployment, at: number): WatchTransition {
  const step = d.steps?.find((s) => s.status === 'in_progress')?.name;
  return step ? { at, status: d.status, step } : { at, status: d.status };
}

/**
 * Follows a deployment until it ends, stalls or the watch times out, polling the target. Retryable target
 * errors are tolerated a few times in a row.
 * @throws DeployTargetError when the target keeps failing or refuses; AbortedError when the signal fires.
 */
export async function watchDeployment(target: DeployTarget, id: string, options: WatchOptions): Promise<WatchResult> {
  const started = Date.now();
  let deployment = await target.status(id, { ...(options.signal ? { signal: options.signal } : {}) });
  const transitions = [transition(deployment, Date.now())];
  let lastChange = Date.now();
  let errors = 0;
  let backoffMs = 0;
  const end = (outcome: WatchOutcome): WatchResult => ({ outcome, deployment, transitions, watchedMs: Date.now() - started });
  while (!isFinalStatus(deployment.status)) {
    const now = Date.now();
    if (now - lastChange >= options.stuckAfterMs) return end('stuck');
    if (now - started >= options.timeoutMs) return end('still-running');
    const interval = Math.max(options.pollIntervalMs, backoffMs);
    const wait = Math.min(interval, options.stuckAfterMs - (now - lastChange), options.timeoutMs - (now - started));
    await sleep(Math.max(1, wait), options.signal);
    let next: Deployment;
    try {
      next = await target.status(id, { ...(options.signal ? { signal: options.signal } : {}) });
      errors = 0;
      backoffMs = 0;
    } catch (error) {
      if (error instanceof DeployTargetError && error.retryable && ++errors < (options.maxConsecutiveErrors ?? 3)) {
        // A rate limit says when to come back; asking sooner only extends it.
        backoffMs = error.retryAfterMs ?? 0;
        continue;
      }
      throw error;
    }
    if (progress(next) !== progress(deployment)) {
      lastChange = Date.now();
      transitions.push(transition(next, lastChange));
    }
    deployment = next;
  }
  return end(deployment.status as WatchOutcome);
}
