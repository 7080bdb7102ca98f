import { InvalidArgumentError } from '@claw/core';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { migrate } from './migrations';
import { isRetryable, toStoreError } from './store-error';

/** What every store class takes: a `pg` pool and the schema its tables live in (default `claw`). */
export interface PostgresStoreOptions {
  pool: Pool;
  /** Lower-case SQL identifier; the schema is created when missing. Defaults to `claw`. */
  schema?: string;
}

/** The schema used when none is given. */
export const DEFAULT_SCHEMA = 'claw';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A pool plus the schema holding Claw's tables, migrated once on first use. Shared by every store built on the
 * same pool and schema, so migrations run once per process however many stores there are.
 */
export class ClawDatabase {
  readonly pool: Pool;
  readonly schema: string;
  private migrated: Promise<void> | undefined;

  constructor(pool: Pool, schema: string) {
    this.pool = pool;
    this.schema = schema;
  }

  /** `"schema"."table"`: table names come from this package only, never from callers. */
  table(name: string): string {
    return `"${this.schema}"."${name}"`;
  }

  /**
   * Applies pending migrations (once). A failed attempt is forgotten so the next call tries again.
   * @throws StoreError when the server is unreachable, refuses the login, or the schema is not Claw's.
   */
  ready(): Promise<void> {
    this.migrated ??= migrate(this.pool, this.schema).catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    return this.migrated;
  }

  /** Runs one statement after migrations. @throws StoreError describing the failure and what to do. */
  async query<Row extends QueryResultRow>(action: string, sql: string, params: unknown[] = []): Promise<Row[]> {
    await this.ready();
    try {
      return (await this.pool.query<Row>(sql, params)).rows;
    } catch (error) {
      throw toStoreError(error, action);
    }
  }

  /**
   * Runs `body` in one transaction, repeating it on deadlock or serialization failure (at most 5 times).
   * A throw inside `body` rolls everything back, so no partial write survives an error or a crash.
   * @throws StoreError for database failures; errors thrown by `body` itself pass through.
   */
  async transaction<T>(action: string, body: (client: PoolClient) => Promise<T>): Promise<T> {
    await this.ready();
    for (let attempt = 1; ; attempt++) {
      let client: PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        throw toStoreError(error, action);
      }
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await body(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        if (attempt < 5 && isRetryable(error)) continue;
        throw toStoreError(error, action);
      } finally {
        client.release(broken);
      }
    }
  }
}

const databases = new WeakMap<Pool, Map<string, ClawDatabase>>();

/**
 * The shared {@link ClawDatabase} of a pool and schema.
 * @throws InvalidArgumentError when the schema is not a plain lower-case identifier.
 */
export function clawDatabase(options: PostgresStoreOptions): ClawDatabase {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new InvalidArgumentError(
      `Schema name ${JSON.stringify(schema)} is not allowed: use lower-case letters, digits and underscores, starting with a letter or underscore (at most 63 characters).`,
    );
  }
  if (!options.pool || typeof (options.pool as Partial<Pool>).query !== 'function') {
    throw new InvalidArgumentError('Pass a pg Pool as `pool` (new Pool({ connectionString })).');
  }
  let bySchema = databases.get(options.pool);
  if (!bySchema) databases.set(options.pool, (bySchema = new Map()));
  let database = bySchema.get(schema);
  if (!database) bySchema.set(schema, (database = new ClawDatabase(options.pool, schema)));
  return database;
}

/** pg returns bigint and numeric columns as strings; this reads them back as numbers. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

/** Reads an optional bigint column: NULL stays undefined. */
export function toOptionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}
