import { HttpProblem } from './http-problem';

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A range of whole UTC days: `from` is the first day's midnight, `to` the midnight after the last day. */
export interface DayRange {
  from: number;
  to: number;
  /** `YYYY-MM-DD` of the first and the last day, as typed into the range form. */
  firstDay: string;
  lastDay: string;
  days: number;
}

/** `YYYY-MM-DD` of an instant (UTC). */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function parseDay(value: string, name: string): number {
  const match = DATE.exec(value);
  const at = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(at) || dayOf(at) !== value) {
    throw new HttpProblem(400, 'Malformed date', `"${name}" must be a calendar date written YYYY-MM-DD, e.g. 2026-11-30.`);
  }
  return at;
}

/**
 * The day range of a page from its `from` and `to` query values (both inclusive days), defaulting to the
 * `defaultDays` days ending today.
 * @throws HttpProblem (400) for a malformed date, a range that ends before it starts, or one longer than `maxDays`.
 */
export function parseDayRange(query: { from?: string | undefined; to?: string | undefined }, now: number, defaultDays = 30, maxDays = 366): DayRange {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const last = query.to ? parseDay(query.to, 'to') : today;
  const first = query.from ? parseDay(query.from, 'from') : last - (defaultDays - 1) * DAY_MS;
  if (first > last) throw new HttpProblem(400, 'Empty date range', '"from" must be on or before "to".');
  const days = (last - first) / DAY_MS + 1;
  if (days > maxDays) throw new HttpProblem(400, 'Date range too long', `Choose at most ${maxDays} days.`);
  return { from: first, to: last + DAY_MS, firstDay: dayOf(first), lastDay: dayOf(last), days };
}

/** Every `YYYY-MM-DD` of the range, in order. */
export function daysOf(range: DayRange): string[] {
  return Array.from({ length: range.days }, (_, i) => dayOf(range.from + i * DAY_MS));
}
