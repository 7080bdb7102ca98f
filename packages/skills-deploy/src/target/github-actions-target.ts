import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@claw/core';
import { Octokit, type RestEndpointMethodTypes } from '@octokit/rest';
import { DeployTargetError } from '../errors';
import { sleep } from '@claw/core';
import type {
  Commit,
  DeployPlan,
  DeployRequest,
  DeployTarget,
  Deployment,
  DeploymentKind,
  Release,
  RollbackRequest,
  TargetCallOptions,
} from './deploy-target';
import { previousGoodRelease } from './deploy-target';
import { toDeployTargetError, type GitHubCallContext } from './github-errors';
import { runStatus, type WorkflowJob, type WorkflowRun } from './github-run-status';
import { IdempotencyLedger, requestFingerprint } from './idempotency-ledger';
import { assertSafeNames, assertSha } from './names';

/** What the `inputs` option is given to build a dispatch's workflow inputs. */
export interface GitHubDispatchInfo {
  environment: string;
  ref: string;
  /** Derived from the idempotency key; put it in the workflow's `run-name` so the run can be found again. */
  requestId: string;
  requestedBy?: string;
  reason?: string;
}

/** Options for {@link GitHubActionsTarget}. */
export interface GitHubActionsTargetOptions {
  owner: string;
  repo: string;
  /** The deploy workflow (file name such as `deploy-staging.yml`, or numeric id) of each environment. */
  workflows: Readonly<Record<string, string | number>>;
  /** A client of your own; otherwise one is made from `auth` and `baseUrl` (GitHub Enterprise: `https://HOST/api/v3`). */
  octokit?: Octokit;
  auth?: string;
  baseUrl?: string;
  /** Workflow inputs of a dispatch (default `{ deploy_id: requestId }`); the workflow must declare each one. */
  inputs?: (dispatch: GitHubDispatchInfo) => Record<string, string>;
  /** When GitHub does not return the run a dispatch started, look for it this long (default 30 s). */
  findRunTimeoutMs?: number;
  findRunIntervalMs?: number;
  /** Limit for each API request (default 30 s). */
  requestTimeoutMs?: number;
}

type Run = RestEndpointMethodTypes['actions']['getWorkflowRun']['response']['data'];

const asked = (request: { requestedBy?: string; reason?: string }) => ({
  ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
  ...(request.reason ? { reason: request.reason } : {}),
});

// Octokit logs every 4xx through `log`; the errors are returned to the caller instead, so stay quiet.
const QUIET_LOG = { debug() {}, info() {}, warn() {}, error() {} };
const ID = /^gha-(\d+)-(\d+)$/;

/**
 * Deploys by dispatching a GitHub Actions workflow per environment, follows the run it started (status and
 * jobs), cancels it, and rolls back by re-running the run of an earlier successful release.
 *
 * Workflow contract: a `workflow_dispatch` trigger declaring the inputs sent (default `deploy_id`), and a
 * `run-name` containing `${{ inputs.deploy_id }}`, so a retried request finds its run instead of starting
 * another and runs can be found on servers that do not return the run id of a dispatch.
 */
export class GitHubActionsTarget implements DeployTarget {
  readonly kind = 'github-actions';
  private readonly octokit: Octokit;
  private readonly ledger = new IdempotencyLedger('github-actions');
  /** Who started which deployment in this process: GitHub keeps no idempotency key and no rollback flag. */
  private readonly started = new Map<string, { idempotencyKey: string; kind: DeploymentKind; requestedBy?: string; reason?: string }>();

  /** @throws InvalidArgumentError on a missing owner, repo or workflow map. */
  constructor(private readonly options: GitHubActionsTargetOptions) {
    if (!options?.owner || !options.repo) throw new InvalidArgumentError('GitHubActionsTarget needs "owner" and "repo".');
    if (!options.workflows || Object.keys(options.workflows).length === 0) {
      throw new InvalidArgumentError('GitHubActionsTarget needs "workflows": the deploy workflow file of each environment.');
    }
    this.octokit =
      options.octokit ??
      new Octokit({
        ...(options.auth ? { auth: options.auth } : {}),
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        userAgent: 'claw-skills-deploy',
        log: QUIET_LOG,
      });
  }

