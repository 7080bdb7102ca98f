import type { AuditEntry } from '@claw/core';
import type { BudgetContentionResult } from '@claw/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, openClawPostgres, type ClawPostgres } from '../src/index';
import { usageRecord } from './fixtures/usage-record';
import { poolFor, startWorker, uniqueSchema, type Worker } from './helpers';
import { hasPostgresBinaries, startPostgresServer, type PostgresServer } from './postgres-server';

const WORKERS = ['w1', 'w2'];
const RESERVATIONS_EACH = 25;
const APPENDS_EACH = 40;

/** Sends `go` to every worker once all of them have printed `stage`. */
async function release(workers: Worker[], stage: string): Promise<void> {
  await Promise.all(workers.map((worker) => worker.waitFor(`${stage}\n`)));
  for (const worker of workers) worker.send('go');
}

describe.runIf(hasPostgresBinaries || !!process.env.CI)('@claw/postgres across processes', () => {
  let server: PostgresServer;
  let admin: ReturnType<typeof poolFor>;

  beforeAll(async () => {
    server = await startPostgresServer();
    admin = poolFor(server);
  });
  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  });

  /*
   * Two worker processes, released together at each stage: they open one new schema at the same moment, then
   * each makes 25 budget reservations at once (50 in flight across processes), then 40 audit appends at once.
   */
  describe('two processes contending', () => {
    const schema = uniqueSchema('contend');
    let results: { granted: string[]; appended: number }[];
    let claw: ClawPostgres;

    beforeAll(async () => {
      const workers = WORKERS.map((name) =>
        startWorker(['contend', server.connectionString, schema, name, String(RESERVATIONS_EACH), String(APPENDS_EACH)]),
      );
      await release(workers, 'ready');
      await release(workers, 'opened');
      await release(workers, 'reserved');
      results = (await Promise.all(workers.map((worker) => worker.result))) as typeof results;
      claw = await openClawPostgres({ connectionString: server.connectionString, schema });
    }, 120_000);
    afterAll(async () => {
      await claw?.close();
    });

    it('migrate a new schema exactly once when they start together', async () => {
      const { rows } = await admin.query(`SELECT version FROM "${schema}".claw_schema_migrations ORDER BY version`);
      expect(rows.map((row) => row.version)).toEqual(Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
    });

    it('never overspend a shared budget: of 50 concurrent 100-token reservations against 2500 tokens, exactly 25 are granted', async () => {
      const granted = results.flatMap((result) => result.granted);
      expect(granted).toHaveLength(25);
      expect(await claw.budget.usage('principal:priya', 60_000, 1_800_000_000_000)).toEqual({ tokens: 2500, costUsd: 0 });
      expect(await claw.budget.usage('team:platform', 3_600_000, 1_800_000_000_000)).toEqual({ tokens: 2500, costUsd: 0 });
      const { rows } = await admin.query(`SELECT count(*)::int AS n FROM "${schema}".budget_reservations`);
      expect(rows[0].n).toBe(WORKERS.length * RESERVATIONS_EACH);
    });

    it('keep one valid audit chain, and verify() then detects an edit made through SQL', async () => {
      const total = WORKERS.length * APPENDS_EACH;
      expect(await claw.audit.verify()).toEqual({ valid: true, entries: total });
      const entries: AuditEntry[] = await claw.audit.list();
      expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(new Set(entries.map((entry) => entry.runId))).toEqual(new Set(WORKERS.map((name) => `run-${name}`)));
      // The writers really interleaved: the chain passes from one process to another many times.
      const handovers = entries.filter((entry, i) => i > 0 && entry.runId !== entries[i - 1]!.runId).length;
      expect(handovers).toBeGreaterThan(1);

      const client = await admin.connect();
      try {
        await client.query('BEGIN');
        await client.query("SET LOCAL session_replication_role = 'replica'");
        await client.query(`UPDATE "${schema}".audit_entries SET data = '{"writer":"w1","i":999}' WHERE seq = 41`);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      expect(await claw.audit.verify()).toMatchObject({ valid: false, entries: total, brokenAt: { chain: 'main', seq: 41 } });
    });
  });

  /**
   * Starts replicas metering calls against one 10,000-token budget, released together, each clock 500 ms further
   * behind (as a stamp taken before a long wait for the lock is).
   */
  async function meterTogether(replicas: number, overReport: number): Promise<{ granted: BudgetContentionResult['granted']; refused: number; used: number }> {
    const schema = uniqueSchema('meter');
    await (await openClawPostgres({ connectionString: server.connectionString, schema })).close();
    const workers = Array.from({ length: replicas }, (_, i) => startWorker(['meter', server.connectionString, schema, `r${i}`, String(i * 500), String(overReport)]));
    await release(workers, 'ready');
    const results = (await Promise.all(workers.map((worker) => worker.result))) as BudgetContentionResult[];
    const claw = await openClawPostgres({ connectionString: server.connectionString, schema });
    try {
      const stored = await claw.budget.usage('principal:priya', 600_000, Date.now() + 60_000);
      const granted = results.flatMap((r) => r.granted);
      expect(stored.tokens).toBe(granted.reduce((n, call) => n + call.totalTokens, 0));
      return { granted, refused: results.reduce((n, r) => n + r.refused, 0), used: stored.tokens };
    } finally {
      await claw.close();
    }
  }

  it('replicas with skewed clocks metering through one budget never settle more than it', async () => {
    const { granted, refused, used } = await meterTogether(3, 1);
    expect(used).toBeLessThanOrEqual(10_000);
    expect(used).toBeGreaterThan(9_000);
    expect(refused).toBeGreaterThan(granted.length);
    for (const call of granted) expect(call.flags).toEqual([]);
  }, 60_000);

  it('replicas whose provider reports 40% more than it could produce go over only by the flagged excess', async () => {
    const { granted, used } = await meterTogether(2, 1.4);
    const excess = granted.reduce((n, call) => n + Math.max(0, call.totalTokens - call.reservedTokens), 0);
    expect(excess).toBeGreaterThan(0);
    expect(used - excess).toBeLessThanOrEqual(10_000);
    for (const call of granted) expect(call.flags).toEqual(['over-output-limit', 'over-reservation']);
  }, 60_000);

  it('a process killed while appending leaves no partial batch, and retrying after restart stores each record once', async () => {
    const schema = uniqueSchema('crash');
    await (await openClawPostgres({ connectionString: server.connectionString, schema })).close();
    const size = 2500;
    const countRows = async () => (await admin.query(`SELECT count(*)::int AS n FROM "${schema}".usage_records`)).rows[0].n as number;

    const doomed = startWorker(['ledger', server.connectionString, schema, String(size), '0', '1000']);
    await doomed.waitFor('committed 1\n');
    doomed.kill('SIGKILL');
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const afterCrash = await countRows();
    expect(afterCrash % size).toBe(0);
    expect(afterCrash).toBeGreaterThanOrEqual(2 * size);
    // No batch is half there: every batch that has a record has all of them.
    const partial = await admin.query(
      `SELECT run_id, count(*)::int AS n FROM "${schema}".usage_records GROUP BY run_id HAVING count(*) <> $1`,
      [size],
    );
    expect(partial.rows).toEqual([]);

    // The restarted writer (a new pool here) does not know which batch died with its predecessor: it sends them all again.
    const batches = afterCrash / size + 1;
    const restarted = await openClawPostgres({ connectionString: server.connectionString, schema });
    try {
      for (let batch = 0; batch < batches; batch++) {
        await restarted.ledger.append(Array.from({ length: size }, (_, i) => usageRecord(`batch-${batch}`, i + 1)));
      }
    } finally {
      await restarted.close();
    }
    expect(await countRows()).toBe(batches * size);
    const distinct = await admin.query(`SELECT count(DISTINCT id)::int AS n FROM "${schema}".usage_records`);
    expect(distinct.rows[0].n).toBe(batches * size);
  }, 60_000);
});
