import { InvalidArgumentError, redactSecrets, secretSealer, type AuditKey, type RunState, type RunStateStore, type SecretSealer } from '@claw/core';
import { clawDatabase, type ClawDatabase, type PostgresStoreOptions } from './database';

/** Options of {@link PostgresRunStateStore}. */
export interface PostgresRunStateStoreOptions extends PostgresStoreOptions {
  /** The host's secret (at least 32 bytes): secrets in saved states are encrypted under it. Without it they are redacted. */
  key?: AuditKey;
}

/**
 * {@link RunStateStore} on PostgreSQL: any replica can resume a run another one suspended. Secrets in a state (API
 * keys, tokens, passwords in URLs, values of secret-named fields) never reach the database in clear: with `key` they
 * are sealed (AES-256-GCM) and restored on load, so a resumed run is exact; without it they are redacted.
 */
export class PostgresRunStateStore implements RunStateStore {
  private readonly db: ClawDatabase;
  private readonly sealer: SecretSealer | undefined;

  /** @throws InvalidArgumentError for a bad schema name, a missing pool or a short key. */
  constructor(options: PostgresRunStateStoreOptions) {
    this.db = clawDatabase(options);
    this.sealer = options.key === undefined ? undefined : secretSealer(options.key);
  }

  /** Saves (or replaces) a suspended run. @throws InvalidArgumentError without a runId; StoreError when the database fails. */
  async save(state: RunState): Promise<void> {
    if (!state || typeof state.runId !== 'string' || state.runId.length === 0) {
      throw new InvalidArgumentError('A run state needs a non-empty string runId.');
    }
    await this.db.query(
      'saving a run state',
      `INSERT INTO ${this.db.table('run_states')} (run_id, state, saved_at) VALUES ($1, $2, $3)
       ON CONFLICT (run_id) DO UPDATE SET state = EXCLUDED.state, saved_at = EXCLUDED.saved_at`,
      [state.runId, JSON.stringify(this.sealer ? this.sealer.seal(state) : redactSecrets(state)), Date.now()],
    );
  }

  /** The saved state, or undefined. @throws StoreError when the database fails. */
  async load(runId: string): Promise<RunState | undefined> {
    const rows = await this.db.query<{ state: string }>(
      'loading a run state',
      `SELECT state FROM ${this.db.table('run_states')} WHERE run_id = $1`,
      [runId],
    );
    if (!rows[0]) return undefined;
    const state = JSON.parse(rows[0].state) as RunState;
    return this.sealer ? this.sealer.unseal(state) : state;
  }

  /** Removes a saved state; deleting an unknown id does nothing. @throws StoreError when the database fails. */
  async delete(runId: string): Promise<void> {
    await this.db.query('deleting a run state', `DELETE FROM ${this.db.table('run_states')} WHERE run_id = $1`, [runId]);
  }
}