  async plan(environment: string, ref: string, options: TargetCallOptions = {}): Promise<DeployPlan> {
    assertSafeNames(this.kind, environment, ref);
    this.workflow(environment);
    const [commit, current] = await Promise.all([
      this.call({ action: `resolve ref ${ref}`, ref, notFound: 'ref' }, options.signal, (request) =>
        this.octokit.rest.repos.getCommit({ ...this.repo(), ref, request }),
      ),
      this.current(environment, options),
    ]);
    const sha = commit.data.sha;
    const toCommit = (c: { sha: string; commit: { message: string; author: { name?: string } | null } }): Commit => ({
      sha: c.sha,
      subject: c.commit.message.split('\n')[0] ?? '',
      ...(c.commit.author?.name ? { author: c.commit.author.name } : {}),
    });
    let commits: Commit[];
    if (current) {
      const basehead = `${current.sha}...${sha}`;
      const compared = await this.call({ action: `compare ${basehead}` }, options.signal, (request) =>
        this.octokit.rest.repos.compareCommitsWithBasehead({ ...this.repo(), basehead, request }),
      );
      commits = compared.data.commits.map(toCommit).reverse();
    } else {
      const listed = await this.call({ action: `list commits of ${sha}` }, options.signal, (request) =>
        this.octokit.rest.repos.listCommits({ ...this.repo(), sha, per_page: 50, request }),
      );
      commits = listed.data.map(toCommit);
    }
    return { environment, ref, sha, ...(current ? { current } : {}), commits };
  }

  async current(environment: string, options: TargetCallOptions = {}): Promise<Release | undefined> {
    const last = (await this.history(environment, { ...options, limit: 50 })).find((d) => d.status === 'succeeded');
    if (!last?.sha) return undefined;
    return { sha: last.sha, ref: last.ref, deploymentId: last.id, ...(last.finishedAt ? { at: last.finishedAt } : {}) };
  }

