import { z } from 'zod';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

function validTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A period in which deploys are blocked: a one-off window (`from`/`until`, ISO 8601) such as a release freeze,
 * or a weekly one (`days`, `from`/`until` as HH:MM in `timeZone`) such as "no deploys Friday after 16:00".
 * A weekly window whose `until` is earlier than `from` runs past midnight into the next day.
 */
export const freezeWindowSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('once'),
    from: z.iso.datetime({ offset: true }),
    until: z.iso.datetime({ offset: true }),
    reason: z.string().min(1),
  }).refine((w) => Date.parse(w.until) > Date.parse(w.from), { message: '"until" must be after "from"' }),
  z.object({
    type: z.literal('weekly'),
    days: z.array(z.enum(DAYS)).min(1),
    from: z.string().regex(CLOCK, 'use HH:MM (24-hour)'),
    until: z.string().regex(CLOCK, 'use HH:MM (24-hour)'),
    timeZone: z.string().default('UTC').refine(validTimeZone, { message: 'unknown IANA time zone' }),
    reason: z.string().min(1),
  }).refine((w) => w.from !== w.until, { message: '"from" and "until" must differ' }),
]);

/** A freeze window as configured; see {@link freezeWindowSchema}. */
export type FreezeWindow = z.output<typeof freezeWindowSchema>;

/** A freeze in force: why, and when it ends (ms since the epoch). */
export interface ActiveFreeze {
  reason: string;
  until: number;
}

const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** Weekday (0 = Sunday) and minutes since midnight of an instant in a time zone. */
function localTime(at: number, timeZone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: DAYS.indexOf(get('weekday').toLowerCase() as (typeof DAYS)[number]), minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

function weeklyFreeze(window: Extract<FreezeWindow, { type: 'weekly' }>, at: number): ActiveFreeze | undefined {
  const { day, minute } = localTime(at, window.timeZone);
  const from = minutes(window.from);
  const until = minutes(window.until);
  const on = (d: number) => window.days.includes(DAYS[(d + 7) % 7]!);
  let remaining: number | undefined;
  if (from < until) {
    if (on(day) && minute >= from && minute < until) remaining = until - minute;
  } else if (on(day) && minute >= from) {
    remaining = 24 * 60 - minute + until;
  } else if (on(day - 1) && minute < until) {
    remaining = until - minute;
  }
  // Whole minutes from a wall clock: a DST change inside the window can shift the end by an hour.
  return remaining === undefined ? undefined : { reason: window.reason, until: at - (at % 60_000) + remaining * 60_000 };
}

/** The freeze in force at `at`, or undefined; when several overlap, the one ending last. */
export function activeFreeze(windows: readonly FreezeWindow[], at: number): ActiveFreeze | undefined {
  let found: ActiveFreeze | undefined;
  for (const window of windows) {
    const freeze =
      window.type === 'once'
        ? Date.parse(window.from) <= at && at < Date.parse(window.until)
          ? { reason: window.reason, until: Date.parse(window.until) }
          : undefined
        : weeklyFreeze(window, at);
    if (freeze && (!found || freeze.until > found.until)) found = freeze;
  }
  return found;
}
