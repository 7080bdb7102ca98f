/**
 * Background jobs in process: the scheduling overhead of one tick whose precondition is false (nothing to do) —
 * the next due time from croner, the principals list, the history lookups (`finished?`, `lastRun`), the `skipped`
 * record and the `job:skip` event — per principal, against calling the precondition alone.
 */
import { defineJob, InMemoryJobHistory } from '@claw/core';
import { JobEventEmitter, listJobPrincipals, nextTickAfter, runJobAttempt } from '@claw/core/store-kit';
import type { BenchRow } from './bench-row';
import { median, now, scaled, significant } from './support/measure';

const PRINCIPALS = Array.from({ length: 100 }, (_, i) => ({ id: `person-${i}` }));

export default async function jobsSkippedTickBench(): Promise<BenchRow[]> {
  let checks = 0;
  const when = () => {
    checks += 1;
    return false;
  };
  const job = defineJob({ name: 'watch', cron: '* * * * *', timezone: 'Europe/Berlin', principals: PRINCIPALS, when, run: () => undefined });
  const events = new JobEventEmitter();
  let skips = 0;
  events.on('job:skip', () => (skips += 1));
  const signal = new AbortController().signal;
  const rounds = scaled(30, 3);
  const ticksPerRound = scaled(100, 5);
  const perSkip: number[] = [];
  const perCheck: number[] = [];
  let tick = Date.UTC(2026, 11, 3, 6);
  for (let round = 0; round < rounds; round++) {
    // A fresh history per round, as a long-running process keeps a bounded one.
    const env = { history: new InMemoryJobHistory(), emit: events.emit, now: Date.now };
    const started = now();
    for (let t = 0; t < ticksPerRound; t++) {
      tick = nextTickAfter(job, tick)!;
      for (const principal of await listJobPrincipals(job, tick)) {
        await runJobAttempt(env, { job, principal, tick, attempt: 1, signal });
      }
    }
    perSkip.push(((now() - started) * 1000) / (ticksPerRound * PRINCIPALS.length));
    const bare = now();
    for (let t = 0; t < ticksPerRound; t++) for (const principal of PRINCIPALS) if (principal) await when();
    perCheck.push(((now() - bare) * 1000) / (ticksPerRound * PRINCIPALS.length));
  }
  if (skips !== rounds * ticksPerRound * PRINCIPALS.length) throw new Error(`expected every tick to be skipped, saw ${skips}`);
  const value = significant(median(perSkip));
  return [
    {
      figure: 'jobs in process: overhead per skipped tick and principal (precondition false), median',
      value,
      unit: 'µs',
      comparedWith: 'awaiting the precondition alone',
      comparedValue: significant(median(perCheck)),
      target: '< 50 µs',
      meetsTarget: value < 50,
    },
  ];
}
