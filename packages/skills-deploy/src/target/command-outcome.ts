import { DeployTargetError, type DeployTargetErrorKind } from '../errors';
import type { Deployment } from './deploy-target';
import type { CommandResult } from './run-command';

/** What an exit code of the deploy CLI means. */
export interface ExitCodeMeaning {
  /** The deployment's final status when `deploy` or `rollback` exits with this code. */
  status: 'succeeded' | 'failed' | 'cancelled';
  /** Shown to the model and to people, e.g. "health check failed; the live release is unchanged". */
  reason?: string;
  /** The error kind when `plan` or `current` exits with this code (default `command_failed`). */
  error?: DeployTargetErrorKind;
}

/**
 * The final status of a deployment from how its command ended: exit codes through `exitCodes` (0 succeeds and
 * any unlisted code fails), a stop on request is `cancelled`, a stop at the time limit `timed_out`. The sha the
 * command printed (`claw.sha=`) is kept.
 */
export function deploymentOutcome(
  result: CommandResult,
  exitCodes: Readonly<Record<number, ExitCodeMeaning>> | undefined,
  timeoutMs: number,
): Pick<Deployment, 'status' | 'reason' | 'sha'> {
  const sha = result.output.last('sha');
  const withSha = <T extends object>(value: T) => (sha ? { ...value, sha } : value);
  switch (result.type) {
    case 'exited': {
      const meaning = exitCodes?.[result.exitCode] ?? (result.exitCode === 0 ? { status: 'succeeded' as const } : undefined);
      if (!meaning) return withSha({ status: 'failed' as const, reason: `the deploy command exited with code ${result.exitCode}` });
      return withSha({ status: meaning.status, ...(meaning.reason ? { reason: meaning.reason } : {}) });
    }
    case 'stopped':
      return result.reason === 'cancel'
        ? withSha({ status: 'cancelled' as const, reason: 'cancelled on request' })
        : withSha({ status: 'timed_out' as const, reason: `the deploy command did not finish within ${timeoutMs} ms and was stopped` });
    case 'killed':
      return withSha({ status: 'failed' as const, reason: `the deploy command was killed by ${result.signal}` });
    case 'spawn-failed':
      return { status: 'failed', reason: `the deploy command could not start: ${result.error.message}` };
  }
}

/**
 * The error for a `plan` or `current` command that did not exit 0: its kind from `exitCodes` (default
 * `command_failed`), its message with the last lines of output.
 */
export function queryError(
  target: string,
  name: string,
  result: CommandResult,
  exitCodes: Readonly<Record<number, ExitCodeMeaning>> | undefined,
  timeoutMs: number,
): DeployTargetError {
  const meaning = result.type === 'exited' ? exitCodes?.[result.exitCode] : undefined;
  const how =
    result.type === 'exited' ? `exited with code ${result.exitCode}${meaning?.reason ? ` (${meaning.reason})` : ''}`
    : result.type === 'stopped' ? `did not finish within ${timeoutMs} ms`
    : result.type === 'killed' ? `was killed by ${result.signal}`
    : `could not start: ${result.error.message}`;
  const tail = result.output.tail().trim().split('\n').slice(-5).join('\n');
  return new DeployTargetError({
    target,
    kind: meaning?.error ?? 'command_failed',
    message: `The deploy CLI's ${name} command ${how}${tail ? `: ${tail}` : ''}`,
  });
}
