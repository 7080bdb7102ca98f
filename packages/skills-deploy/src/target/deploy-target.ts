/**
 * The contract every deploy backend implements (GitHub Actions, your own deploy CLI, in-memory). The deploy
 * skill's tools speak only this interface, and one shared test suite runs against each implementation.
 */

/** Where a deployment is. `queued` and `in_progress` are live; the others are final. */
export type DeploymentStatus = 'queued' | 'in_progress' | 'succeeded' | 'failed' | 'cancelled' | 'timed_out';

/** Whether a deployment started fresh code or went back to a release the environment ran before. */
export type DeploymentKind = 'deploy' | 'rollback';

/** One job or step of a deployment, as far as the backend reports them; `skipped` steps never ran. */
export interface DeploymentStep {
  name: string;
  status: DeploymentStatus | 'skipped';
}

/** A deployment as a target reports it. Times are milliseconds since the epoch. */
export interface Deployment {
  /** Target-assigned id; pass it to `status`, `cancel` and the `deploy_watch` tool. */
  id: string;
  environment: string;
  kind: DeploymentKind;
  /** What was asked for: a branch, tag or commit (for a rollback, the commit sha). */
  ref: string;
  /** The commit being deployed, once the target knows it. */
  sha?: string;
  status: DeploymentStatus;
  /**
   * The key the request carried; a second request with it returns this deployment instead of starting one.
   * Absent for deployments the target found but did not start (another process, a person in the GitHub UI).
   */
  idempotencyKey?: string;
  /** Who asked for it (a principal id), when the target knows. */
  requestedBy?: string;
  /** Why it was asked for, when the target knows. */
  requestReason?: string;
  startedAt: number;
  finishedAt?: number;
  /** Why it failed, was cancelled or timed out, in words a person can act on. */
  reason?: string;
  /** Where a person can follow it (a workflow run page), when there is one. */
  url?: string;
  steps?: DeploymentStep[];
  /** The end of the deploy output (size-limited), when the target captures it. */
  log?: string;
}

/** The release an environment is running. */
export interface Release {
  sha: string;
  ref?: string;
  /** The deployment that put it there, when the target knows. */
  deploymentId?: string;
  /** When it went live. */
  at?: number;
}

/** A commit between the live release and a ref. */
export interface Commit {
  sha: string;
  subject: string;
  author?: string;
}

/** What a deploy of `ref` to `environment` would change. */
export interface DeployPlan {
  environment: string;
  ref: string;
  /** The commit `ref` resolves to now. */
  sha: string;
  /** What is live; undefined before the first deploy. */
  current?: Release;
  /** Commits in `sha` that are not live, newest first (at most 50 without `current`). */
  commits: Commit[];
}

/** A request to deploy a ref. */
export interface DeployRequest {
  environment: string;
  ref: string;
  /** Requests with the same key start at most one deployment; reusing a key for another request is refused. */
  idempotencyKey: string;
  /** Who asked (a principal id), for the backend's own records. */
  requestedBy?: string;
  reason?: string;
}

/** A request to go back to an earlier release. */
export interface RollbackRequest {
  environment: string;
  /** The release to return to; defaults to the newest successful release before the live one. */
  toSha?: string;
  idempotencyKey: string;
  requestedBy?: string;
  reason?: string;
}

/** Options every target call takes. */
export interface TargetCallOptions {
  /** Cancels the call (not the deployment: use `cancel` for that). */
  signal?: AbortSignal;
}

/**
 * A deploy backend. Every method may throw `DeployTargetError` (with a `kind` saying what went wrong) and
 * `AbortedError` when the signal fires.
 */
export interface DeployTarget {
  /** Backend family, e.g. `github-actions`, `command`, `in-memory`. */
  readonly kind: string;
  /** Resolves `ref` and lists the commits since the live release. Throws kind `unknown_ref` for a ref that does not exist. */
  plan(environment: string, ref: string, options?: TargetCallOptions): Promise<DeployPlan>;
  /** The live release, or undefined before the first successful deploy. */
  current(environment: string, options?: TargetCallOptions): Promise<Release | undefined>;
  /** Starts a deployment and returns at once (usually `queued` or `in_progress`); idempotent by key. */
  start(request: DeployRequest, options?: TargetCallOptions): Promise<Deployment>;
  /** Starts going back to an earlier release; idempotent by key. Throws kind `not_found` when there is none. */
  rollback(request: RollbackRequest, options?: TargetCallOptions): Promise<Deployment>;
  /** The deployment now. Throws kind `not_found` for an unknown id. */
  status(id: string, options?: TargetCallOptions): Promise<Deployment>;
  /** Asks the backend to stop a live deployment; returns it as it stands (a finished one is returned unchanged). */
  cancel(id: string, options?: TargetCallOptions): Promise<Deployment>;
  /** Deployments of an environment, newest first. */
  history(environment: string, options?: TargetCallOptions & { limit?: number }): Promise<Deployment[]>;
}

const FINAL: ReadonlySet<DeploymentStatus> = new Set(['succeeded', 'failed', 'cancelled', 'timed_out']);

/** True when the status will not change again. */
export function isFinalStatus(status: DeploymentStatus | 'skipped'): boolean {
  return status === 'skipped' || FINAL.has(status);
}

/**
 * The release a rollback returns to, from an environment's history (newest first). When the newest finished
 * deployment failed, was cancelled or timed out, it is the newest successful release: whatever the failure left
 * live, the last known good one goes back. When the newest finished deployment succeeded, it is the successful
 * release before it with another commit. Undefined when there is no such release.
 */
export function previousGoodRelease(history: readonly Deployment[]): Deployment | undefined {
  const finished = history.filter((d) => isFinalStatus(d.status));
  const newest = finished[0];
  const good = finished.filter((d) => d.status === 'succeeded' && d.sha !== undefined);
  if (newest?.status !== 'succeeded') return good[0];
  return good.find((d) => d.sha !== newest.sha);
}
