import type { AuditEntry } from '@claw/core';
import {
  describeApprovalStoreConformance,
  describeAuditLogConformance,
  describeBudgetStoreConformance,
  describeMemoryStoreConformance,
  describeRunStateStoreConformance,
  describeUsageLedgerConformance,
} from '@claw/core/conformance';
import { afterAll, beforeAll, describe } from 'vitest';
import {
  PostgresApprovalStore,
  PostgresAuditLog,
  PostgresBudgetStore,
  PostgresMemoryStore,
  PostgresRunStateStore,
  PostgresUsageLedger,
  type PostgresStoreOptions,
} from '../src/index';
import { clawDatabase } from '../src/database';
import { emptySchema, poolFor, uniqueSchema } from './helpers';
import { hasPostgresBinaries, startPostgresServer, type PostgresServer } from './postgres-server';

describe.runIf(hasPostgresBinaries || !!process.env.CI)('@claw/postgres conformance', () => {
  let server: PostgresServer;
  let pool: ReturnType<typeof poolFor>;
  const schema = uniqueSchema('conformance');

  beforeAll(async () => {
    server = await startPostgresServer();
    pool = poolFor(server, 20);
    await clawDatabase({ pool, schema }).ready();
  });
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });

  /** Every test starts from an empty store: one migrated schema, emptied before each test (10x cheaper than migrating). */
  function fresh<Store>(make: (options: PostgresStoreOptions) => Store) {
    return async () => {
      await emptySchema(pool, schema);
      return { store: make({ pool, schema }), schema };
    };
  }

  describeUsageLedgerConformance('PostgresUsageLedger', fresh((options) => new PostgresUsageLedger(options)));
  describeBudgetStoreConformance('PostgresBudgetStore', fresh((options) => new PostgresBudgetStore(options)));
  describeApprovalStoreConformance('PostgresApprovalStore', fresh((options) => new PostgresApprovalStore(options)));
  describeRunStateStoreConformance('PostgresRunStateStore', fresh((options) => new PostgresRunStateStore(options)));
  describeRunStateStoreConformance('PostgresRunStateStore with a key', fresh((options) => new PostgresRunStateStore({ ...options, key: 'a host secret of at least thirty-two bytes' })));
  describeMemoryStoreConformance('PostgresMemoryStore', fresh((options) => new PostgresMemoryStore(options)));
  describeAuditLogConformance('PostgresAuditLog', async ({ key }) => {
    const handle = await fresh((options) => new PostgresAuditLog({ ...options, key }))();
    const table = `"${handle.schema}".audit_entries`;
    // Tampering as someone with direct database access would: the append-only trigger is bypassed by a superuser
    // switching to replica mode, which skips ordinary triggers.
    const asSuperuser = async (sql: string, params: unknown[]) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query("SET LOCAL session_replication_role = 'replica'");
        await client.query(sql, params);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    };
    return {
      ...handle,
      tamper: {
        editData: (seq: number) =>
          asSuperuser(`UPDATE ${table} SET data = '{"edited":true}' WHERE chain = 'main' AND seq = $1`, [seq]),
        deleteEntry: (seq: number) => asSuperuser(`DELETE FROM ${table} WHERE chain = 'main' AND seq = $1`, [seq]),
        rewrite: async (entries: readonly AuditEntry[]) => {
          await asSuperuser(`DELETE FROM ${table}`, []);
          for (const e of entries) {
            await asSuperuser(
              `INSERT INTO ${table} (chain, seq, id, at, type, principal_id, run_id, tool_call_id, data, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
              [e.chain, e.seq, e.id, e.at, e.type, e.principalId, e.runId ?? null, e.toolCallId ?? null, JSON.stringify(e.data), e.prevHash, e.hash],
            );
          }
        },
      },
    };
  });
});
