/**
 * @claw/postgres usage ledger ingestion: records per second appended through `PostgresUsageLedger.append` in
 * batches, against a throwaway PostgreSQL 15 cluster this script starts and stops (fsync off, as in tests).
 * Wall-clock rates depend on what else the machine runs, so the script also reports records per CPU-second spent
 * by this process and the whole server together, which moves far less with load.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { openClawPostgres } from '@claw/postgres';
import { usageRecord } from '../packages/postgres/test/fixtures/usage-record';
import { hasPostgresBinaries, startPostgresServer } from '../packages/postgres/test/postgres-server';
import type { BenchRow } from './bench-row';

const RECORDS = 100_000;
const BATCH = 5_000;

export default async function postgresLedgerBench(): Promise<BenchRow[]> {
  if (!hasPostgresBinaries) {
    throw new Error('PostgreSQL server binaries not found: install the Debian package "postgresql" to run this benchmark.');
  }
  const server = await startPostgresServer();
  try {
    const claw = await openClawPostgres({ connectionString: server.connectionString, schema: 'bench' });
    try {
      const records = Array.from({ length: RECORDS }, (_, i) => usageRecord(`run-${Math.floor(i / 10)}`, (i % 10) + 1));
      // Warm up connections and plans on a separate run id range.
      await claw.ledger.append(Array.from({ length: 2_000 }, (_, i) => usageRecord('warm-up', i + 1)));

      const rows: BenchRow[] = [];
      const cpuBefore = cpuSeconds(server.pid);
      const sequential = await timed(async () => {
        for (let i = 0; i < RECORDS / 2; i += BATCH) await claw.ledger.append(records.slice(i, i + BATCH));
      });
      const cpu = cpuSeconds(server.pid) - cpuBefore;
      rows.push(row(`postgres ledger: records/s, batches of ${BATCH}, one writer`, (RECORDS / 2) / sequential));
      rows.push({
        figure: `postgres ledger: records per CPU-second (client + server), batches of ${BATCH}`,
        value: round((RECORDS / 2) / cpu),
        unit: 'records/CPU-s',
      });

      const rest = records.slice(RECORDS / 2);
      const parallel = await timed(async () => {
        const batches = Array.from({ length: rest.length / BATCH }, (_, i) => rest.slice(i * BATCH, (i + 1) * BATCH));
        let next = 0;
        const writer = async () => {
          while (next < batches.length) await claw.ledger.append(batches[next++]!);
        };
        await Promise.all([writer(), writer(), writer(), writer()]);
      });
      rows.push(row(`postgres ledger: records/s, batches of ${BATCH}, 4 concurrent writers`, rest.length / parallel));

      const replay = await timed(() => claw.ledger.append(records.slice(0, 20_000)));
      rows.push(row('postgres ledger: records/s re-appending 20,000 already stored (idempotent no-op)', 20_000 / replay));

      const aggregate = await timed(() => claw.ledger.aggregate({ groupBy: ['principal', 'day'] }));
      rows.push({ figure: `postgres ledger: aggregate ${RECORDS + 2_000} records by principal and day`, value: round(aggregate * 1000), unit: 'ms' });
      return rows;
    } finally {
      await claw.close();
    }
  } finally {
    await server.stop();
  }
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds used so far by this process plus the server: the postmaster, its live children and those it reaped. */
function cpuSeconds(postmasterPid: number): number {
  const stat = (pid: string | number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const own = process.cpuUsage();
  const postmaster = stat(postmasterPid);
  // Fields after the command: utime, stime, cutime, cstime are the 12th to 15th (0-based 11..14).
  let ticks = Number(postmaster[11]) + Number(postmaster[12]) + Number(postmaster[13]) + Number(postmaster[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = stat(entry);
      if (Number(fields[1]) === postmasterPid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended while we looked
    }
  }
  return (own.user + own.system) / 1e6 + ticks / TICKS_PER_SECOND;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function row(figure: string, perSecond: number): BenchRow {
  return { figure, value: round(perSecond), unit: 'records/s', target: '>= 20,000 records/s', meetsTarget: perSecond >= 20_000 };
}

function round(value: number): number {
  return Math.round(value);
}
