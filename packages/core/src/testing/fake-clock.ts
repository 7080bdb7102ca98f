import type { JobClock } from '../jobs/job-clock';

interface Sleeper {
  until: number;
  resolve: () => void;
}

/**
 * A clock that moves only when told to, for schedules in tests and offline examples: `advance` wakes every
 * timer that falls due, in order, at exactly its due time, and waits for the work it started (what schedulers
 * report through `track`) before moving on — unless `awaitWork: false`, to let work overlap later ticks.
 */
export class FakeClock implements JobClock {
  private current: number;
  private sleepers: Sleeper[] = [];
  private readonly work = new Set<Promise<unknown>>();
  private readonly awaitWork: boolean;

  /**
   * @param start the initial time: ms since epoch, a Date or an ISO string.
   * @param options.awaitWork wait for tracked work after each wake-up. Default true.
   */
  constructor(start: number | Date | string, options: { awaitWork?: boolean } = {}) {
    this.awaitWork = options.awaitWork ?? true;
    this.current = typeof start === 'number' ? start : new Date(start).getTime();
    if (!Number.isFinite(this.current)) throw new RangeError(`FakeClock needs a valid start time, got ${String(start)}.`);
  }

  /** The current fake time in ms since epoch. */
  now = (): number => this.current;

  /** Waits until the fake time has advanced by `ms` (or `signal` fires). */
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const sleeper: Sleeper = {
        until: this.current + Math.max(0, ms),
        resolve: () => {
          signal.removeEventListener('abort', wake);
          resolve();
        },
      };
      const wake = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        sleeper.resolve();
      };
      signal.addEventListener('abort', wake, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Registers work started by a woken timer; `advance` waits for it (when `awaitWork`). */
  track(work: Promise<unknown>): void {
    if (!this.awaitWork) return;
    const settled = work.then(() => undefined, () => undefined);
    this.work.add(settled);
    void settled.then(() => this.work.delete(settled));
  }

  /** Moves time forward by `ms`, waking due timers in order and letting what they start run before the next. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }

  /** Moves time forward to `at` (ms since epoch, Date or ISO string); see {@link FakeClock.advance}. */
  async advanceTo(at: number | Date | string): Promise<void> {
    const target = typeof at === 'number' ? at : new Date(at).getTime();
    await settle();
    for (;;) {
      const due = this.sleepers.filter((s) => s.until <= target).sort((a, b) => a.until - b.until)[0];
      if (!due) break;
      this.current = Math.max(this.current, due.until);
      this.sleepers = this.sleepers.filter((s) => s !== due);
      due.resolve();
      await settle();
      while (this.work.size > 0) {
        await Promise.all([...this.work]);
        await settle();
      }
    }
    this.current = Math.max(this.current, target);
    await settle();
  }
}

/** Lets promise chains started by a woken timer run to their next real wait. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