  async start(request: DeployRequest, options: TargetCallOptions = {}): Promise<Deployment> {
    assertSafeNames(this.kind, request.environment, request.ref);
    const workflow = this.workflow(request.environment);
    const fingerprint = requestFingerprint('deploy', request.environment, request.ref);
    const { id } = await this.ledger.once(request.idempotencyKey, fingerprint, async () => {
      const requestId = createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 16);
      const run = (await this.findRun(workflow, requestId, options.signal)) ?? (await this.dispatch(workflow, request, requestId, options.signal));
      const id = `gha-${run.id}-${run.run_attempt ?? 1}`;
      this.started.set(id, { idempotencyKey: request.idempotencyKey, kind: 'deploy', ...asked(request) });
      return id;
    });
    return this.status(id, options);
  }

  async rollback(request: RollbackRequest, options: TargetCallOptions = {}): Promise<Deployment> {
    assertSafeNames(this.kind, request.environment);
    if (request.toSha !== undefined) assertSha(this.kind, request.toSha);
    const fingerprint = requestFingerprint('rollback', request.environment, request.toSha);
    const { id } = await this.ledger.once(request.idempotencyKey, fingerprint, async () => {
      const history = await this.history(request.environment, { ...options, limit: 100 });
      const target = request.toSha
        ? history.find((d) => d.status === 'succeeded' && d.sha?.startsWith(request.toSha!))
        : previousGoodRelease(history);
      const [, runId, attempt] = (target && ID.exec(target.id)) ?? [];
      if (!runId || !attempt) {
        throw new DeployTargetError({
          target: this.kind,
          kind: 'not_found',
          message: `${request.environment} has no earlier successful workflow run${request.toSha ? ` of ${request.toSha}` : ''} to re-run. Check deploy_history for releases it ran.`,
        });
      }
      await this.call({ action: `re-run workflow run ${runId}`, notFound: 'run' }, options.signal, (req) =>
        this.octokit.rest.actions.reRunWorkflow({ ...this.repo(), run_id: Number(runId), request: req }),
      );
      const id = `gha-${runId}-${Number(attempt) + 1}`;
      this.started.set(id, { idempotencyKey: request.idempotencyKey, kind: 'rollback', ...asked(request) });
      return id;
    });
    return this.status(id, options);
  }

  async status(id: string, options: TargetCallOptions = {}): Promise<Deployment> {
    const [, runId, attempt] = ID.exec(id) ?? [];
    if (!runId || !attempt) {
      throw new DeployTargetError({ target: this.kind, kind: 'not_found', message: `"${id}" is not a GitHub Actions deployment id (gha-<run>-<attempt>).` });
    }
    const context: GitHubCallContext = { action: `read workflow run ${runId} attempt ${attempt}`, notFound: 'run' };
    const where = { ...this.repo(), run_id: Number(runId), attempt_number: Number(attempt) };
    const [run, jobs] = await Promise.all([
      this.call(context, options.signal, (request) => this.octokit.rest.actions.getWorkflowRunAttempt({ ...where, request })),
      this.call(context, options.signal, (request) => this.octokit.rest.actions.listJobsForWorkflowRunAttempt({ ...where, per_page: 100, request })),
    ]);
    return this.toDeployment(run.data as Run, jobs.data.jobs as WorkflowJob[]);
  }

  async cancel(id: string, options: TargetCallOptions = {}): Promise<Deployment> {
    const current = await this.status(id, options);
    if (current.status !== 'queued' && current.status !== 'in_progress') return current;
    const runId = Number(ID.exec(id)![1]);
    try {
      await this.call({ action: `cancel workflow run ${runId}`, notFound: 'run' }, options.signal, (request) =>
        this.octokit.rest.actions.cancelWorkflowRun({ ...this.repo(), run_id: runId, request }),
      );
    } catch (error) {
      // 409: it finished between the two calls; what it finished as is the answer.
      if (!(error instanceof DeployTargetError && error.kind === 'conflict')) throw error;
    }
    return this.status(id, options);
  }

  async history(environment: string, options: TargetCallOptions & { limit?: number } = {}): Promise<Deployment[]> {
    assertSafeNames(this.kind, environment);
    const workflow = this.workflow(environment);
    const limit = Math.max(1, Math.min(options.limit ?? 20, 100));
    // GitHub lists runs by creation, but a re-run (a rollback) of an old run is recent: read a full page and
    // order by when each run last started.
    const listed = await this.call({ action: `list runs of workflow ${workflow}` }, options.signal, (request) =>
      this.octokit.rest.actions.listWorkflowRuns({ ...this.repo(), workflow_id: workflow, per_page: 100, request }),
    );
    return (listed.data.workflow_runs as Run[])
      .map((run) => this.toDeployment(run))
      .sort((a, b) => b.startedAt - a.startedAt || b.id.localeCompare(a.id, 'en', { numeric: true }))
      .slice(0, limit);
  }

  private async dispatch(workflow: string | number, request: DeployRequest, requestId: string, signal: AbortSignal | undefined): Promise<Run> {
    const info: GitHubDispatchInfo = {
      environment: request.environment,
      ref: request.ref,
      requestId,
      ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
      ...(request.reason ? { reason: request.reason } : {}),
    };
    const inputs = this.options.inputs?.(info) ?? { deploy_id: requestId };
    const response = (await this.call({ action: `dispatch workflow ${workflow} on ${request.ref}`, ref: request.ref }, signal, (req) =>
      // `return_run_details` is newer than Octokit's route types; servers that do not know it answer 204.
      this.octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
        ...this.repo(),
        workflow_id: workflow,
        ref: request.ref,
        inputs,
        return_run_details: true,
        request: req,
      }),
    )) as { status: number; data: unknown };
    const runId = (response.data as { workflow_run_id?: unknown } | undefined)?.workflow_run_id;
    if (response.status === 200 && typeof runId === 'number') {
      const run = await this.call({ action: `read workflow run ${runId}`, notFound: 'run' }, signal, (req) =>
        this.octokit.rest.actions.getWorkflowRun({ ...this.repo(), run_id: runId, request: req }),
      );
      return run.data;
    }
    const deadline = Date.now() + (this.options.findRunTimeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      await sleep(this.options.findRunIntervalMs ?? 1_000, signal);
      const run = await this.findRun(workflow, requestId, signal);
      if (run) return run;
    }
    throw new DeployTargetError({
      target: this.kind,
      kind: 'unavailable',
      message: `Workflow ${workflow} was dispatched, but its run (deploy_id ${requestId}) did not appear. Put \${{ inputs.deploy_id }} in the workflow's run-name, then check the repository's Actions page before retrying.`,
    });
  }

  /** The recent dispatched run whose title carries the request id, if any. */
  private async findRun(workflow: string | number, requestId: string, signal: AbortSignal | undefined): Promise<Run | undefined> {
    const listed = await this.call({ action: `list runs of workflow ${workflow}` }, signal, (request) =>
      this.octokit.rest.actions.listWorkflowRuns({ ...this.repo(), workflow_id: workflow, event: 'workflow_dispatch', per_page: 30, request }),
    );
    return (listed.data.workflow_runs as Run[]).find((run) => run.display_title?.includes(requestId));
  }

  private toDeployment(run: WorkflowRun, jobs?: readonly WorkflowJob[]): Deployment {
    const id = `gha-${run.id}-${run.run_attempt ?? 1}`;
    const mine = this.started.get(id);
    const kind = mine?.kind ?? 'deploy';
    const mapped = runStatus(run, jobs);
    // A deployment is never "skipped": a skipped run deployed nothing, like a cancelled one.
    const status = mapped.status === 'skipped' ? 'cancelled' : mapped.status;
    const reason = mapped.status === 'skipped' ? 'the workflow run was skipped' : mapped.reason;
    const finished = status !== 'queued' && status !== 'in_progress';
    return {
      id,
      environment: this.environmentOf(run),
      kind,
      ref: kind === 'rollback' ? run.head_sha : (run.head_branch ?? run.head_sha),
      sha: run.head_sha,
      status,
      ...(mine ? { idempotencyKey: mine.idempotencyKey } : {}),
      ...(mine?.requestedBy ? { requestedBy: mine.requestedBy } : {}),
      ...(mine?.reason ? { requestReason: mine.reason } : {}),
      startedAt: Date.parse(run.run_started_at ?? run.created_at),
      ...(finished ? { finishedAt: Date.parse(run.updated_at) } : {}),
      ...(reason ? { reason } : {}),
      url: run.html_url,
      ...(jobs ? { steps: jobs.map((job) => ({ name: job.name, status: runStatus(job).status })) } : {}),
    };
  }

  /** @throws DeployTargetError kind `not_found` for a run of a workflow this target does not deploy with. */
  private environmentOf(run: WorkflowRun): string {
    for (const [environment, workflow] of Object.entries(this.options.workflows)) {
      const matches =
        typeof workflow === 'number' ? run.workflow_id === workflow : run.path === workflow || run.path?.endsWith(`/${workflow}`) || run.path?.includes(`/${workflow}@`);
      if (matches) return environment;
    }
    throw new DeployTargetError({
      target: this.kind,
      kind: 'not_found',
      message: `Workflow run ${run.id} (${run.path}) is not a deploy workflow of this target. Use a deployment id that deploy_start or deploy_history returned.`,
    });
  }

  /** @throws DeployTargetError kind `invalid_request` for an environment without a workflow. */
  private workflow(environment: string): string | number {
    const workflow = Object.hasOwn(this.options.workflows, environment) ? this.options.workflows[environment] : undefined;
    if (workflow === undefined) {
      throw new DeployTargetError({
        target: this.kind,
        kind: 'invalid_request',
        message: `No deploy workflow is configured for environment "${environment}". Add it to the GitHubActionsTarget "workflows" option.`,
      });
    }
    return workflow;
  }

  private repo(): { owner: string; repo: string } {
    return { owner: this.options.owner, repo: this.options.repo };
  }

  /** Runs one API request with the caller's signal and a request timeout, mapping failures to typed errors. */
  private async call<T>(context: GitHubCallContext, signal: AbortSignal | undefined, send: (request: { signal: AbortSignal }) => Promise<T>): Promise<T> {
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      return await send({ signal: combined });
    } catch (error) {
      if (timeout.aborted && !signal?.aborted) {
        throw new DeployTargetError({
          target: this.kind,
          kind: 'unavailable',
          message: `GitHub did not answer within ${this.options.requestTimeoutMs ?? 30_000} ms while trying to ${context.action}. Try again shortly.`,
          cause: error,
        });
      }
      throw toDeployTargetError(error, { ...context, ...(signal ? { signal } : {}) });
    }
  }
}
