import { Cron } from 'croner';
import { InvalidArgumentError } from '../errors';
import type { Principal } from '../policy/principal';
import { dream, type DreamOptions } from './dream';
import type { DreamDiff } from './dream-diff';

/** How one scheduled dream runs for a principal: shared dream options, or your own function. */
export type ScheduledDream =
  | Omit<DreamOptions, 'principal' | 'signal' | 'now'>
  | ((principal: Principal, signal: AbortSignal) => Promise<DreamDiff>);

/** Options for {@link scheduleDreams}. */
export interface ScheduleDreamsOptions {
  /** Cron pattern (5 fields, or 6 with seconds first), e.g. `0 3 * * *` for 03:00 every night. */
  cron: string;
  /** Whose memories to consolidate; a function is asked again at every tick. */
  principals: readonly Principal[] | (() => readonly Principal[] | Promise<readonly Principal[]>);
  /** How each principal dreams: `dream()` options without `principal`, `signal` and `now`, or your own function. */
  run: ScheduledDream;
  /** Called with each dream's diff (whatever its outcome). */
  onResult?: (diff: DreamDiff, principal: Principal) => void;
  /** Called when a dream throws, or the principals cannot be listed; the other principals still dream. */
  onError?: (error: unknown, principal: Principal | undefined) => void;
  /** Called when a tick arrives while the previous round is still running (it is skipped). */
  onSkip?: () => void;
  /** IANA time zone of the pattern; default the process's. */
  timezone?: string;
  /** Let the process exit while the schedule waits. Default false. */
  unref?: boolean;
}

/** A running dream schedule. */
export interface DreamSchedule {
  /** Stops the schedule, aborts the round in progress (through its signal) and resolves when it has ended. */
  stop(): Promise<void>;
  /** Runs a round now; if one is already running, waits for that one instead of starting another. */
  runNow(): Promise<void>;
  /** When the next tick is due, or null once stopped. */
  nextRun(): Date | null;
  /** True while a round is running. */
  readonly running: boolean;
}

function callSafely(listener: (() => void) | undefined): void {
  try {
    listener?.();
  } catch {
    // A listener's failure must not stop the schedule it observes.
  }
}

/**
 * Runs dreams on a cron schedule (croner), one principal after another. Rounds never overlap: a tick that arrives
 * while the previous round runs is skipped (croner's `protect`, plus a guard that also covers `runNow`).
 * @throws InvalidArgumentError for an invalid cron pattern or options.
 */
export function scheduleDreams(options: ScheduleDreamsOptions): DreamSchedule {
  if (typeof options?.run !== 'function' && (typeof options?.run !== 'object' || options.run === null)) {
    throw new InvalidArgumentError('scheduleDreams needs "run": dream options or a function (principal, signal) => diff.');
  }
  const controller = new AbortController();
  let inFlight: Promise<void> | undefined;
  let stopped = false;

  const dreamFor = (principal: Principal): Promise<DreamDiff> =>
    typeof options.run === 'function'
      ? options.run(principal, controller.signal)
      : dream({ ...options.run, principal, signal: controller.signal });

  const round = async (): Promise<void> => {
    let principals: readonly Principal[];
    try {
      principals = typeof options.principals === 'function' ? await options.principals() : options.principals;
    } catch (error) {
      callSafely(() => options.onError?.(error, undefined));
      return;
    }
    for (const principal of principals) {
      if (stopped) return;
      try {
        const diff = await dreamFor(principal);
        callSafely(() => options.onResult?.(diff, principal));
      } catch (error) {
        callSafely(() => options.onError?.(error, principal));
      }
    }
  };

  const tick = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (inFlight) return inFlight;
    inFlight = round().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  let job: Cron;
  try {
    job = new Cron(options.cron, {
      protect: () => callSafely(options.onSkip),
      catch: true,
      unref: options.unref ?? false,
      ...(options.timezone ? { timezone: options.timezone } : {}),
    }, () => {
      // A round started by runNow() is not known to croner's own protection.
      if (inFlight) callSafely(options.onSkip);
      return tick();
    });
  } catch (error) {
    throw new InvalidArgumentError(`scheduleDreams could not use the cron pattern ${JSON.stringify(options.cron)}: ${(error as Error).message}`);
  }

  return {
    async stop() {
      stopped = true;
      job.stop();
      controller.abort();
      await inFlight;
    },
    runNow: () => tick(),
    nextRun: () => (stopped ? null : job.nextRun()),
    get running() {
      return inFlight !== undefined;
    },
  };
}
