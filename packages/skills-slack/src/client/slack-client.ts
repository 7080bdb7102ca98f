import { AsyncLocalStorage } from 'node:async_hooks';
import { AbortedError, InvalidArgumentError } from '@claw/core';
import { LogLevel, WebClient, type FetchFunction, type Logger } from '@slack/web-api';
import { SlackApiError } from '../errors/slack-api-error';
import { sleep } from '@claw/core';
import { raceAbort } from '../internal/race-abort';
import { decideSlackRetry, defaultSlackRetryPolicy, type SlackRetryPolicy } from './retry-policy';

/** Options for {@link createSlackClient}. */
export interface SlackClientOptions {
  /** Bot token (`xoxb-…`). */
  token: string;
  /** Base URL of the Web API, ending in `/api/`. Default `https://slack.com/api/`; point it at a stand-in in tests. */
  slackApiUrl?: string;
  /** Bounds on retries; see {@link SlackRetryPolicy}. */
  retry?: Partial<SlackRetryPolicy>;
  /** Abort one HTTP request after this long. Default 30 s. */
  requestTimeoutMs?: number;
  /** Passed to the WebClient. The default level is `error`: failures surface as thrown `SlackApiError`s instead. */
  logger?: Logger;
  /** The WebClient's log level. Default `error`. */
  logLevel?: LogLevel;
}

/** Per-call options. */
export interface SlackCallOptions {
  /** Aborts the call, including its HTTP request and any wait before a retry. */
  signal?: AbortSignal;
}

/** A page of a cursor-paginated method, as Slack returns it. */
export type SlackPage = Record<string, unknown> & {
  /** Slack's paging metadata. */
  response_metadata?: {
    /** The cursor of the next page; empty or absent on the last page. */
    next_cursor?: string;
  };
};

/**
 * The Slack Web API as Claw uses it: the official `WebClient` underneath, with bounded retries, AbortSignal
 * support and `ok: false` replies turned into {@link SlackApiError}s. Build one with {@link createSlackClient}.
 */
export interface SlackClient {
  /** Marks a client built by {@link createSlackClient}; the skill's configuration checks it. */
  readonly kind: 'claw.slack-client';
  /** The underlying official client (configured to leave retries to this wrapper). */
  readonly web: WebClient;
  /** The retry policy in effect: the defaults merged with `options.retry`. */
  readonly retry: Readonly<SlackRetryPolicy>;
  /**
   * Calls a Web API method (`chat.postMessage`, `conversations.history`, ...).
   * @throws SlackApiError when Slack answers `ok: false`, rate-limits beyond the policy, or fails past its retries.
   * @throws AbortedError when the signal fires (the HTTP request is aborted too).
   */
  call<T extends Record<string, unknown> = Record<string, unknown>>(
    method: string,
    args?: Record<string, unknown>,
    options?: SlackCallOptions,
  ): Promise<T>;
  /**
   * Yields the pages of a cursor-paginated method until Slack reports no next cursor, or `maxPages` pages.
   * @throws as {@link SlackClient.call}.
   */
  pages<T extends SlackPage = SlackPage>(
    method: string,
    args: Record<string, unknown>,
    options?: SlackCallOptions & { maxPages?: number },
  ): AsyncGenerator<T>;
}

// The WebClient has no per-call signal. Every call runs in this context and the client's fetch picks the signal up.
// That is sound because the request queue is unbounded and never paused (rate limits are rejected, not queued), so
// fetch is reached synchronously inside the apiCall that set the context.
const callSignal = new AsyncLocalStorage<AbortSignal>();

const signalledFetch: FetchFunction = (url, init) => {
  const signal = callSignal.getStore();
  if (!signal) return fetch(url, init);
  return fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
};

/** Reads what the official client threw; it is matched by `code` so a second copy of the package still works. */
function classify(error: unknown):
  | { kind: 'platform'; slackCode: string; needed?: string }
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'http'; status: number }
  | { kind: 'request' } {
  const e = error as { code?: string; data?: { error?: unknown; needed?: unknown }; retryAfter?: number; statusCode?: number };
  switch (e?.code) {
    case 'slack_webapi_platform_error':
      return {
        kind: 'platform',
        slackCode: String(e.data?.error ?? 'unknown_error'),
        ...(typeof e.data?.needed === 'string' ? { needed: e.data.needed } : {}),
      };
    case 'slack_webapi_rate_limited_error':
      return { kind: 'rate_limited', retryAfterMs: Math.max(0, Number(e.retryAfter ?? 0)) * 1000 };
    case 'slack_webapi_http_error':
      return { kind: 'http', status: Number(e.statusCode ?? 0) };
    default:
      return { kind: 'request' };
  }
}

