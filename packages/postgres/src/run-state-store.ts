import { InvalidArgumentError, type RunState, type RunStateStore } from '@claw/core';
import { clawDatabase, type ClawDatabase, type PostgresStoreOptions } from './database';

/** {@link RunStateStore} on PostgreSQL: any replica can resume a run another one suspended. */
export class PostgresRunStateStore implements RunStateStore {
  private readonly db: ClawDatabase;

  /** @throws InvalidArgumentError for a bad schema name or a missing pool. */
  constructor(options: PostgresStoreOptions) {
    this.db = clawDatabase(options);
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
      [state.runId, JSON.stringify(state), Date.now()],
    );
  }

  /** The saved state, or undefined. @throws StoreError when the database fails. */
  async load(runId: string): Promise<RunState | undefined> {
    const rows = await this.db.query<{ state: string }>(
      'loading a run state',
      `SELECT state FROM ${this.db.table('run_states')} WHERE run_id = $1`,
      [runId],
    );
    return rows[0] ? (JSON.parse(rows[0].state) as RunState) : undefined;
  }

  /** Removes a saved state; deleting an unknown id does nothing. @throws StoreError when the database fails. */
  async delete(runId: string): Promise<void> {
    await this.db.query('deleting a run state', `DELETE FROM ${this.db.table('run_states')} WHERE run_id = $1`, [runId]);
  }
}
