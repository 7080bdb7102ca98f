import { countTokens, StoreError, type UsageRecord } from '@claw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClawPostgres, PostgresAuditLog, type ClawPostgres } from '../src/index';
import { usageRecord } from './fixtures/usage-record';
import { poolFor, uniqueSchema } from './helpers';
import { hasPostgresBinaries, startPostgresServer, type PostgresServer } from './postgres-server';

describe.runIf(hasPostgresBinaries || !!process.env.CI)('@claw/postgres stores', () => {
  let server: PostgresServer;
  let admin: ReturnType<typeof poolFor>;

  beforeAll(async () => {
    server = await startPostgresServer();
    admin = poolFor(server, 20);
  });
  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  });

  /** Stores on a new schema, sharing the admin pool so no test waits for new connections. */
  async function withClaw(body: (claw: ClawPostgres) => Promise<void>): Promise<void> {
    const claw = await openClawPostgres({ pool: admin, schema: uniqueSchema() });
    try {
      await body(claw);
    } finally {
      await claw.close();
    }
  }

  const count = async (claw: ClawPostgres, table: string) =>
    (await admin.query(`SELECT count(*)::int AS n FROM "${claw.schema}".${table}`)).rows[0].n as number;

  describe('usage ledger', () => {
    it('stores a batch larger than one statement exactly once, also when the whole batch is retried', async () => {
      await withClaw(async (claw) => {
        // 2,500 records: more than one COPY chunk (2,000) in one transaction.
        const records = Array.from({ length: 2500 }, (_, i) => usageRecord('big', i + 1));
        await claw.ledger.append(records);
        await claw.ledger.append(records);
        expect(await count(claw, 'usage_records')).toBe(2500);
        const stored = await claw.ledger.query({ runId: 'big' });
        expect(stored).toHaveLength(2500);
        expect(stored[2499]).toEqual(records[2499]);
      });
    });

    it('round-trips tabs, line breaks, backslashes and emoji through the COPY path exactly', async () => {
      await withClaw(async (claw) => {
        const awkward = 'tab\there\nnew line\r\\N back\\slash \\. "quoted" 🚀 naïve';
        const records = Array.from({ length: 300 }, (_, i) =>
          usageRecord('copy', i + 1, { principalId: `${awkward}${i}`, skills: [awkward, 'b'], errorCode: awkward, team: i % 2 ? awkward : undefined }),
        );
        await claw.ledger.append(records);
        expect(await claw.ledger.query({ runId: 'copy' })).toEqual(records);
        const [row] = await claw.ledger.aggregate({ groupBy: ['principal'], principalIds: [`${awkward}7`] });
        expect(row).toMatchObject({ key: { principal: `${awkward}7` }, records: 1 });
      });
    });

    it('a batch that fails part way stores none of its records', async () => {
      await withClaw(async (claw) => {
        const records: UsageRecord[] = Array.from({ length: 2500 }, (_, i) => usageRecord('atomic', i + 1));
        // PostgreSQL text cannot hold NUL: the server rejects the batch's second COPY chunk.
        records[2400] = { ...records[2400]!, principalId: 'bad\u0000name' };
        const error = await claw.ledger.append(records).catch((e: unknown) => e as Error);
        expect(error).toBeInstanceOf(StoreError);
        expect(error!.message).toMatch(/NUL character/);
        expect(await count(claw, 'usage_records')).toBe(0);
      });
    });

    it('aggregates a record without team under "(none)" and computes in SQL over the filter', async () => {
      await withClaw(async (claw) => {
        await claw.ledger.append([
          usageRecord('r', 1, { team: undefined, principalId: 'solo' }),
          usageRecord('r', 2, { team: 'platform', principalId: 'solo' }),
          usageRecord('r', 3, { team: 'platform', principalId: 'other' }),
        ]);
        const rows = await claw.ledger.aggregate({ groupBy: ['team'], principalIds: ['solo'] });
        expect(rows.map((row) => [row.key.team, row.records, row.totalTokens])).toEqual([
          ['(none)', 1, 120],
          ['platform', 1, 120],
        ]);
        await expect(claw.ledger.aggregate({ groupBy: ['colour' as never] })).rejects.toThrow(/Unknown usage dimension/);
      });
    });
  });

  describe('budget store', () => {
    it('settling above the reservation counts what was really used', async () => {
      await withClaw(async (claw) => {
        const limits = [{ key: 'principal:priya', windowMs: 60_000, maxTokens: 1000 }];
        const base = { limits, inputCostUsd: 0, outputCostPerTokenUsd: 0, minOutputTokens: 1, at: 1_800_000_000_000 };
        await claw.budget.reserve({ ...base, id: 'r1', inputTokens: 100, maxOutputTokens: 100 });
        await claw.budget.settle('r1', { tokens: 900, costUsd: 0 });
        expect(await claw.budget.usage('principal:priya', 60_000, base.at)).toEqual({ tokens: 900, costUsd: 0 });
        expect(await claw.budget.reserve({ ...base, id: 'r2', inputTokens: 100, maxOutputTokens: 100 })).toMatchObject({ granted: false, remainingTokens: 100 });
      });
    });

    it('rejects malformed requests before touching the database', async () => {
      await withClaw(async (claw) => {
        await expect(claw.budget.reserve({ id: '', limits: [] } as never)).rejects.toThrow(/id must be a non-empty string/);
        await expect(
          claw.budget.reserve({ id: 'x', limits: [{ key: 'k', windowMs: 0, maxTokens: 1 }], inputTokens: 1, inputCostUsd: 0, maxOutputTokens: 1, outputCostPerTokenUsd: 0, minOutputTokens: 1, at: 1 }),
        ).rejects.toThrow(/positive windowMs/);
        await expect(claw.budget.settle('x', { tokens: -1, costUsd: 0 })).rejects.toThrow(/non-negative/);
      });
    });
  });

  describe('audit log', () => {
    it('the table refuses UPDATE, DELETE and TRUNCATE from ordinary SQL', async () => {
      await withClaw(async (claw) => {
        await claw.audit.append({ type: 'run.start', principalId: 'priya', data: { a: 1 } });
        const table = `"${claw.schema}".audit_entries`;
        await expect(admin.query(`UPDATE ${table} SET data = '{}'`)).rejects.toThrow(/append-only: UPDATE/);
        await expect(admin.query(`DELETE FROM ${table}`)).rejects.toThrow(/append-only: DELETE/);
        await expect(admin.query(`TRUNCATE ${table}`)).rejects.toThrow(/append-only: TRUNCATE/);
        expect(await claw.audit.verify()).toEqual({ valid: true, entries: 1 });
      });
    });

    it('verify checks every chain and names the chain and entry an SQL edit broke', async () => {
      await withClaw(async (claw) => {
        const other = new PostgresAuditLog({ pool: claw.pool, schema: claw.schema, chain: 'replica-b' });
        for (let i = 0; i < 3; i++) {
          await claw.audit.append({ type: 'tool.call', principalId: 'priya', data: { i } });
          await other.append({ type: 'tool.call', principalId: 'raj', data: { i } });
        }
        expect(await claw.audit.verify()).toEqual({ valid: true, entries: 6 });
        const client = await admin.connect();
        try {
          await client.query("SET session_replication_role = 'replica'");
          await client.query(`UPDATE "${claw.schema}".audit_entries SET principal_id = 'mallory' WHERE chain = 'replica-b' AND seq = 2`);
        } finally {
          await client.query("SET session_replication_role = 'origin'");
          client.release();
        }
        expect(await other.verify()).toMatchObject({ valid: false, entries: 6, brokenAt: { chain: 'replica-b', seq: 2 } });
      });
    });

    it('an entry whose data was replaced by something that is not JSON is reported, not thrown', async () => {
      await withClaw(async (claw) => {
        await claw.audit.append({ type: 'run.start', principalId: 'priya', data: {} });
        const client = await admin.connect();
        try {
          await client.query("SET session_replication_role = 'replica'");
          await client.query(`UPDATE "${claw.schema}".audit_entries SET data = 'not json'`);
        } finally {
          await client.query("SET session_replication_role = 'origin'");
          client.release();
        }
        expect(await claw.audit.verify()).toMatchObject({ valid: false, brokenAt: { chain: 'main', seq: 1 } });
      });
    });
  });

  describe('memory store', () => {
    const source = { trust: 'user' as const };

    it('searches a stored tsvector through a GIN index with English stemming', async () => {
      await withClaw(async (claw) => {
        await claw.memory.remember({ text: 'The billing service deployed to production on Friday', kind: 'episode', scope: 'shared', source });
        const recalled = await claw.memory.recall('deploying billing', { scopes: ['shared'] });
        expect(recalled.map((r) => r.item.text)).toEqual(['The billing service deployed to production on Friday']);
        const indexes = await admin.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'memory_items'`, [claw.schema]);
        expect(indexes.rows.map((row) => row.indexdef).join('\n')).toMatch(/USING gin \(search\)/);
        const client = await admin.connect();
        try {
          await client.query('SET enable_seqscan = off');
          const plan = await client.query(
            `EXPLAIN SELECT id FROM "${claw.schema}".memory_items WHERE search @@ to_tsquery('english', 'billing')`,
          );
          expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/memory_items_search/);
        } finally {
          client.release();
        }
      });
    });

    it('with equal relevance the more recent memory ranks first', async () => {
      await withClaw(async (claw) => {
        const now = 1_800_000_000_000;
        await claw.memory.remember({ text: 'Deploy window is Tuesday', kind: 'fact', scope: 'shared', source, createdAt: now - 20 * 86_400_000 });
        await claw.memory.remember({ text: 'Deploy window is Thursday', kind: 'fact', scope: 'shared', source, createdAt: now - 86_400_000 });
        const recalled = await claw.memory.recall('deploy window', { scopes: ['shared'], now });
        expect(recalled.map((r) => r.item.text)).toEqual(['Deploy window is Thursday', 'Deploy window is Tuesday']);
        expect(recalled[0]!.score).toBeGreaterThan(recalled[1]!.score);
      });
    });

    it('caps recall by exact o200k_base token counts and counts each recall', async () => {
      await withClaw(async (claw) => {
        const texts = ['Incident one: the deploy pipeline stalled at the canary stage', 'Incident two: the deploy pipeline lost its cache'];
        const now = 1_800_000_000_000;
        for (const [i, text] of texts.entries()) {
          await claw.memory.remember({ text, kind: 'episode', scope: 'shared', source, createdAt: now - i * 1000 });
        }
        const first = countTokens(texts[0]!, 'o200k_base');
        const capped = await claw.memory.recall('deploy pipeline', { scopes: ['shared'], now, maxTokens: first });
        expect(capped.map((r) => r.item.text)).toEqual([texts[0]]);
        expect(capped[0]!.item).toMatchObject({ recallCount: 1, lastRecalledAt: now });
        const both = await claw.memory.recall('deploy pipeline', { scopes: ['shared'], now: now + 5, maxTokens: first + countTokens(texts[1]!, 'o200k_base') });
        expect(both.map((r) => r.item.recallCount)).toEqual([2, 1]);
      });
    });

    it('rejects invalid scopes and items with InvalidArgumentError before querying', async () => {
      await withClaw(async (claw) => {
        await expect(claw.memory.recall('x', { scopes: ['everyone' as never] })).rejects.toThrow(/scope "everyone"/);
        await expect(claw.memory.list(undefined as never)).rejects.toThrow(/non-empty array of scopes/);
        await expect(claw.memory.remember({ text: ' ', kind: 'fact', scope: 'shared', source })).rejects.toThrow(/non-empty "text"/);
        await expect(claw.memory.update('x', { metadata: [] as never }, ['shared'])).rejects.toThrow(/plain object/);
      });
    });
  });

  describe('approvals', () => {
    it('deciding an unknown request returns false and stores nothing', async () => {
      await withClaw(async (claw) => {
        expect(await claw.approvals.decide('missing', [{ decision: 'approve', approver: 'raj' }], 'approved')).toBe(false);
        expect(await count(claw, 'approval_requests')).toBe(0);
      });
    });
  });
});
