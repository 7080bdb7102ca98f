import { createServer } from 'node:net';
import { AbortedError, InvalidArgumentError, StoreError } from '@claw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, openClawPostgres, PostgresRunStateStore } from '../src/index';
import { poolFor, uniqueSchema } from './helpers';
import { hasPostgresBinaries, startPostgresServer, type PostgresServer } from './postgres-server';

/** A 127.0.0.1 port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function openError(options: Parameters<typeof openClawPostgres>[0]): Promise<Error> {
  try {
    const claw = await openClawPostgres(options);
    await claw.close();
  } catch (error) {
    return error as Error;
  }
  throw new Error('openClawPostgres succeeded where it should have failed');
}

describe.runIf(hasPostgresBinaries || !!process.env.CI)('openClawPostgres', () => {
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

  it('creates the schema with a versioned migrations table and returns working stores', async () => {
    const schema = uniqueSchema();
    const claw = await openClawPostgres({ connectionString: server.connectionString, schema });
    try {
      const { rows } = await admin.query(`SELECT version, name FROM "${schema}".claw_schema_migrations ORDER BY version`);
      expect(rows.map((row) => row.version)).toEqual(Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
      expect(claw.schema).toBe(schema);
      await claw.runStates.save({ version: 1, runId: 'r1' } as never);
      expect(await claw.runStates.load('r1')).toMatchObject({ runId: 'r1' });
      const entry = await claw.audit.append({ type: 'run.start', principalId: 'priya', data: {} });
      expect(entry).toMatchObject({ chain: 'main', seq: 1 });
    } finally {
      await claw.close();
    }
  });

  it('opening an up-to-date schema again changes nothing and keeps the data', async () => {
    const schema = uniqueSchema();
    const first = await openClawPostgres({ connectionString: server.connectionString, schema });
    await first.memory.remember({ text: 'Kestrel is the staging cluster', kind: 'fact', scope: 'shared', source: { trust: 'user' } });
    await first.close();
    const second = await openClawPostgres({ connectionString: server.connectionString, schema });
    try {
      expect(await second.memory.list(['shared'])).toHaveLength(1);
      const { rows } = await admin.query(`SELECT count(*)::int AS n FROM "${schema}".claw_schema_migrations`);
      expect(rows[0].n).toBe(LATEST_SCHEMA_VERSION);
    } finally {
      await second.close();
    }
  });

  it('stores built on one pool share one migration, and several pools opening at once do not race', async () => {
    const schema = uniqueSchema();
    const opened = await Promise.all(
      Array.from({ length: 4 }, () => openClawPostgres({ connectionString: server.connectionString, schema })),
    );
    await Promise.all(opened.map((claw) => claw.close()));
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM "${schema}".claw_schema_migrations`);
    expect(rows[0].n).toBe(LATEST_SCHEMA_VERSION);
  });

  it('a pool passed in is used and left open by close()', async () => {
    const pool = poolFor(server);
    const claw = await openClawPostgres({ pool, schema: uniqueSchema() });
    await claw.close();
    expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    await pool.end();
  });

  it('refuses a malformed or non-PostgreSQL connection string with a StoreError that shows the right form', async () => {
    for (const connectionString of ['not a url at all', 'mysql://root@127.0.0.1/db', '']) {
      const error = await openError({ connectionString });
      expect(error).toBeInstanceOf(StoreError);
      expect(error.message).toContain('postgres://user:password@host:5432/database');
    }
  });

  it('reports an unreachable server as a StoreError naming the address', async () => {
    const port = await closedPort();
    const error = await openError({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('STORE_ERROR');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toMatch(/cannot reach the server.*Check the host and port/);
  });

  it('reports a wrong password as a StoreError about credentials', async () => {
    const error = await openError({ connectionString: server.url({ password: 'wrong-password' }) });
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(/refused the credentials.*password authentication failed.*Check the user name and password/);
  });

  it('reports a missing database as a StoreError saying to create it', async () => {
    const error = await openError({ connectionString: server.url({ database: 'no_such_db' }) });
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(/database "no_such_db" does not exist.*createdb/);
  });

  it('refuses a schema holding tables it did not create, and leaves them untouched', async () => {
    const schema = uniqueSchema('foreign');
    await admin.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".orders (id int); INSERT INTO "${schema}".orders VALUES (42)`);
    const error = await openError({ connectionString: server.connectionString, schema });
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(/already holds tables Claw did not create \(orders\).*pass another schema name/);
    expect((await admin.query(`SELECT id FROM "${schema}".orders`)).rows).toEqual([{ id: 42 }]);
    const tables = await admin.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [schema]);
    expect(tables.rows).toEqual([{ table_name: 'orders' }]);
  });

  it('refuses a foreign claw_schema_migrations table', async () => {
    const schema = uniqueSchema('foreign');
    await admin.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".claw_schema_migrations (id int)`);
    const error = await openError({ connectionString: server.connectionString, schema });
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(/claw_schema_migrations table that Claw did not create/);
  });

  it('refuses a schema migrated by a newer release, dropping nothing', async () => {
    const schema = uniqueSchema('newer');
    const claw = await openClawPostgres({ connectionString: server.connectionString, schema });
    await claw.ledger.setOutcome('none', { stopReason: 'final', actions: {}, answered: true });
    await claw.runStates.save({ version: 1, runId: 'kept' } as never);
    await claw.close();
    await admin.query(`INSERT INTO "${schema}".claw_schema_migrations (version, name) VALUES ($1, 'from the future')`, [LATEST_SCHEMA_VERSION + 1]);
    const error = await openError({ connectionString: server.connectionString, schema });
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(new RegExp(`version ${LATEST_SCHEMA_VERSION + 1}, newer than this @claw/postgres understands.*Upgrade`));
    expect((await admin.query(`SELECT run_id FROM "${schema}".run_states`)).rows).toEqual([{ run_id: 'kept' }]);
  });

  it('rejects bad arguments with InvalidArgumentError', async () => {
    await expect(openClawPostgres({} as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(openClawPostgres({ connectionString: server.connectionString, pool: admin })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(openClawPostgres({ pool: admin, schema: 'Robert"; DROP TABLE x; --' })).rejects.toThrow(/Schema name .* is not allowed/);
    expect(() => new PostgresRunStateStore({ pool: undefined as never })).toThrow(InvalidArgumentError);
  });

  it('an aborted signal stops opening with AbortedError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(openClawPostgres({ connectionString: server.connectionString, signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
  });

  it('using stores after close() is a StoreError saying the store was closed', async () => {
    const claw = await openClawPostgres({ connectionString: server.connectionString, schema: uniqueSchema() });
    await claw.close();
    const error = await claw.runStates.load('r1').catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/closed.*openClawPostgres/);
  });
});
