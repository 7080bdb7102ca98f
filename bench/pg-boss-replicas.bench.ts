/**
 * @claw/pg-boss with 3 replica processes on one throwaway PostgreSQL 15 (fsync off, as in tests): one tick fans
 * out to 1,000 principals whose runs do nothing, so the figures are the engine's own — sustained job starts per
 * second across the replicas, and the time from the tick being due to each run starting (p50, p99).
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
    const due = Date.now() + 1000;
    replicas[0]!.child.stdin.write(`tick ${due}\n`);
    const starts = () => replicas.flatMap((r) => [...r.output().matchAll(/^start (\S+) (\d+)$/gm)].map((m) => ({ principal: m[1]!, at: Number(m[2]) })));
    await until(() => starts().length >= jobs, 120_000);
    const all = starts();
    if (new Set(all.map((s) => s.principal)).size !== jobs || all.length !== jobs) throw new Error(`expected ${jobs} runs once each, saw ${all.length}`);
    const latencies = all.map((s) => s.at - due).sort((a, b) => a - b);
    const first = Math.min(...all.map((s) => s.at));
    const last = Math.max(...all.map((s) => s.at));
    const perReplica = replicas.map((r) => (r.output().match(/^start /gm) ?? []).length);
    return [
      { figure: `pg-boss, 3 replicas: sustained job starts/s for ${jobs} short jobs (first to last start)`, value: significant(jobs / ((last - first) / 1000)), unit: 'starts/s' },
      { figure: 'pg-boss, 3 replicas: due → started, p50', value: percentile(latencies, 0.5), unit: 'ms' },
      { figure: 'pg-boss, 3 replicas: due → started, p99', value: percentile(latencies, 0.99), unit: 'ms' },
      { figure: `pg-boss, 3 replicas: runs per replica (${perReplica.join(' / ')})`, value: Math.min(...perReplica), unit: 'fewest' },
    ];
  } finally {
    for (const replica of replicas) replica.child.kill('SIGTERM');
    await Promise.race([Promise.all(replicas.map((r) => r.exited)), new Promise((resolve) => setTimeout(resolve, 20_000))]);
    for (const replica of replicas) replica.child.kill('SIGKILL');
    await server.stop();
  }
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
