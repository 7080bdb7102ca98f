import { spawn } from 'node:child_process';
import { OutputCapture } from './command-output';

/** How to run one command. */
export interface RunCommandOptions {
  cwd?: string;
  /** The complete environment of the child: nothing is inherited that is not in here. */
  env: Record<string, string>;
  /** Stop the command after this long (SIGTERM to its process group, then SIGKILL after `killGraceMs`). */
  timeoutMs: number;
  killGraceMs: number;
  maxOutputBytes: number;
  /** Stops the command like a cancel. */
  signal?: AbortSignal;
}

/** Why a command was stopped by us rather than ending on its own. */
export type StopReason = 'cancel' | 'timeout';

/** How a command ended. */
export type CommandResult =
  | { type: 'exited'; exitCode: number; output: OutputCapture }
  | { type: 'stopped'; reason: StopReason; output: OutputCapture }
  | { type: 'killed'; signal: string; output: OutputCapture }
  | { type: 'spawn-failed'; error: Error; output: OutputCapture };

/** A running command. */
export interface CommandHandle {
  readonly pid: number | undefined;
  readonly result: Promise<CommandResult>;
  /** Stops the command and everything it started; the result reports `stopped` with this reason. */
  stop(reason: StopReason): void;
}

/**
 * Runs `argv[0]` with `argv[1..]` as its arguments, never through a shell, so no argument is ever parsed as
 * shell syntax. The command runs in its own process group so that stopping it also stops what it started
 * (a health check sleeping, a `git archive` pipe). The result promise never rejects.
 */
export function runCommand(argv: readonly string[], options: RunCommandOptions): CommandHandle {
  const output = new OutputCapture(options.maxOutputBytes);
  let stopReason: StopReason | undefined;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: options.cwd,
    env: options.env,
    shell: false,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone: nothing left to stop.
    }
  };
  const stop = (reason: StopReason) => {
    if (stopReason || child.exitCode !== null || child.signalCode !== null) return;
    stopReason = reason;
    signalGroup('SIGTERM');
    killTimer = setTimeout(() => signalGroup('SIGKILL'), options.killGraceMs);
    killTimer.unref();
  };

  const timeout = setTimeout(() => stop('timeout'), options.timeoutMs);
  timeout.unref();
  const onAbort = () => stop('cancel');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk, 'stdout'));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk, 'stderr'));

  const result = new Promise<CommandResult>((resolve) => {
    let settled = false;
    const settle = (value: CommandResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      output.end();
      resolve(value);
    };
    child.once('error', (error) => settle({ type: 'spawn-failed', error, output }));
    // A process the command left behind may hold its stdout open after it exited: stop waiting for it then.
    child.once('exit', () => {
      setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
      }, options.killGraceMs).unref();
    });
    // 'close' waits for stdout and stderr to end, so no output is lost.
    child.once('close', (code, signal) => {
      // Children of the command may outlive it while holding nothing we read; make sure they go too.
      if (stopReason) signalGroup('SIGKILL');
      if (stopReason) settle({ type: 'stopped', reason: stopReason, output });
      else if (code !== null) settle({ type: 'exited', exitCode: code, output });
      else settle({ type: 'killed', signal: signal ?? 'unknown', output });
    });
  });
  return { pid: child.pid, result, stop };
}
