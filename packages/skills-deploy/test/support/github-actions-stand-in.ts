import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEPLOY_SCRIPT, type GitFixture } from './git-fixture';

/** A deploy workflow the stand-in knows: its id, file, the environment its runs deploy to and its required inputs. */
export interface StandInWorkflow {
  id: number;
  file: string;
  environment: string;
  inputs: string[];
}

interface Step {
  number: number;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
}

interface Attempt {
  number: number;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  startedAt: string;
  updatedAt: string;
  steps: Step[];
  process?: ChildProcess;
}

interface StandInRun {
  id: number;
  workflow: StandInWorkflow;
  ref: string;
  sha: string;
  inputs: Record<string, string>;
  displayTitle: string;
  createdAt: string;
  attempts: Attempt[];
}

const GITHUB_DOCS = 'https://docs.github.com/rest';
// Milliseconds in timestamps (GitHub sends whole seconds) keep the order of runs started within one second.
const now = () => new Date().toISOString();

/**
 * A local stand-in for the GitHub Actions REST API, speaking the real wire format (status codes, error bodies,
 * headers) for the endpoints `GitHubActionsTarget` uses. A dispatched run really deploys: it runs the fixture
 * deploy script against the git fixture and reports queued → in_progress → completed.
 */
export class GitHubActionsStandIn {
  /** Base URL for Octokit's `baseUrl`. */
  url = '';
  /** `METHOD /path` of every request, in order. */
  readonly requests: string[] = [];
  /** Runs stay in progress forever, as when a runner never picks them up. */
  stuck = false;
  /** Answer dispatches with 200 and the run id when asked (`return_run_details`); false: always 204, like older servers. */
  returnRunDetails = true;
  private readonly runs: StandInRun[] = [];
  private readonly failures: { status: number; body: unknown; headers: Record<string, string> }[] = [];
  private server: Server | undefined;
  private nextRunId = 9_000;

  constructor(
    private readonly options: { token: string; owner: string; repo: string; fixture: GitFixture; workflows: StandInWorkflow[] },
  ) {}

  /** The next request is answered with this status, body and headers instead (e.g. a 429). */
  failNext(status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.failures.push({ status, body, headers });
  }

