import {
  InvalidArgumentError,
  type BudgetLimit,
  type BudgetReservation,
  type BudgetReservationRequest,
  type BudgetStore,
  type BudgetUsage,
} from '@claw/core';
import { decideReservation } from '@claw/core/store-kit';
import type { PoolClient } from 'pg';
import { clawDatabase, toNumber, type ClawDatabase, type PostgresStoreOptions } from './database';

/**
 * {@link BudgetStore} on PostgreSQL, atomic across processes. A reservation locks one row per budget key
 * (`SELECT … FOR UPDATE`, keys in sorted order so two reservations never deadlock), sums what the window has used,
 * decides with core's {@link decideReservation} and records the reservation, all in one transaction: concurrent
 * reservations on shared keys run one after another, so together they can never exceed a limit.
 */
export class PostgresBudgetStore implements BudgetStore {
  private readonly db: ClawDatabase;

  /** @throws InvalidArgumentError for a bad schema name or a missing pool. */
  constructor(options: PostgresStoreOptions) {
    this.db = clawDatabase(options);
  }

  /**
   * Reserves room for one model call; reserving an id again returns the first result unchanged.
   * @throws InvalidArgumentError for a malformed request; StoreError when the database fails (nothing is reserved).
   */
  async reserve(request: BudgetReservationRequest): Promise<BudgetReservation> {
    validate(request);
    const keys = [...new Set(request.limits.map((limit) => limit.key))].sort();
    return this.db.transaction('reserving budget', async (client) => {
      if (keys.length > 0) {
        await client.query(
          `INSERT INTO ${this.db.table('budget_keys')} (key) SELECT k FROM unnest($1::text[]) AS k ORDER BY k ON CONFLICT (key) DO NOTHING`,
          [keys],
        );
        await client.query(`SELECT key FROM ${this.db.table('budget_keys')} WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE`, [keys]);
      }
      // Checked under the key locks: a concurrent reservation of the same id has committed by now.
      const existing = await client.query<{ result: string }>(
        `SELECT result FROM ${this.db.table('budget_reservations')} WHERE id = $1`,
        [request.id],
      );
      if (existing.rows[0]) return parseReservation(existing.rows[0].result);

      // Stamped under the key locks: a request stamped before it waited for them is moved up to the newest use of
      // its keys, so use another replica stamped later is never outside the window it is compared against.
      const at = await this.stampOf(client, request.at, keys);
      const used = await this.usedByLimit(client, request, at);
      const decision = decideReservation(request, (limit) => used.get(limit) ?? { tokens: 0, costUsd: 0 });
      await client.query(`INSERT INTO ${this.db.table('budget_reservations')} (id, at, result) VALUES ($1, $2, $3)`, [
        request.id,
        at,
        serialiseReservation(decision),
      ]);
      if (decision.granted && keys.length > 0) {
        await client.query(
          `INSERT INTO ${this.db.table('budget_usage')} (reservation_id, key, at, tokens, cost_usd)
           SELECT $1, k, $2, $3, $4 FROM unnest($5::text[]) AS k`,
          [request.id, at, decision.tokens, decision.costUsd, keys],
        );
      }
      return decision;
    });
  }

  /**
   * Replaces a granted reservation's amount with what the call really used, releasing the rest. Unknown and
   * refused ids are ignored. @throws StoreError when the database fails.
   */
  async settle(id: string, actual: BudgetUsage): Promise<void> {
    if (!actual || !Number.isFinite(actual.tokens) || !Number.isFinite(actual.costUsd) || actual.tokens < 0 || actual.costUsd < 0) {
      throw new InvalidArgumentError(`settle() needs non-negative finite tokens and costUsd, got ${JSON.stringify(actual)}.`);
    }
    await this.db.transaction('settling a budget reservation', async (client) => {
      const settled = await client.query(
        `UPDATE ${this.db.table('budget_reservations')} SET settled_at = $2 WHERE id = $1`,
        [id, Date.now()],
      );
      if (settled.rowCount === 0) return;
      await client.query(`UPDATE ${this.db.table('budget_usage')} SET tokens = $2, cost_usd = $3 WHERE reservation_id = $1`, [
        id,
        actual.tokens,
        actual.costUsd,
      ]);
    });
  }

