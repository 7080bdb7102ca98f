import type { Reporter, TestModule } from 'vitest/node';

/** The counts of the closing line. */
export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Counts a finished run for the closing line. A failed test counts once; so does every error outside a test (a
 * file that fails to load, a failing `beforeAll`/`afterAll` hook of the file or of a suite, an unhandled error),
 * and a file that ended failed without any of those still counts as one failure. Tests a failed hook kept from
 * running are skipped, so a broken suite can never look green by executing nothing.
 */
export function countRun(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): RunCounts {
  const counts: RunCounts = { passed: 0, failed: unhandledErrors.length, skipped: 0 };
  for (const testModule of testModules) {
    let failures = testModule.errors().length;
    for (const suite of testModule.children.allSuites()) failures += suite.errors().length;
    for (const test of testModule.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') counts.passed += 1;
      else if (state === 'failed') failures += 1;
      else counts.skipped += 1;
    }
    if (failures === 0 && testModule.state() === 'failed') failures = 1;
    counts.failed += failures;
  }
  return counts;
}

/** Prints the plain closing line `N passed, N failed, N skipped` that CI reads (see {@link countRun}). */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const { passed, failed, skipped } = countRun(testModules, unhandledErrors);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
