/**
 * One replica for the pg-boss benchmark: a job of N principals whose run does nothing, and beside it the same work
 * as plain pg-boss jobs (the baseline: pg-boss's own cost, without Claw's ticks, fan-out and history).
 *   pg-boss-replica.ts <connectionString> <schema> <principals>
 * Prints `ready`, then `start <principal> <ms since epoch>` per Claw run and `raw <id> <ms since epoch>` per plain
 * job. Stdin lines: `tick <ms>` enqueues that tick; `raw-queue` creates the plain queue (answers `raw-queue-ready`);
 * `raw-work` starts plain workers with the same concurrency, batch size and polling interval (answers
 * `raw-working`); `raw-send <ms> <n>` inserts n plain jobs due at that time. SIGTERM stops it.
 */
import { createInterface } from 'node:readline';
import { defineJob } from '@claw/core';
import { startPgBossJobs } from '@claw/pg-boss';

const CONCURRENCY = 8;
const BATCH_SIZE = 4;
const POLLING_SECONDS = 0.5;
const RAW_QUEUE = 'bench-raw';

const [url, schema, count] = process.argv.slice(2) as [string, string, string];
const principals = Array.from({ length: Number(count) }, (_, i) => ({ id: `p${i}` }));
const job = defineJob({ name: 'short', cron: '0 0 1 1 *', principals, run: () => undefined });
const scheduler = await startPgBossJobs({
  connectionString: url, schema, jobs: [job], concurrency: CONCURRENCY, batchSize: BATCH_SIZE, pollingIntervalSeconds: POLLING_SECONDS, catchUpSeconds: 0, leaseSeconds: 60,
});
const { boss } = scheduler;
let lines = '';
scheduler.on('job:start', (e) => (lines += `start ${e.principalId} ${Date.now()}\n`));
const flush = setInterval(() => {
  if (lines) process.stdout.write(lines);
  lines = '';
}, 50);
createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, at, n] = line.split(' ');
  if (command === 'tick') void scheduler.runNow('short', Number(at));
  if (command === 'raw-queue') void boss.createQueue(RAW_QUEUE).then(() => process.stdout.write('raw-queue-ready\n'));
  if (command === 'raw-work') {
    void (async () => {
      for (let i = 0; i < CONCURRENCY; i++) {
        await boss.work<{ i: number }>(RAW_QUEUE, { batchSize: BATCH_SIZE, pollingIntervalSeconds: POLLING_SECONDS }, async (batch) => {
          for (const received of batch) lines += `raw ${received.data.i} ${Date.now()}\n`;
        });
      }
      process.stdout.write('raw-working\n');
    })();
  }
  if (command === 'raw-send') {
    const startAfter = new Date(Number(at));
    void boss.insert(Array.from({ length: Number(n) }, (_, i) => ({ name: RAW_QUEUE, data: { i }, startAfter })));
  }
});
process.once('SIGTERM', () => {
  void scheduler.stop().then(() => {
    clearInterval(flush);
    if (lines) process.stdout.write(lines);
    process.exit(0);
  });
});
process.stdout.write('ready\n');
