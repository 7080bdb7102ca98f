import { InvalidArgumentError } from '@claw/core';
import { describe, expect, it } from 'vitest';
import { isSince, msToTs, parseSince } from './since';

const now = Date.parse('2025-05-10T12:00:00Z');

describe('parseSince', () => {
  it('reads durations back from now', () => {
    expect(parseSince('24h', now)).toBe(Date.parse('2025-05-09T12:00:00Z'));
    expect(parseSince('90m', now)).toBe(Date.parse('2025-05-10T10:30:00Z'));
    expect(parseSince('2w', now)).toBe(Date.parse('2025-04-26T12:00:00Z'));
  });

  it('reads ISO times and Slack timestamps', () => {
    expect(parseSince('2025-05-01T09:00:00Z', now)).toBe(Date.parse('2025-05-01T09:00:00Z'));
    expect(parseSince('1746867600.000200', now)).toBe(1746867600000);
  });

  it('refuses anything else with a message naming the formats', () => {
    expect(() => parseSince('since lunch', now)).toThrow(InvalidArgumentError);
    expect(() => parseSince('since lunch', now)).toThrow(/24h/);
    expect(isSince('yesterday-ish')).toBe(false);
    expect(isSince('7d')).toBe(true);
  });

  it('formats Slack timestamps with six decimals', () => {
    expect(msToTs(1746867600123)).toBe('1746867600.123000');
  });
});
