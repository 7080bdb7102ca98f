import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '@claw/core';
import { DeployTargetError } from '../errors';
import { throwIfAborted } from '../internal/abort';
import type { OutputCapture } from './command-output';
import type {
  DeployPlan,
  DeployRequest,
  DeployTarget,
  Deployment,
  Release,
  RollbackRequest,
  TargetCallOptions,
} from './deploy-target';
import { previousGoodRelease } from './deploy-target';
import { DeploymentRecords } from './deployment-records';
import { IdempotencyLedger, requestFingerprint } from './idempotency-ledger';
import { assertSafeNames, assertSha } from './names';
import { deploymentOutcome, queryError, type ExitCodeMeaning } from './command-outcome';
import { runCommand, type CommandHandle } from './run-command';

/**
 * The deploy CLI's commands as argv arrays. Elements may hold `{environment}`, `{ref}`, `{sha}` and
 * `{deploymentId}`; each is replaced inside its element and never split or parsed by a shell.
 */
export interface CommandTargetCommands {
  /** Deploys `{sha}` (the commit `plan` resolved `{ref}` to) to `{environment}`. */
  deploy: readonly string[];
  /** Switches `{environment}` back to the earlier release `{sha}`. */
  rollback: readonly string[];
  /** Prints `claw.sha=<sha>` for `{ref}`, `claw.current=<sha>` when something is live, and `claw.commit=<sha> <subject>` per commit since. */
  plan: readonly string[];
  /** Prints `claw.sha=<sha>` of the live release of `{environment}` (nothing when none). Without it the target's own records answer. */
  current?: readonly string[];
}

/** Options for {@link CommandTarget}. */
export interface CommandTargetOptions {
  commands: CommandTargetCommands;
  cwd?: string;
  /** The child's environment: only `allow`ed variables of this process (default PATH, HOME, LANG, LC_ALL, TZ, TMPDIR), plus `set`. */
  env?: { allow?: readonly string[]; set?: Readonly<Record<string, string>> };
  /** Limit for `deploy` and `rollback` (default 15 minutes); past it the deployment ends `timed_out`. */
  timeoutMs?: number;
  /** Limit for `plan` and `current` (default 60 s). */
  queryTimeoutMs?: number;
  /** Between SIGTERM and SIGKILL when stopping a command (default 5 s). */
  killGraceMs?: number;
  /** Output kept per command: its last this-many bytes (default 64 KiB). */
  maxOutputBytes?: number;
  /** Meaning of exit codes; 0 means succeeded and any other code failed unless listed here. */
  exitCodes?: Readonly<Record<number, ExitCodeMeaning>>;
  /** JSON file keeping deployments across restarts (history, rollback targets, idempotency keys). */
  stateFile?: string;
  /** Current time in ms since epoch, for deployment timestamps. Default `Date.now`. */
  now?: () => number;
}

const DEFAULT_ALLOW = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];
const PLACEHOLDERS = new Set(['environment', 'ref', 'sha', 'deploymentId']);
const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/**
 * Deploys with the team's own deploy CLI: each operation runs one command as an argv array (never through a
 * shell) with an allowlisted environment, a working directory, a timeout and size-limited captured output;
 * exit codes map to outcomes. `start` resolves the ref with `plan` first, so the exact commit is deployed.
 */
export class CommandTarget implements DeployTarget {
  readonly kind = 'command';
  private readonly options: Required<Omit<CommandTargetOptions, 'cwd' | 'stateFile' | 'exitCodes'>> &
    Pick<CommandTargetOptions, 'cwd' | 'exitCodes'>;
  private readonly records: DeploymentRecords;
  private readonly ledger = new IdempotencyLedger('command');
  private readonly running = new Map<string, CommandHandle>();
  private readonly finished = new Map<string, Promise<void>>();
  private loading: Promise<void> | undefined;

