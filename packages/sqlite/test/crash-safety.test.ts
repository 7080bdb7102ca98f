import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openClawDatabase } from '../src';
import { batchRecords } from './fixtures/append-batches';
import { tempDirectory } from './temp-database';

const BATCHES = 400;
const SIZE = 2000;
const child = fileURLToPath(new URL('./fixtures/append-batches.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

/** Starts the appending child and SIGKILLs it right after it reports `killAfter` committed batches. */
function appendUntilKilled(file: string, killAfter: number): Promise<{ signal: NodeJS.Signals | null; reported: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--conditions=claw-source', '--import', tsx, child, file, String(BATCHES), String(SIZE)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let reported = 0;
    let stderr = '';
    proc.stderr.on('data', (chunk) => (stderr += chunk));
    proc.stdout.on('data', (chunk: Buffer) => {
      reported += chunk.toString().split('\n').filter((line) => line.startsWith('committed')).length;
      // The next batch is already being written when the line arrives: the kill lands inside a transaction.
      if (reported >= killAfter) proc.kill('SIGKILL');
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => (signal ? resolve({ signal, reported }) : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

describe('crash safety of batched appends', () => {
  const dirs: (() => void)[] = [];
  afterEach(() => dirs.splice(0).forEach((remove) => remove()));

  it('a process killed with SIGKILL mid-append leaves whole batches only, and a retry adds no duplicate', async () => {
    const { dir, remove } = tempDirectory();
    dirs.push(remove);
    const file = join(dir, 'claw.db');
    const { signal, reported } = await appendUntilKilled(file, 3);
    expect(signal).toBe('SIGKILL');

    const db = openClawDatabase(file);
    try {
      const perRun = db.database
        .prepare('SELECT run_id AS runId, COUNT(*) AS n FROM usage_records GROUP BY run_id')
        .all() as { runId: string; n: number }[];
      // Every batch that made it is complete: no partial batch survives the kill.
      for (const { n } of perRun) expect(n).toBe(SIZE);
      const stored = perRun.length;
      expect(stored).toBeGreaterThanOrEqual(reported);
      expect(stored).toBeLessThan(BATCHES);

      // Retry everything the child was asked for up to and including the batch it was killed in.
      for (let batch = 0; batch <= stored; batch++) await db.ledger.append(batchRecords(batch, SIZE));
      const total = db.database.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids FROM usage_records').get() as { n: number; ids: number };
      expect(total).toEqual({ n: (stored + 1) * SIZE, ids: (stored + 1) * SIZE });
      expect(db.database.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await db.close();
    }
  });
});