function toError(method: string, error: unknown, failure: ReturnType<typeof classify>): SlackApiError {
  switch (failure.kind) {
    case 'platform':
      return new SlackApiError({
        method,
        kind: 'platform',
        slackCode: failure.slackCode,
        ...(failure.needed ? { neededScope: failure.needed } : {}),
        cause: error,
      });
    case 'rate_limited':
      return new SlackApiError({ method, kind: 'rate_limited', slackCode: 'ratelimited', status: 429, retryAfterMs: failure.retryAfterMs, cause: error });
    case 'http':
      return new SlackApiError({ method, kind: 'http', slackCode: `http_${failure.status}`, status: failure.status, cause: error });
    case 'request':
      return new SlackApiError({ method, kind: 'request', slackCode: 'request_failed', cause: error });
  }
}

function checkPolicy(policy: SlackRetryPolicy): void {
  for (const [key, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new InvalidArgumentError(`createSlackClient: retry.${key} is ${value}; use a number ≥ 0.`);
    }
  }
}

/**
 * Builds a {@link SlackClient} on the official `@slack/web-api` WebClient. The WebClient is told to reject
 * rate-limited calls and not to retry, so that retries follow the bounded {@link SlackRetryPolicy} and can be aborted.
 * @throws InvalidArgumentError when the token is empty or the retry policy has a negative or non-finite value.
 */
export function createSlackClient(options: SlackClientOptions): SlackClient {
  if (typeof options?.token !== 'string' || options.token.trim() === '') {
    throw new InvalidArgumentError('createSlackClient needs a bot token (xoxb-…), e.g. process.env.SLACK_BOT_TOKEN.');
  }
  const retry: SlackRetryPolicy = { ...defaultSlackRetryPolicy, ...options.retry };
  checkPolicy(retry);
  const web = new WebClient(options.token, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    maxRequestConcurrency: Number.POSITIVE_INFINITY,
    timeout: options.requestTimeoutMs ?? 30_000,
    fetch: signalledFetch,
    ...(options.logger ? { logger: options.logger } : { logLevel: options.logLevel ?? LogLevel.ERROR }),
  });

  async function call<T extends Record<string, unknown>>(
    method: string,
    args: Record<string, unknown> = {},
    callOptions: SlackCallOptions = {},
  ): Promise<T> {
    const signal = callOptions.signal ?? new AbortController().signal;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw new AbortedError();
      try {
        // The WebClient mutates nothing it is given, but copy anyway: paging reuses `args`.
        const pending = callSignal.run(signal, () => web.apiCall(method, { ...args }));
        return (await raceAbort(pending, signal)) as unknown as T;
      } catch (error) {
        if (error instanceof AbortedError || signal.aborted) throw new AbortedError();
        const failure = classify(error);
        const decision = decideSlackRetry(
          retry,
          method,
          attempt,
          failure.kind === 'rate_limited'
            ? failure
            : failure.kind === 'platform'
              ? { kind: 'final' }
              : failure.kind === 'http' && failure.status >= 500
                ? { kind: 'server' }
                : failure.kind === 'request'
                  ? { kind: 'request' }
                  : { kind: 'final' },
        );
        if (!decision.retry) throw toError(method, error, failure);
        await sleep(decision.delayMs, signal);
      }
    }
  }

  async function* pages<T extends SlackPage>(
    method: string,
    args: Record<string, unknown>,
    pageOptions: SlackCallOptions & { maxPages?: number } = {},
  ): AsyncGenerator<T> {
    let cursor: string | undefined;
    const maxPages = pageOptions.maxPages ?? Number.POSITIVE_INFINITY;
    for (let page = 0; page < maxPages; page++) {
      const result = await call<T>(method, cursor ? { ...args, cursor } : args, pageOptions);
      yield result;
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return;
    }
  }

  return Object.freeze({ kind: 'claw.slack-client' as const, web, retry: Object.freeze(retry), call, pages });
}

/** True for clients built by {@link createSlackClient}. */
export function isSlackClient(value: unknown): value is SlackClient {
  return (value as SlackClient | undefined)?.kind === 'claw.slack-client' && typeof (value as SlackClient).call === 'function';
}
