import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BudgetContentionResult } from '@claw/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openClawDatabase } from '../src';
import { tempDirectory } from './temp-database';

const child = fileURLToPath(new URL('./fixtures/contend-for-budget.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

/** Runs `processes` children on one file, started together, each with its clock further behind. */
async function contend(file: string, processes: number, overReport: number): Promise<BudgetContentionResult[]> {
  const startAt = Date.now() + 1500;
  return Promise.all(
    Array.from({ length: processes }, (_, i) =>
      new Promise<BudgetContentionResult>((resolve, reject) => {
        const proc = spawn(process.execPath, ['--conditions=claw-source', '--import', tsx, child, file, `p${i}`, String(startAt), String(i * 500), String(overReport)], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        proc.stdout.on('data', (chunk) => (stdout += chunk));
        proc.stderr.on('data', (chunk) => (stderr += chunk));
        proc.on('error', reject);
        proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split('\n').at(-1)!)) : reject(new Error(`child exited ${code}: ${stderr}`))));
      }),
    ),
  );
}

describe('a shared budget across processes (SQLite)', () => {
  const dirs: (() => void)[] = [];
  afterEach(() => dirs.splice(0).forEach((remove) => remove()));

  for (const processes of [3]) {
    it(`${processes} processes with skewed clocks never settle more than a 10,000-token budget`, async () => {
      const { dir, remove } = tempDirectory();
      dirs.push(remove);
      const file = join(dir, 'claw.db');
      openClawDatabase(file).close();
      const results = await contend(file, processes, 1);
      const granted = results.flatMap((r) => r.granted);
      const used = granted.reduce((n, call) => n + call.totalTokens, 0);
      expect(used).toBeLessThanOrEqual(10_000);
      // The budget was really contended: most calls were refused, and what was granted used it nearly up.
      expect(results.reduce((n, r) => n + r.refused, 0)).toBeGreaterThan(granted.length);
      expect(used).toBeGreaterThan(9_000);
      for (const call of granted) expect(call.flags).toEqual([]);
      const db = openClawDatabase(file);
      expect((await db.budgets.usage('principal:priya', 600_000, Date.now() + 60_000)).tokens).toBe(used);
      await db.close();
    }, 60_000);
  }

  it('with providers reporting 40% more than they could produce, goes over only by the flagged excess', async () => {
    const { dir, remove } = tempDirectory();
    dirs.push(remove);
    const file = join(dir, 'claw.db');
    openClawDatabase(file).close();
    const granted = (await contend(file, 2, 1.4)).flatMap((r) => r.granted);
    const used = granted.reduce((n, call) => n + call.totalTokens, 0);
    const excess = granted.reduce((n, call) => n + Math.max(0, call.totalTokens - call.reservedTokens), 0);
    expect(excess).toBeGreaterThan(0);
    expect(used - excess).toBeLessThanOrEqual(10_000);
    for (const call of granted) expect(call.flags).toEqual(['over-output-limit', 'over-reservation']);
  }, 60_000);
});
