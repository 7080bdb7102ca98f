/**
 * How long a Slack call may keep trying. Slack's own client retries a 429 up to ten times over about thirty
 * minutes by default; an agent run must not stall that long, so the client owns retries with these bounds.
 * The worst case for one call is about `maxRetries × maxRetryAfterMs`.
 */
export interface SlackRetryPolicy {
  /** Retries after the first attempt. Default 3. */
  maxRetries: number;
  /**
   * Longest Retry-After the client will wait out. A 429 asking for longer fails at once with
   * `SlackApiError` (`slackCode: 'ratelimited'`, `retryAfterMs` set), so the caller can reschedule. Default 30 s.
   */
  maxRetryAfterMs: number;
  /**
   * First delay before retrying a 5xx or a connection failure, doubled for each further retry. Only read
   * methods retry these: a failed post may have been delivered, and posting it again would duplicate it. Default 500 ms.
   */
  serverErrorDelayMs: number;
}

/** The default bounds: 3 retries, Retry-After up to 30 s, 0.5 s → 1 s → 2 s between server-error retries. */
export const defaultSlackRetryPolicy: Readonly<SlackRetryPolicy> = Object.freeze({
  maxRetries: 3,
  maxRetryAfterMs: 30_000,
  serverErrorDelayMs: 500,
});

// Methods that change nothing (or, like conversations.open, return the same result when repeated).
const IDEMPOTENT_METHOD = /\.(list|history|replies|info|get|test|lookupByEmail|open|members)$/;

/** True when a call to `method` may be repeated after a server error without risking a duplicate side effect. */
export function isIdempotentSlackMethod(method: string): boolean {
  return IDEMPOTENT_METHOD.test(method);
}

/** What to do after a failed attempt. */
export type SlackRetryDecision =
  | {
      /** Try again. */
      retry: true;
      /** Wait this long first. */
      delayMs: number;
    }
  | {
      /** Give up: the failure is final. */
      retry: false;
    };

/**
 * Decides whether attempt `attempt` (1-based) of `method` is retried after failing with this classification.
 * `retryAfterMs` is Slack's Retry-After for a 429.
 */
export function decideSlackRetry(
  policy: SlackRetryPolicy,
  method: string,
  attempt: number,
  failure: { kind: 'rate_limited'; retryAfterMs: number } | { kind: 'server' | 'request' } | { kind: 'final' },
): SlackRetryDecision {
  if (attempt > policy.maxRetries || failure.kind === 'final') return { retry: false };
  if (failure.kind === 'rate_limited') {
    // A 429 means Slack did not process the call, so any method may repeat it.
    return failure.retryAfterMs <= policy.maxRetryAfterMs ? { retry: true, delayMs: failure.retryAfterMs } : { retry: false };
  }
  if (!isIdempotentSlackMethod(method)) return { retry: false };
  return { retry: true, delayMs: policy.serverErrorDelayMs * 2 ** (attempt - 1) };
}
