import { CliUsageError } from '../cli-error';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * A point in time from a flag: a span back from now (`30d`, `12h`, `2w`, `90m`) or a date (`2026-11-01`,
 * ISO 8601 with a time).
 * @throws CliUsageError for anything else.
 */
export function parseSince(flag: string, value: string, now: number): number {
  const span = /^(\d+)([mhdw])$/.exec(value.trim());
  if (span) return now - Number(span[1]) * UNIT_MS[span[2]!]!;
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    const at = Date.parse(value.trim().length === 10 ? `${value.trim()}T00:00:00Z` : value.trim());
    if (Number.isFinite(at)) return at;
  }
  throw new CliUsageError(`${flag} "${value}" is not a span (30d, 12h, 2w, 90m) or a date (2026-11-01).`);
}

/**
 * A duration from a flag (`1h`, `30m`, `2d`, `1w`) in milliseconds.
 * @throws CliUsageError for anything else.
 */
export function parseDuration(flag: string, value: string): number {
  const span = /^(\d+)([mhdw])$/.exec(value.trim());
  if (!span || Number(span[1]) === 0) throw new CliUsageError(`${flag} "${value}" is not a duration such as 30m, 1h, 2d or 1w.`);
  return Number(span[1]) * UNIT_MS[span[2]!]!;
}

/** Values of a repeatable, comma-separated flag (`--grants a,b --grants c`), trimmed, without empties. */
export function listFlag(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** Appends a flag value to the list commander collects for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A duration in the largest whole unit of {@link parseDuration} (`90m`, `2h`, `1d`). */
export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h'] as const) if (ms % UNIT_MS[unit]! === 0) return `${ms / UNIT_MS[unit]!}${unit}`;
  return `${Math.round(ms / 60_000)}m`;
}
