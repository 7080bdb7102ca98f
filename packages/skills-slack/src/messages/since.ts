import { InvalidArgumentError } from '@claw/core';

const RELATIVE = /^(\d+(?:\.\d+)?)\s*(m|min|h|d|w)$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Describes what {@link parseSince} accepts, for tool input descriptions. */
export const SINCE_FORMATS = 'a duration back from now ("90m", "24h", "7d", "2w"), an ISO time ("2025-05-01T09:00:00Z") or a Slack ts';

/** True for strings {@link parseSince} accepts. */
export function isSince(value: string): boolean {
  return RELATIVE.test(value.trim()) || /^\d{9,}(\.\d{1,6})?$/.test(value.trim()) || !Number.isNaN(Date.parse(value));
}

/**
 * Turns "since" into epoch milliseconds: a duration back from `now` (`24h`), an ISO time, or a Slack ts.
 * @throws InvalidArgumentError for anything else.
 */
export function parseSince(value: string, now: number = Date.now()): number {
  const trimmed = value.trim();
  const relative = RELATIVE.exec(trimmed);
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2]!.toLowerCase()]!;
  if (/^\d{9,}(\.\d{1,6})?$/.test(trimmed)) return Math.floor(Number(trimmed) * 1000);
  const parsed = Date.parse(trimmed);
  if (!Number.isNaN(parsed)) return parsed;
  throw new InvalidArgumentError(`"${value}" is not a time: use ${SINCE_FORMATS}.`);
}

/** Epoch milliseconds as a Slack ts (for `oldest` / `latest`). */
export function msToTs(ms: number): string {
  return (ms / 1000).toFixed(6);
}
