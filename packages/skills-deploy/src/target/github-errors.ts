import { AbortedError } from '@claw/core';
import { DeployTargetError, type DeployTargetErrorKind } from '../errors';

/** The parts of Octokit's `RequestError` we read (it is not imported: it lives in a transitive package). */
interface OctokitRequestErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

/** What the failing call was doing, for a message that says what to fix. */
export interface GitHubCallContext {
  /** e.g. `dispatch workflow deploy-staging.yml`. */
  action: string;
  /** The call named a ref: a 422 about a ref or commit means it does not exist. */
  ref?: string;
  /** What a 404 means for this call (default: the repository or workflow). */
  notFound?: 'ref' | 'run';
  signal?: AbortSignal;
}

function retryAfterMs(headers: Record<string, string | undefined> | undefined, now: number): number | undefined {
  const retryAfter = headers?.['retry-after'];
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const reset = headers?.['x-ratelimit-reset'];
  if (headers?.['x-ratelimit-remaining'] === '0' && reset !== undefined && /^\d+$/.test(reset)) {
    return Math.max(0, Number(reset) * 1000 - now);
  }
  return undefined;
}

function githubMessage(error: OctokitRequestErrorLike): string {
  const data = error.response?.data;
  if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string') {
    return (data as { message: string }).message;
  }
  return error.message ?? 'unknown error';
}

/**
 * Turns whatever Octokit threw into a `DeployTargetError` whose kind and message say what to do, or an
 * `AbortedError` when the caller's signal fired.
 */
export function toDeployTargetError(error: unknown, context: GitHubCallContext): Error {
  if (context.signal?.aborted) return new AbortedError();
  if (error instanceof DeployTargetError || error instanceof AbortedError) return error;
  const e = (error ?? {}) as OctokitRequestErrorLike;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const said = githubMessage(e);
  const headers = e.response?.headers;
  const make = (kind: DeployTargetErrorKind, advice: string, retryAfter?: number) =>
    new DeployTargetError({
      target: 'github-actions',
      kind,
      message: `GitHub refused to ${context.action}${status ? ` (HTTP ${status}: ${said})` : `: ${said}`}. ${advice}`,
      ...(status !== undefined ? { status } : {}),
      ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
      cause: error,
    });
  const rateLimited = status === 429 || (status === 403 && (headers?.['x-ratelimit-remaining'] === '0' || /rate limit/i.test(said)));
  if (rateLimited) {
    const wait = retryAfterMs(headers, Date.now());
    return make('rate_limited', `Wait ${wait !== undefined ? `${Math.ceil(wait / 1000)} s` : 'a minute'} and try again.`, wait);
  }
  if (status === 401) return make('auth', 'Check the token given to GitHubActionsTarget: it is missing, expired or revoked.');
  if (status === 403) return make('forbidden', 'The token lacks a permission: it needs "actions: write" and "contents: read" on the repository.');
  const refMissing = (status === 422 && /ref|sha|commit/i.test(said)) || (status === 404 && context.notFound === 'ref');
  if (context.ref !== undefined && refMissing) {
    return make('unknown_ref', `Check that "${context.ref}" is a branch, tag or commit of the repository.`);
  }
  if (status === 404 && context.notFound === 'run') return make('not_found', 'Use a deployment id that deploy_start or deploy_history returned.');
  if (status === 404) return make('not_found', 'Check the owner, repository and workflow file name, and that the token can see the repository.');
  if (status === 409) return make('conflict', 'The run is not in a state that allows this (already finished or still running).');
  if (status === 422) return make('invalid_request', 'Check the workflow declares the inputs being sent and has a workflow_dispatch trigger.');
  // Octokit reports a connection failure as status 500 with the socket error as its message.
  const unreachable = status === undefined || (status === 500 && /fetch failed|ECONNREFUSED|ENOTFOUND|ECONNRESET|socket/i.test(said));
  if (unreachable) return make('unavailable', 'GitHub could not be reached; check the network and the baseUrl.');
  if (status >= 500) return make('unavailable', 'GitHub had a problem; try again shortly.');
  return make('invalid_request', 'Check the request against the GitHub REST API documentation.');
}