  /** Tokens and cost used (settled plus reserved) by a key in the window `(at - windowMs, at]`. @throws StoreError. */
  async usage(key: string, windowMs: number, at: number): Promise<BudgetUsage> {
    const rows = await this.db.query<{ tokens: number | null; cost_usd: number | null }>(
      'reading budget usage',
      `SELECT sum(tokens) AS tokens, sum(cost_usd) AS cost_usd FROM ${this.db.table('budget_usage')}
       WHERE key = $1 AND at > $2 AND at <= $3`,
      [key, at - windowMs, at],
    );
    return { tokens: toNumber(rows[0]?.tokens), costUsd: toNumber(rows[0]?.cost_usd) };
  }

  /** The later of `at` and the newest use of any of `keys` (one index lookup per key). */
  private async stampOf(client: PoolClient, at: number, keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return at;
    const { rows } = await client.query<{ at: number | null }>(
      `SELECT max(newest) AS at FROM unnest($1::text[]) AS k(key),
         LATERAL (SELECT max(u.at) AS newest FROM ${this.db.table('budget_usage')} u WHERE u.key = k.key) AS n`,
      [keys],
    );
    const newest = rows[0]?.at;
    return newest !== null && newest !== undefined && Number(newest) > at ? Number(newest) : at;
  }

  /** What each limit's key has used in the limit's own window ending at `at`, in one statement. */
  private async usedByLimit(
    client: PoolClient,
    request: BudgetReservationRequest,
    at: number,
  ): Promise<Map<BudgetLimit, BudgetUsage>> {
    const used = new Map<BudgetLimit, BudgetUsage>();
    if (request.limits.length === 0) return used;
    const { rows } = await client.query<{ i: number; tokens: number | null; cost_usd: number | null }>(
      `SELECT l.i::int AS i, sum(u.tokens) AS tokens, sum(u.cost_usd) AS cost_usd
       FROM unnest($1::text[], $2::double precision[]) WITH ORDINALITY AS l(key, window_ms, i)
       LEFT JOIN ${this.db.table('budget_usage')} u ON u.key = l.key AND u.at > $3::double precision - l.window_ms AND u.at <= $3
       GROUP BY l.i`,
      [request.limits.map((limit) => limit.key), request.limits.map((limit) => limit.windowMs), at],
    );
    for (const row of rows) {
      const limit = request.limits[row.i - 1]!;
      used.set(limit, { tokens: toNumber(row.tokens), costUsd: toNumber(row.cost_usd) });
    }
    return used;
  }
}

/** JSON has no Infinity, and a refusal's remaining tokens or cost is Infinity when the limit does not cap it. */
const UNBOUNDED_FIELDS = new Set(['remainingTokens', 'remainingCostUsd']);

function serialiseReservation(reservation: BudgetReservation): string {
  return JSON.stringify(reservation, (key, value: unknown) =>
    UNBOUNDED_FIELDS.has(key) && typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );
}

function parseReservation(text: string): BudgetReservation {
  return JSON.parse(text, (key, value: unknown) => (UNBOUNDED_FIELDS.has(key) && typeof value === 'string' ? Number(value) : value)) as BudgetReservation;
}

function validate(request: BudgetReservationRequest): void {
  const problem = (what: string) => new InvalidArgumentError(`Budget reservation request is malformed: ${what}.`);
  if (!request || typeof request.id !== 'string' || request.id.length === 0) throw problem('id must be a non-empty string');
  if (!Array.isArray(request.limits)) throw problem('limits must be an array');
  for (const limit of request.limits) {
    if (!limit || typeof limit.key !== 'string' || limit.key.length === 0) throw problem('every limit needs a key');
    if (!Number.isFinite(limit.windowMs) || limit.windowMs <= 0) throw problem(`limit "${limit.key}" needs a positive windowMs`);
  }
  for (const field of ['inputTokens', 'inputCostUsd', 'maxOutputTokens', 'outputCostPerTokenUsd', 'minOutputTokens', 'at'] as const) {
    if (!Number.isFinite(request[field])) throw problem(`${field} must be a finite number`);
  }
}
