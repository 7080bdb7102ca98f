import { AbortedError, ModelError } from '../errors';

/** How the agent retries failed model calls. Every attempt is metered, failed ones included. */
export interface RetryPolicy {
  /** Total attempts including the first. Default 3. */
  maxAttempts: number;
  /** Delay before the second attempt; doubles each time. Default 500 ms. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** No retry is started once this much time has passed since the first attempt. Default 60 s. */
  maxElapsedMs: number;
  /** Randomise each delay between 50% and 100% of its value, so many clients do not retry in step. */
  jitter: boolean;
}

/** The policy used when an agent is given none: 3 attempts, 500 ms doubling up to 20 s, at most 60 s, with jitter. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  initialDelayMs: 500,
  maxDelayMs: 20_000,
  maxElapsedMs: 60_000,
  jitter: true,
};

/**
 * Milliseconds to wait before the next attempt, or undefined when the error must not be retried (not retryable,
 * attempts or time used up). A provider's Retry-After is honoured when it is longer than the backoff.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, error: unknown, elapsedMs: number): number | undefined {
  if (!(error instanceof ModelError) || !error.retryable || attempt >= policy.maxAttempts) return undefined;
  const backoff = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  const jittered = policy.jitter ? backoff * (0.5 + Math.random() * 0.5) : backoff;
  const delay = Math.max(jittered, error.retryAfterMs ?? 0);
  return elapsedMs + delay > policy.maxElapsedMs ? undefined : Math.round(delay);
}

/** Resolves after `ms`, or rejects with `AbortedError` as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
