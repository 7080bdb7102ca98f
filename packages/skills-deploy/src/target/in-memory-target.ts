import { InvalidArgumentError } from '@claw/core';
import { DeployTargetError } from '../errors';
import { throwIfAborted } from '../internal/abort';
import type {
  Commit,
  DeployPlan,
  DeployRequest,
  DeployTarget,
  Deployment,
  DeploymentStatus,
  Release,
  RollbackRequest,
  TargetCallOptions,
} from './deploy-target';
import { isFinalStatus, previousGoodRelease } from './deploy-target';
import { IdempotencyLedger, requestFingerprint } from './idempotency-ledger';
import { assertSafeNames, assertSha } from './names';

/**
 * How deploying a commit goes: `succeeds`; `fails-health-check` (before the switch, the live release stays);
 * `fails-after-switch` (the smoke test after the switch fails: the new release is live and broken, the case a
 * rollback is for); `hangs` (never finishes until cancelled).
 */
export type InMemoryDeployBehaviour = 'succeeds' | 'fails-health-check' | 'fails-after-switch' | 'hangs';

/** A commit of the in-memory repository. */
export interface InMemoryCommit extends Commit {
  /** How deploying it goes: everywhere, or per environment (unlisted environments succeed). Default `succeeds`. */
  behaviour?: InMemoryDeployBehaviour | Readonly<Record<string, InMemoryDeployBehaviour>>;
}

/** Options for {@link InMemoryTarget}. */
export interface InMemoryTargetOptions {
  /** A linear history, oldest first. */
  commits: readonly InMemoryCommit[];
  /** Branch and tag names to commit shas; full shas and unique prefixes of 7+ characters resolve too. */
  refs?: Readonly<Record<string, string>>;
  /** Releases already live before the first deploy, by environment; each appears in history as a successful deploy. */
  live?: Readonly<Record<string, string>>;
  /** How long each phase of a deployment takes (default 5 ms). */
  phaseMs?: number;
  /** Current time in ms since epoch, for deployment timestamps. Default `Date.now`. */
  now?: () => number;
}

const PHASES = ['unpack', 'health check', 'switch', 'smoke test'] as const;

interface Entry {
  deployment: Deployment;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * A deploy target that keeps everything in memory and moves deployments through queued, in progress and a
 * final status on timers. For examples and fast tests; it behaves like the real targets (one shared test suite).
 */
export class InMemoryTarget implements DeployTarget {
  readonly kind = 'in-memory';
  private readonly commits: readonly InMemoryCommit[];
  private readonly refs: Readonly<Record<string, string>>;
  private readonly phaseMs: number;
  private readonly now: () => number;
  private readonly deployments = new Map<string, Entry>();
  private readonly live = new Map<string, Release>();
  private readonly ledger = new IdempotencyLedger('in-memory');
  private sequence = 0;

  /** @throws InvalidArgumentError when a ref or live release names a commit that is not in `commits`. */
  constructor(options: InMemoryTargetOptions) {
    this.commits = [...options.commits];
    this.refs = { ...options.refs };
    this.phaseMs = options.phaseMs ?? 5;
    this.now = options.now ?? Date.now;
    const known = new Set(this.commits.map((c) => c.sha));
    for (const [name, sha] of Object.entries(this.refs)) {
      if (!known.has(sha)) throw new InvalidArgumentError(`InMemoryTarget ref "${name}" points at ${sha}, which is not in commits.`);
    }
    for (const [environment, sha] of Object.entries(options.live ?? {})) {
      if (!known.has(sha)) throw new InvalidArgumentError(`InMemoryTarget live release of ${environment} (${sha}) is not in commits.`);
      // A live release got there by a deployment: it is in the history, so a rollback can return to it.
      const id = `mem-${++this.sequence}`;
      const ref = Object.keys(this.refs).find((name) => this.refs[name] === sha) ?? sha;
      const at = this.now();
      this.deployments.set(id, {
        deployment: { id, environment, kind: 'deploy', ref, sha, status: 'succeeded', startedAt: at, finishedAt: at, steps: PHASES.map((name) => ({ name, status: 'succeeded' })) },
      });
      this.live.set(environment, { sha, ref, deploymentId: id, at });
    }
  }

  async plan(environment: string, ref: string, options: TargetCallOptions = {}): Promise<DeployPlan> {
    throwIfAborted(options.signal);
    assertSafeNames(this.kind, environment, ref);
    const sha = this.resolve(ref);
    const current = this.live.get(environment);
    const target = this.commits.findIndex((c) => c.sha === sha);
    const from = current ? this.commits.findIndex((c) => c.sha === current.sha) : Math.max(-1, target - 50);
    const commits = this.commits
      .slice(from + 1, target + 1)
      .reverse()
      .map(({ sha, subject, author }) => (author === undefined ? { sha, subject } : { sha, subject, author }));
    return { environment, ref, sha, ...(current ? { current: { ...current } } : {}), commits };
  }

  async current(environment: string, options: TargetCallOptions = {}): Promise<Release | undefined> {
    throwIfAborted(options.signal);
    const release = this.live.get(environment);
    return release && { ...release };
  }

  async start(request: DeployRequest, options: TargetCallOptions = {}): Promise<Deployment> {
    throwIfAborted(options.signal);
    assertSafeNames(this.kind, request.environment, request.ref);
    const fingerprint = requestFingerprint('deploy', request.environment, request.ref);
    const { id } = await this.ledger.once(request.idempotencyKey, fingerprint, async () => {
      const sha = this.resolve(request.ref);
      return this.launch({ kind: 'deploy', ref: request.ref, sha, request });
    });
    return this.status(id);
  }

