/** Time as a scheduler sees it: the current instant and a way to wait. Tests pass a fake one (`FakeClock`). */
export interface JobClock {
  /** Current time in ms since epoch. */
  now(): number;
  /** Resolves after `ms` (or at once when `signal` fires). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Told about work a woken timer started (a fake clock waits for it before moving on); real clocks omit it. */
  track?(work: Promise<unknown>): void;
}

const MAX_TIMER_MS = 2_147_483_647;

/** The real clock. `unref` lets the process exit while a schedule waits. */
export function systemJobClock(options: { unref?: boolean } = {}): JobClock {
  return {
    now: Date.now,
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, Math.min(ms, MAX_TIMER_MS)));
        if (options.unref) timer.unref?.();
        signal.addEventListener('abort', done, { once: true });
      });
    },
  };
}