  /** How many runs were dispatched. */
  get runCount(): number {
    return this.runs.length;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => this.send(res, 500, { message: error.message, documentation_url: GITHUB_DOCS }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops every running deploy and the server. */
  async stop(): Promise<void> {
    for (const run of this.runs) for (const attempt of run.attempts) this.kill(attempt);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = decodeURIComponent(url.pathname);
    this.requests.push(`${req.method} ${path}`);
    const body = await readJson(req);
    if (req.headers.authorization !== `token ${this.options.token}`) {
      return this.send(res, 401, { message: 'Bad credentials', documentation_url: GITHUB_DOCS, status: '401' });
    }
    const failure = this.failures.shift();
    if (failure) return this.send(res, failure.status, failure.body, failure.headers);
    const prefix = `/repos/${this.options.owner}/${this.options.repo}`;
    if (!path.startsWith(`${prefix}/`)) return this.notFound(res);
    const route = `${req.method} ${path.slice(prefix.length)}`;
    let m: RegExpExecArray | null;
    if ((m = /^POST \/actions\/workflows\/([^/]+)\/dispatches$/.exec(route))) return this.dispatch(res, m[1]!, body);
    if ((m = /^GET \/actions\/workflows\/([^/]+)\/runs$/.exec(route))) return this.listRuns(res, m[1]!, url.searchParams);
    if ((m = /^GET \/actions\/runs\/(\d+)$/.exec(route))) return this.withRun(res, m[1]!, (run) => this.send(res, 200, this.view(run)));
    if ((m = /^GET \/actions\/runs\/(\d+)\/attempts\/(\d+)$/.exec(route))) {
      const n = Number(m[2]);
      return this.withRun(res, m[1]!, (run) => (run.attempts[n - 1] ? this.send(res, 200, this.view(run, n)) : this.notFound(res)));
    }
    if ((m = /^GET \/actions\/runs\/(\d+)\/attempts\/(\d+)\/jobs$/.exec(route))) {
      const n = Number(m[2]);
      return this.withRun(res, m[1]!, (run) => (run.attempts[n - 1] ? this.send(res, 200, this.jobs(run, n)) : this.notFound(res)));
    }
    if ((m = /^POST \/actions\/runs\/(\d+)\/cancel$/.exec(route))) return this.withRun(res, m[1]!, (run) => this.cancel(res, run));
    if ((m = /^POST \/actions\/runs\/(\d+)\/rerun$/.exec(route))) return this.withRun(res, m[1]!, (run) => this.rerun(res, run));
    if (route === 'GET /commits') return this.listCommits(res, url.searchParams);
    if ((m = /^GET \/commits\/(.+)$/.exec(route))) return this.getCommit(res, m[1]!);
    if ((m = /^GET \/compare\/(.+)\.\.\.(.+)$/.exec(route))) return this.compare(res, m[1]!, m[2]!);
    return this.notFound(res);
  }

  private dispatch(res: ServerResponse, id: string, body: Record<string, unknown>): void {
    const workflow = this.workflow(id);
    if (!workflow) return this.notFound(res);
    const ref = typeof body.ref === 'string' ? body.ref : '';
    const sha = this.git('rev-parse', '--verify', '--quiet', `refs/heads/${ref}`) ?? this.git('rev-parse', '--verify', '--quiet', `refs/tags/${ref}^{commit}`);
    if (!sha) return this.send(res, 422, { message: `No ref found for: ${ref}`, documentation_url: GITHUB_DOCS, status: '422' });
    const inputs = (body.inputs ?? {}) as Record<string, string>;
    const unexpected = Object.keys(inputs).filter((name) => !workflow.inputs.includes(name));
    if (unexpected.length > 0) {
      return this.send(res, 422, { message: `Unexpected inputs provided: ${JSON.stringify(unexpected)}`, documentation_url: GITHUB_DOCS, status: '422' });
    }
    const missing = workflow.inputs.find((name) => typeof inputs[name] !== 'string' || inputs[name] === '');
    if (missing) return this.send(res, 422, { message: `Required input '${missing}' not provided`, documentation_url: GITHUB_DOCS, status: '422' });
    const run: StandInRun = {
      id: ++this.nextRunId,
      workflow,
      ref,
      sha,
      inputs,
      displayTitle: inputs.deploy_id ? `Deploy ${ref} (${inputs.deploy_id})` : `Deploy ${ref}`,
      createdAt: now(),
      attempts: [],
    };
    this.runs.push(run);
    this.queueAttempt(run);
    if (body.return_run_details === true && this.returnRunDetails) {
      const html = `https://github.com/${this.options.owner}/${this.options.repo}/actions/runs/${run.id}`;
      return this.send(res, 200, { workflow_run_id: run.id, run_url: `${this.url}/repos/${this.options.owner}/${this.options.repo}/actions/runs/${run.id}`, html_url: html });
    }
    res.writeHead(204).end();
  }

  private queueAttempt(run: StandInRun): void {
    const attempt: Attempt = {
      number: run.attempts.length + 1,
      status: 'queued',
      conclusion: null,
      startedAt: now(),
      updatedAt: now(),
      steps: [
        { number: 1, name: 'Set up job', status: 'queued', conclusion: null },
        { number: 2, name: 'Deploy', status: 'queued', conclusion: null },
      ],
    };
    run.attempts.push(attempt);
    setTimeout(() => this.runAttempt(run, attempt), 20);
  }

  private runAttempt(run: StandInRun, attempt: Attempt): void {
    if (attempt.status !== 'queued') return;
    attempt.status = 'in_progress';
    attempt.updatedAt = now();
    attempt.steps[0] = { ...attempt.steps[0]!, status: 'completed', conclusion: 'success' };
    attempt.steps[1] = { ...attempt.steps[1]!, status: 'in_progress' };
    if (this.stuck) return;
    const child = spawn('bash', [DEPLOY_SCRIPT, 'deploy', run.workflow.environment, run.sha], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...this.options.fixture.env },
      stdio: 'ignore',
      detached: true,
    });
    attempt.process = child;
    child.once('exit', (code) => {
      attempt.process = undefined;
      if (attempt.status === 'completed') return;
      this.complete(attempt, code === 0 ? 'success' : 'failure');
    });
  }

  private complete(attempt: Attempt, conclusion: 'success' | 'failure' | 'cancelled'): void {
    attempt.status = 'completed';
    attempt.conclusion = conclusion;
    attempt.updatedAt = now();
    attempt.steps = attempt.steps.map((step) =>
      step.status === 'completed' ? step : { ...step, status: 'completed', conclusion: step.status === 'queued' ? 'skipped' : conclusion },
    );
  }

  private cancel(res: ServerResponse, run: StandInRun): void {
    const attempt = run.attempts.at(-1)!;
    if (attempt.status === 'completed') {
      return this.send(res, 409, { message: 'Cannot cancel a workflow run that is completed.', documentation_url: GITHUB_DOCS, status: '409' });
    }
    this.send(res, 202, {});
    // GitHub answers at once and cancels a moment later.
    setTimeout(() => {
      this.kill(attempt);
      if (attempt.status !== 'completed') this.complete(attempt, 'cancelled');
    }, 10);
  }

  private rerun(res: ServerResponse, run: StandInRun): void {
    if (run.attempts.at(-1)!.status !== 'completed') {
      return this.send(res, 403, { message: 'This workflow is already running', documentation_url: GITHUB_DOCS, status: '403' });
    }
    this.queueAttempt(run);
    this.send(res, 201, {});
  }

