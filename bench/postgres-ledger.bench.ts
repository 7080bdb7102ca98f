/**
 * @claw/postgres usage ledger ingestion: records per second appended through `PostgresUsageLedger.append` in
 * batches, against a throwaway PostgreSQL 15 cluster this script starts and stops (fsync off, as in tests).
 */
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
      const sequential = await timed(async () => {
        for (let i = 0; i < RECORDS / 2; i += BATCH) await claw.ledger.append(records.slice(i, i + BATCH));
      });
      rows.push(row(`postgres ledger: records/s, batches of ${BATCH}, one writer`, (RECORDS / 2) / sequential));

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
