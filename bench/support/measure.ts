/**
 * Timing and statistics shared by the benchmark scripts: a monotonic clock, order statistics, and forced GC
 * (benchmarks run in a child process started with `--expose-gc`).
 */

/**
 * `pnpm bench -- --quick` (BENCH_QUICK=1): scripts shrink their rounds to check they work end to end in seconds.
 * Quick figures are not comparable with full ones.
 */
export const QUICK = process.env.BENCH_QUICK === '1';

/** `full` normally, `quick` under --quick. */
export function scaled(full: number, quick: number): number {
  return QUICK ? quick : full;
}

/** Milliseconds from a monotonic clock with sub-microsecond resolution. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs `work` once and returns the milliseconds it took. */
export async function timeAsync(work: () => Promise<unknown>): Promise<number> {
  const start = now();
  await work();
  return now() - start;
}

/** Runs `work` once and returns the milliseconds it took. */
export function timeSync(work: () => unknown): number {
  const start = now();
  work();
  return now() - start;
}

/** Median, minimum and maximum of a sample. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  samples: number;
}

/** Median, min and max of `values` (which must not be empty). */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread() needs at least one value.');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, samples: sorted.length };
}

/** Median of `values`. */
export function median(values: readonly number[]): number {
  return spread(values).median;
}

/**
 * Collects garbage until the heap stops shrinking, so a heap reading reflects retained objects only.
 * @throws Error when the process was not started with `--expose-gc` (bench/run.ts always passes it).
 */
export function settleHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('Run this benchmark through bench/run.ts (it starts node with --expose-gc).');
  let previous = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 6; i++) {
    gc();
    const used = process.memoryUsage().heapUsed;
    if (used >= previous * 0.999) return used;
    previous = used;
  }
  return process.memoryUsage().heapUsed;
}

/** Rounds to `digits` significant digits (figures in the table never need more). */
export function significant(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

const started = now();

/** A progress line on stderr (the table goes to stdout), with seconds since the script started. */
export function progress(script: string, message: string): void {
  process.stderr.write(`  ${script} +${((now() - started) / 1000).toFixed(1)} s: ${message}\n`);
}
