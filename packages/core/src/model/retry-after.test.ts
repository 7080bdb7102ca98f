import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after';

const headers = (values: Record<string, string>) => new Headers(values);
const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds, including fractions and zero', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '7' }), NOW)).toBe(7000);
    expect(parseRetryAfter(headers({ 'retry-after': '1.5' }), NOW)).toBe(1500);
    expect(parseRetryAfter(headers({ 'retry-after': '0' }), NOW)).toBe(0);
  });

  it('reads an HTTP date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter(headers({ 'retry-after': 'Sun, 01 Mar 2026 12:00:30 GMT' }), NOW)).toBe(30_000);
    expect(parseRetryAfter(headers({ 'retry-after': 'Sun, 01 Mar 2026 11:00:00 GMT' }), NOW)).toBe(0);
  });

  it('prefers retry-after-ms over retry-after', () => {
    expect(parseRetryAfter(headers({ 'retry-after-ms': '420', 'retry-after': '9' }), NOW)).toBe(420);
  });

  it('returns undefined for absent or unparseable headers', () => {
    expect(parseRetryAfter(headers({}), NOW)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': '-3' }), NOW)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after-ms': 'x', 'retry-after': '2' }), NOW)).toBe(2000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