  async rollback(request: RollbackRequest, options: TargetCallOptions = {}): Promise<Deployment> {
    throwIfAborted(options.signal);
    if (request.toSha !== undefined) assertSha(this.kind, request.toSha);
    const fingerprint = requestFingerprint('rollback', request.environment, request.toSha);
    const { id } = await this.ledger.once(request.idempotencyKey, fingerprint, async () => {
      const history = await this.history(request.environment, { limit: Number.MAX_SAFE_INTEGER });
      const target = request.toSha
        ? history.find((d) => d.status === 'succeeded' && d.sha?.startsWith(request.toSha!))
        : previousGoodRelease(history);
      if (!target?.sha) {
        throw new DeployTargetError({
          target: this.kind,
          kind: 'not_found',
          message: `${request.environment} has no earlier successful release${request.toSha ? ` ${request.toSha}` : ''} to roll back to. Check deploy_history for releases it ran.`,
        });
      }
      return this.launch({ kind: 'rollback', ref: target.sha, sha: target.sha, request });
    });
    return this.status(id);
  }

  async status(id: string, options: TargetCallOptions = {}): Promise<Deployment> {
    throwIfAborted(options.signal);
    return structuredClone(this.entry(id).deployment);
  }

  async cancel(id: string, options: TargetCallOptions = {}): Promise<Deployment> {
    throwIfAborted(options.signal);
    const entry = this.entry(id);
    if (!isFinalStatus(entry.deployment.status)) {
      clearTimeout(entry.timer);
      this.finish(entry, 'cancelled', 'cancelled on request');
    }
    return structuredClone(entry.deployment);
  }

  async history(environment: string, options: TargetCallOptions & { limit?: number } = {}): Promise<Deployment[]> {
    throwIfAborted(options.signal);
    return [...this.deployments.values()]
      .map((e) => e.deployment)
      .filter((d) => d.environment === environment)
      .reverse()
      .slice(0, options.limit ?? 20)
      .map((d) => structuredClone(d));
  }

  private resolve(ref: string): string {
    const named = Object.hasOwn(this.refs, ref) ? this.refs[ref] : undefined;
    if (named) return named;
    const matches = ref.length >= 7 ? this.commits.filter((c) => c.sha.startsWith(ref)) : [];
    if (matches.length === 1) return matches[0]!.sha;
    throw new DeployTargetError({
      target: this.kind,
      kind: 'unknown_ref',
      message: `No branch, tag or commit "${ref}" exists. Use a ref from deploy_plan or the repository.`,
    });
  }

  private entry(id: string): Entry {
    const entry = this.deployments.get(id);
    if (!entry) {
      throw new DeployTargetError({ target: this.kind, kind: 'not_found', message: `No deployment "${id}". Use an id that deploy_start or deploy_history returned.` });
    }
    return entry;
  }

  private launch(spec: { kind: Deployment['kind']; ref: string; sha: string; request: DeployRequest | RollbackRequest }): string {
    const id = `mem-${++this.sequence}`;
    const { request } = spec;
    const deployment: Deployment = {
      id,
      environment: request.environment,
      kind: spec.kind,
      ref: spec.ref,
      sha: spec.sha,
      status: 'queued',
      idempotencyKey: request.idempotencyKey,
      ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
      ...(request.reason ? { requestReason: request.reason } : {}),
      startedAt: this.now(),
      steps: PHASES.map((name) => ({ name, status: 'queued' })),
    };
    const entry: Entry = { deployment };
    this.deployments.set(id, entry);
    this.advance(entry, 0);
    return id;
  }

  /** Runs phase `index` after `phaseMs`; the commit's behaviour decides where it stops. */
  private advance(entry: Entry, index: number): void {
    entry.timer = setTimeout(() => {
      const d = entry.deployment;
      const configured = this.commits.find((c) => c.sha === d.sha)?.behaviour ?? 'succeeds';
      const behaviour = typeof configured === 'string' ? configured : Object.hasOwn(configured, d.environment) ? configured[d.environment]! : 'succeeds';
      d.status = 'in_progress';
      const phase = PHASES[index];
      if (phase === undefined) return this.finish(entry, 'succeeded');
      const step = d.steps![index]!;
      step.status = 'in_progress';
      if (phase === 'health check' && behaviour === 'hangs') return;
      if (phase === 'health check' && behaviour === 'fails-health-check') {
        step.status = 'failed';
        return this.finish(entry, 'failed', `health check failed for ${d.sha}; the live release is unchanged`);
      }
      if (phase === 'switch') this.live.set(d.environment, { sha: d.sha!, ref: d.ref, deploymentId: d.id, at: this.now() });
      if (phase === 'smoke test' && behaviour === 'fails-after-switch') {
        step.status = 'failed';
        return this.finish(entry, 'failed', `smoke test failed after switching to ${d.sha}; the broken release is live`);
      }
      step.status = 'succeeded';
      this.advance(entry, index + 1);
    }, this.phaseMs);
    // A hanging or slow in-memory deploy must never keep a test process or an example alive.
    entry.timer.unref?.();
  }

  private finish(entry: Entry, status: DeploymentStatus, reason?: string): void {
    const d = entry.deployment;
    d.status = status;
    d.finishedAt = this.now();
    if (reason) d.reason = reason;
    for (const step of d.steps ?? []) {
      if (step.status === 'in_progress') step.status = status;
      else if (step.status === 'queued') step.status = 'skipped';
    }
  }
}
