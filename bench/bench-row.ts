/**
 * One line of the `pnpm bench` table. Every benchmark script is a file `bench/<name>.bench.ts` whose default export
 * is an async function returning its rows; `bench/run.ts` runs them all and prints one table with the ratio
 * `value / comparedValue` when a comparison is given.
 */
export interface BenchRow {
  /** What was measured, e.g. "agent loop, metering off: µs per tool step (median)". */
  figure: string;
  value: number;
  unit: string;
  /** What the figure is compared with in the same run, e.g. "Vercel AI SDK bare loop". */
  comparedWith?: string;
  comparedValue?: number;
  /** The target from the issue, in words, e.g. "<= 30 µs". */
  target?: string;
  /** Whether the target is met, when there is one. */
  meetsTarget?: boolean;
}

/** The shape of a benchmark script's default export. */
export type BenchScript = () => Promise<BenchRow[]>;