  /** @throws InvalidArgumentError when a command is empty or uses an unknown placeholder. */
  constructor(options: CommandTargetOptions) {
    for (const [name, argv] of Object.entries(options.commands ?? {})) {
      if (argv === undefined) continue;
      if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string')) {
        throw new InvalidArgumentError(`CommandTarget command "${name}" must be a non-empty array of strings (argv).`);
      }
      for (const arg of argv) {
        for (const [, placeholder] of arg.matchAll(PLACEHOLDER)) {
          if (!PLACEHOLDERS.has(placeholder!)) {
            throw new InvalidArgumentError(`CommandTarget command "${name}" uses {${placeholder}}; use {environment}, {ref}, {sha} or {deploymentId}.`);
          }
        }
      }
    }
    for (const name of ['deploy', 'rollback', 'plan'] as const) {
      if (!options.commands?.[name]) throw new InvalidArgumentError(`CommandTarget needs a "${name}" command.`);
    }
    this.options = {
      commands: options.commands,
      cwd: options.cwd,
      env: options.env ?? {},
      timeoutMs: options.timeoutMs ?? 15 * 60_000,
      queryTimeoutMs: options.queryTimeoutMs ?? 60_000,
      killGraceMs: options.killGraceMs ?? 5_000,
      maxOutputBytes: options.maxOutputBytes ?? 64 * 1024,
      exitCodes: options.exitCodes,
      now: options.now ?? Date.now,
    };
    this.records = new DeploymentRecords(options.stateFile, this.options.now);
  }

  async plan(environment: string, ref: string, options: TargetCallOptions = {}): Promise<DeployPlan> {
    assertSafeNames(this.kind, environment, ref);
    await this.ready();
    const output = await this.query('plan', { environment, ref }, options.signal);
    const sha = output.last('sha');
    if (!sha) throw this.protocolError('plan', 'printed no "claw.sha=<sha>" line');
    const live = output.last('current');
    const commits = output.all('commit').map((line) => {
      const space = line.indexOf(' ');
      return space < 0 ? { sha: line, subject: '' } : { sha: line.slice(0, space), subject: line.slice(space + 1) };
    });
    return { environment, ref, sha, ...(live ? { current: this.release(environment, live) } : {}), commits };
  }

  async current(environment: string, options: TargetCallOptions = {}): Promise<Release | undefined> {
    assertSafeNames(this.kind, environment);
    await this.ready();
    if (this.options.commands.current) {
      const sha = (await this.query('current', { environment }, options.signal)).last('sha');
      return sha ? this.release(environment, sha) : undefined;
    }
    const last = this.records.list().find((d) => d.environment === environment && d.status === 'succeeded');
    return last?.sha ? this.release(environment, last.sha) : undefined;
  }

  async start(request: DeployRequest, options: TargetCallOptions = {}): Promise<Deployment> {
    assertSafeNames(this.kind, request.environment, request.ref);
    await this.ready();
    const fingerprint = requestFingerprint('deploy', request.environment, request.ref);
    const { id } = await this.ledger.once(request.idempotencyKey, fingerprint, async () => {
      const { sha } = await this.plan(request.environment, request.ref, options);
      return this.launch('deploy', request, request.ref, sha, fingerprint);
    });
    return this.status(id);
  }

  async rollback(request: RollbackRequest, options: TargetCallOptions = {}): Promise<Deployment> {
    assertSafeNames(this.kind, request.environment);
    if (request.toSha !== undefined) assertSha(this.kind, request.toSha);
    await this.ready();
    const fingerprint = requestFingerprint('rollback', request.environment, request.toSha);
    const { id } = await this.ledger.once(request.idempotencyKey, fingerprint, async () => {
      throwIfAborted(options.signal);
      const history = this.records.list().filter((d) => d.environment === request.environment);
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
      return this.launch('rollback', request, target.sha, target.sha, fingerprint);
    });
    return this.status(id);
  }

  async status(id: string, options: TargetCallOptions = {}): Promise<Deployment> {
    throwIfAborted(options.signal);
    await this.ready();
    this.records.assertWritable();
    const deployment = this.records.get(id);
    if (!deployment) {
      throw new DeployTargetError({ target: this.kind, kind: 'not_found', message: `No deployment "${id}". Use an id that deploy_start or deploy_history returned.` });
    }
    return structuredClone(deployment);
  }

  async cancel(id: string, options: TargetCallOptions = {}): Promise<Deployment> {
    const deployment = await this.status(id, options);
    const handle = this.running.get(id);
    if (handle) {
      handle.stop('cancel');
      await this.finished.get(id);
      return this.status(id);
    }
    return deployment;
  }

  async history(environment: string, options: TargetCallOptions & { limit?: number } = {}): Promise<Deployment[]> {
    throwIfAborted(options.signal);
    await this.ready();
    this.records.assertWritable();
    return this.records
      .list()
      .filter((d) => d.environment === environment)
      .slice(0, options.limit ?? 20)
      .map((d) => structuredClone(d));
  }

  /** Stops every running deployment (they end `cancelled`) and waits for them; for shutdown and tests. */
  async close(): Promise<void> {
    for (const handle of this.running.values()) handle.stop('cancel');
    await Promise.all(this.finished.values());
  }

  private ready(): Promise<void> {
    this.loading ??= this.records.load().then(() => {
      for (const d of this.records.list()) {
        if (d.idempotencyKey) this.ledger.remember(d.idempotencyKey, this.records.fingerprint(d.id) ?? '', d.id);
      }
    });
    return this.loading;
  }

  private release(environment: string, sha: string): Release {
    const by = this.records.list().find((d) => d.environment === environment && d.sha === sha && d.status === 'succeeded');
    return by ? { sha, ...(by.kind === 'deploy' ? { ref: by.ref } : {}), deploymentId: by.id, ...(by.finishedAt ? { at: by.finishedAt } : {}) } : { sha };
  }

  private async launch(
    kind: Deployment['kind'],
    request: DeployRequest | RollbackRequest,
    ref: string,
    sha: string,
    fingerprint: string,
  ): Promise<string> {
    const id = `cmd-${randomUUID().slice(0, 8)}`;
    const deployment: Deployment = {
      id,
      environment: request.environment,
      kind,
      ref,
      sha,
      status: 'in_progress',
      idempotencyKey: request.idempotencyKey,
      ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
      ...(request.reason ? { requestReason: request.reason } : {}),
      startedAt: this.options.now(),
    };
    await this.records.put(deployment, fingerprint);
    const values = { environment: request.environment, ref, sha, deploymentId: id };
    const env = {
      ...this.childEnv(),
      CLAW_DEPLOY_ID: id,
      CLAW_DEPLOY_KIND: kind,
      CLAW_DEPLOY_ENVIRONMENT: request.environment,
      CLAW_DEPLOY_REF: ref,
      CLAW_DEPLOY_SHA: sha,
      CLAW_DEPLOY_IDEMPOTENCY_KEY: request.idempotencyKey,
      ...(request.requestedBy ? { CLAW_DEPLOY_REQUESTED_BY: request.requestedBy } : {}),
    };
    const handle = runCommand(this.argv(kind, values), {
      env,
      timeoutMs: this.options.timeoutMs,
      killGraceMs: this.options.killGraceMs,
      maxOutputBytes: this.options.maxOutputBytes,
      ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
    });
    this.running.set(id, handle);
    this.finished.set(
      id,
      handle.result.then(async (result) => {
        this.running.delete(id);
        const done = { ...deployment, ...deploymentOutcome(result, this.options.exitCodes, this.options.timeoutMs), finishedAt: this.options.now(), log: result.output.tail() };
        // A failed write is kept by the records and thrown by the next status or history call.
        await this.records.put(done, fingerprint).catch(() => undefined);
      }),
    );
    return id;
  }

  private async query(name: 'plan' | 'current', values: Record<string, string>, signal: AbortSignal | undefined): Promise<OutputCapture> {
    throwIfAborted(signal);
    const handle = runCommand(this.argv(name, values), {
      env: this.childEnv(),
      timeoutMs: this.options.queryTimeoutMs,
      killGraceMs: this.options.killGraceMs,
      maxOutputBytes: this.options.maxOutputBytes,
      ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
      ...(signal ? { signal } : {}),
    });
    const result = await handle.result;
    throwIfAborted(signal);
    if (result.type === 'exited' && result.exitCode === 0) return result.output;
    throw queryError(this.kind, name, result, this.options.exitCodes, this.options.queryTimeoutMs);
  }

  private argv(name: keyof CommandTargetCommands, values: Record<string, string>): string[] {
    return this.options.commands[name]!.map((arg) => arg.replace(PLACEHOLDER, (whole, key: string) => values[key] ?? whole));
  }

  private childEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of this.options.env.allow ?? DEFAULT_ALLOW) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    return { ...env, ...this.options.env.set };
  }

  private protocolError(name: string, problem: string): DeployTargetError {
    return new DeployTargetError({ target: this.kind, kind: 'command_failed', message: `The deploy CLI's ${name} command ${problem}; see the CommandTarget output protocol.` });
  }
}
