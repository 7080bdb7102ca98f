import { describe, expect, it } from 'vitest';
import { decideSlackRetry, defaultSlackRetryPolicy, isIdempotentSlackMethod } from './retry-policy';

const policy = { maxRetries: 2, maxRetryAfterMs: 10_000, serverErrorDelayMs: 100 };

describe('decideSlackRetry', () => {
  it('waits out a Retry-After within the bound, for any method', () => {
    expect(decideSlackRetry(policy, 'chat.postMessage', 1, { kind: 'rate_limited', retryAfterMs: 3000 })).toEqual({ retry: true, delayMs: 3000 });
  });

  it('refuses a Retry-After longer than the bound, and any retry past maxRetries', () => {
    expect(decideSlackRetry(policy, 'conversations.history', 1, { kind: 'rate_limited', retryAfterMs: 10_001 })).toEqual({ retry: false });
    expect(decideSlackRetry(policy, 'conversations.history', 3, { kind: 'rate_limited', retryAfterMs: 0 })).toEqual({ retry: false });
  });

  it('backs off exponentially on server errors of reads, and never repeats writes', () => {
    expect(decideSlackRetry(policy, 'conversations.history', 1, { kind: 'server' })).toEqual({ retry: true, delayMs: 100 });
    expect(decideSlackRetry(policy, 'conversations.history', 2, { kind: 'request' })).toEqual({ retry: true, delayMs: 200 });
    expect(decideSlackRetry(policy, 'chat.postMessage', 1, { kind: 'server' })).toEqual({ retry: false });
    expect(decideSlackRetry(policy, 'reactions.add', 1, { kind: 'request' })).toEqual({ retry: false });
  });

  it('never retries a final failure', () => {
    expect(decideSlackRetry(policy, 'auth.test', 1, { kind: 'final' })).toEqual({ retry: false });
  });

  it('classifies methods and keeps a bounded default', () => {
    expect(['conversations.replies', 'users.lookupByEmail', 'reactions.get', 'conversations.open'].every(isIdempotentSlackMethod)).toBe(true);
    expect(['chat.postMessage', 'chat.update', 'reactions.add'].some(isIdempotentSlackMethod)).toBe(false);
    expect(defaultSlackRetryPolicy.maxRetries * defaultSlackRetryPolicy.maxRetryAfterMs).toBeLessThanOrEqual(120_000);
  });
});
