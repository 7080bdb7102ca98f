/**
 * One replica for the pg-boss benchmark: a job of 1,000 principals whose run does nothing. Prints `ready`, then
 * `start <principal> <ms since epoch>` per run; a stdin line `tick <ms>` enqueues that tick; SIGTERM stops it.
 *   pg-boss-replica.ts <connectionString> <schema> <principals>
 */
import { createInterface } from 'node:readline';
import { defineJob } from '@claw/core';
import { startPgBossJobs } from '@claw/pg-boss';

const [url, schema, count] = process.argv.slice(2) as [string, string, string];
const principals = Array.from({ length: Number(count) }, (_, i) => ({ id: `p${i}` }));
const job = defineJob({ name: 'short', cron: '0 0 1 1 *', principals, run: () => undefined });
const scheduler = await startPgBossJobs({
  connectionString: url, schema, jobs: [job], concurrency: 8, pollingIntervalSeconds: 0.5, catchUpSeconds: 0, leaseSeconds: 60,
});
let lines = '';
scheduler.on('job:start', (e) => (lines += `start ${e.principalId} ${Date.now()}\n`));
const flush = setInterval(() => {
  if (lines) process.stdout.write(lines);
  lines = '';
}, 50);
createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, at] = line.split(' ');
  if (command === 'tick') void scheduler.runNow('short', Number(at));
});
process.once('SIGTERM', () => {
  void scheduler.stop().then(() => {
    clearInterval(flush);
    if (lines) process.stdout.write(lines);
    process.exit(0);
  });
});
process.stdout.write('ready\n');