  private listRuns(res: ServerResponse, id: string, query: URLSearchParams): void {
    const workflow = this.workflow(id);
    if (!workflow) return this.notFound(res);
    const status = query.get('status');
    const event = query.get('event');
    const perPage = Math.min(Number(query.get('per_page') ?? 30), 100);
    const page = Math.max(Number(query.get('page') ?? 1), 1);
    const runs = this.runs
      .filter((run) => run.workflow === workflow && (!event || event === 'workflow_dispatch'))
      .map((run) => this.view(run))
      .filter((run) => !status || run.status === status || run.conclusion === status)
      .reverse();
    this.send(res, 200, { total_count: runs.length, workflow_runs: runs.slice((page - 1) * perPage, page * perPage) });
  }

  private getCommit(res: ServerResponse, ref: string): void {
    const sha = ref.startsWith('-') ? undefined : this.git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
    if (!sha) return this.send(res, 422, { message: `No commit found for SHA: ${ref}`, documentation_url: GITHUB_DOCS, status: '422' });
    this.send(res, 200, this.log(['--max-count=1', sha])[0]);
  }

  private listCommits(res: ServerResponse, query: URLSearchParams): void {
    const sha = query.get('sha') ?? 'main';
    const perPage = Math.min(Number(query.get('per_page') ?? 30), 100);
    this.send(res, 200, this.log([`--max-count=${perPage}`, sha]));
  }

  private compare(res: ServerResponse, base: string, head: string): void {
    const ahead = this.log([`${base}..${head}`]).reverse();
    const behind = this.log([`${head}..${base}`]);
    const status = ahead.length && behind.length ? 'diverged' : ahead.length ? 'ahead' : behind.length ? 'behind' : 'identical';
    this.send(res, 200, { status, ahead_by: ahead.length, behind_by: behind.length, total_commits: ahead.length, commits: ahead });
  }

  private view(run: StandInRun, n = run.attempts.length) {
    const attempt = run.attempts[n - 1]!;
    const api = `${this.url}/repos/${this.options.owner}/${this.options.repo}/actions/runs/${run.id}`;
    return {
      id: run.id,
      name: `Deploy to ${run.workflow.environment}`,
      display_title: run.displayTitle,
      workflow_id: run.workflow.id,
      path: `.github/workflows/${run.workflow.file}`,
      event: 'workflow_dispatch',
      head_branch: run.ref,
      head_sha: run.sha,
      status: attempt.status,
      conclusion: attempt.conclusion,
      run_attempt: attempt.number,
      run_number: run.id - 9_000,
      created_at: run.createdAt,
      run_started_at: attempt.startedAt,
      updated_at: attempt.updatedAt,
      url: api,
      jobs_url: `${api}/jobs`,
      html_url: `https://github.com/${this.options.owner}/${this.options.repo}/actions/runs/${run.id}`,
    };
  }

  private jobs(run: StandInRun, n: number) {
    const attempt = run.attempts[n - 1]!;
    const job = {
      id: run.id * 10 + n,
      run_id: run.id,
      run_attempt: n,
      name: 'deploy',
      status: attempt.status,
      conclusion: attempt.conclusion,
      started_at: attempt.startedAt,
      completed_at: attempt.status === 'completed' ? attempt.updatedAt : null,
      steps: attempt.steps,
      html_url: `https://github.com/${this.options.owner}/${this.options.repo}/actions/runs/${run.id}/job/${run.id * 10 + n}`,
    };
    return { total_count: 1, jobs: [job] };
  }

  private log(args: string[]) {
    const out = this.git('log', '--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%B%x1e', ...args) ?? '';
    return out
      .split('\x1e')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => {
        const [sha, name, email, date, message] = entry.split('\x1f') as [string, string, string, string, string];
        return { sha, commit: { message: message.trim(), author: { name, email, date } }, author: null, html_url: `https://github.com/x/y/commit/${sha}` };
      });
  }

  private git(...args: string[]): string | undefined {
    try {
      return execFileSync('git', ['--git-dir', this.options.fixture.origin, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  private workflow(id: string): StandInWorkflow | undefined {
    return this.options.workflows.find((w) => String(w.id) === id || w.file === id);
  }

  private withRun(res: ServerResponse, id: string, then: (run: StandInRun) => void): void {
    const run = this.runs.find((r) => r.id === Number(id));
    return run ? then(run) : this.notFound(res);
  }

  private kill(attempt: Attempt): void {
    if (attempt.process?.pid === undefined) return;
    try {
      process.kill(-attempt.process.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  private notFound(res: ServerResponse): void {
    this.send(res, 404, { message: 'Not Found', documentation_url: GITHUB_DOCS, status: '404' });
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-request-id': `STANDIN:${this.requests.length}`,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      ...headers,
    });
    res.end(JSON.stringify(body));
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
