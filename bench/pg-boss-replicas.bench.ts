/**
 * @claw/pg-boss with 3 replica processes on one throwaway PostgreSQL 15 (fsync off, as in tests): one tick fans
 * out to 1,000 principals whose runs do nothing, so the figures are the engine's own — sustained job starts per
 * second across the replicas, and the time from the tick being due to each run starting (p50, p99) — beside the
 * same number of plain pg-boss jobs on the same processes (pg-boss's own cost, without Claw's layer).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hasPostgresBinaries, startPostgresServer } from '../packages/postgres/test/postgres-server';
import type { BenchRow } from './bench-row';
import { scaled, significant } from './support/measure';

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const replicaPath = fileURLToPath(new URL('./support/pg-boss-replica.ts', import.meta.url));

export default async function pgBossReplicasBench(): Promise<BenchRow[]> {
  if (!hasPostgresBinaries) throw new Error('PostgreSQL server binaries not found: install the Debian package "postgresql" to run this benchmark.');
  const jobs = scaled(1000, 50);
  const server = await startPostgresServer();
  const replicas = [1, 2, 3].map(() => {
    const child = spawn(process.execPath, ['--import', tsxLoader, '--conditions=claw-source', replicaPath, server.connectionString, 'bench_jobs', String(jobs)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    return { child, output: () => out, exited: new Promise((resolve) => child.once('exit', resolve)) };
  });
  try {
    await until(() => replicas.every((r) => r.output().includes('ready\n')), 60_000);
    const starts = (pattern: RegExp) => replicas.flatMap((r) => [...r.output().matchAll(pattern)].map((m) => ({ key: m[1]!, at: Number(m[2]) })));

    // Baseline first: the same number of plain pg-boss jobs, due at one instant, on the same 3 processes.
    replicas[0]!.child.stdin.write('raw-queue\n');
    await until(() => replicas[0]!.output().includes('raw-queue-ready\n'), 30_000);
    for (const replica of replicas) replica.child.stdin.write('raw-work\n');
    await until(() => replicas.every((r) => r.output().includes('raw-working\n')), 30_000);
    const rawDue = Date.now() + 1000;
    replicas[0]!.child.stdin.write(`raw-send ${rawDue} ${jobs}\n`);
    await until(() => starts(/^raw (\S+) (\d+)$/gm).length >= jobs, 120_000);
    const raw = measure(starts(/^raw (\S+) (\d+)$/gm), rawDue, jobs);

    // Claw: one tick fans out to the principals, each run a pg-boss job with its history and events.
    const due = Date.now() + 1000;
    replicas[0]!.child.stdin.write(`tick ${due}\n`);
    await until(() => starts(/^start (\S+) (\d+)$/gm).length >= jobs, 120_000);
    const claw = measure(starts(/^start (\S+) (\d+)$/gm), due, jobs);
    const perReplica = replicas.map((r) => (r.output().match(/^start /gm) ?? []).length);
    const baseline = 'plain pg-boss jobs, same 3 processes and worker settings';
    return [
      { figure: `pg-boss, 3 replicas: sustained job starts/s for ${jobs} short jobs (first to last start)`, value: claw.perSecond, unit: 'starts/s', comparedWith: baseline, comparedValue: raw.perSecond },
      { figure: 'pg-boss, 3 replicas: due → started, p50', value: claw.p50, unit: 'ms', comparedWith: baseline, comparedValue: raw.p50 },
      { figure: 'pg-boss, 3 replicas: due → started, p99', value: claw.p99, unit: 'ms', comparedWith: baseline, comparedValue: raw.p99 },
      { figure: `pg-boss, 3 replicas: runs per replica (${perReplica.join(' / ')})`, value: Math.min(...perReplica), unit: 'fewest' },
    ];
  } finally {
    for (const replica of replicas) replica.child.kill('SIGTERM');
    await Promise.race([Promise.all(replicas.map((r) => r.exited)), new Promise((resolve) => setTimeout(resolve, 20_000))]);
    for (const replica of replicas) replica.child.kill('SIGKILL');
    await server.stop();
  }
}

/** Starts per second (first to last) and due → started percentiles; checks each job started exactly once. */
function measure(all: readonly { key: string; at: number }[], due: number, jobs: number): { perSecond: number; p50: number; p99: number } {
  if (new Set(all.map((s) => s.key)).size !== jobs || all.length !== jobs) throw new Error(`expected ${jobs} runs once each, saw ${all.length}`);
  const latencies = all.map((s) => s.at - due).sort((a, b) => a - b);
  const first = Math.min(...all.map((s) => s.at));
  const last = Math.max(...all.map((s) => s.at));
  return { perSecond: significant(jobs / (Math.max(1, last - first) / 1000)), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
