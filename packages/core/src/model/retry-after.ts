/** Anything with a case-insensitive `get`, such as the fetch `Headers` the SDK attaches to its errors. */
export interface HeaderReader {
  /** The value of the named header, or null/undefined when it is absent. */
  get(name: string): string | null | undefined;
}

/**
 * Reads how long the server asked us to wait before trying again, in milliseconds.
 *
 * `retry-after-ms` wins because it is the more precise of the two; `retry-after` may be delta-seconds or an
 * HTTP date (RFC 9110 §10.2.3). A date in the past means "now" (0). Returns `undefined` when neither header is
 * present or parseable, so the agent falls back to its own backoff. Never throws.
 */
export function parseRetryAfter(headers: HeaderReader | null | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds != null && milliseconds.trim() !== '') {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const retryAfter = headers.get('retry-after')?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
  // Date.parse reads bare numbers such as "-3" as years; an HTTP date always names its weekday and month.
  if (!/[a-z]/i.test(retryAfter)) return undefined;
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
