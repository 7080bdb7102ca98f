import type Database from 'better-sqlite3';
import { InvalidArgumentError, redactSecrets, secretSealer, type AuditKey, type RunState, type RunStateStore, type SecretSealer } from '@claw/core';
import { parseJsonColumn } from './json-column';
import { storeCall } from './sqlite-errors';

/**
 * A {@link RunStateStore} in a Claw SQLite database: each suspended run is one JSON row keyed by run id. Secrets in a
 * state (API keys, tokens, passwords in URLs, values of secret-named fields) never reach the file in clear: with the
 * host's `key` they are sealed (AES-256-GCM) and restored on load, so a resumed run is exact; without a key they are
 * redacted, and a resumed run sees `[REDACTED]` where they were.
 */
export class SqliteRunStateStore implements RunStateStore {
  private readonly statements;
  private readonly sealer: SecretSealer | undefined;

  /**
   * Use {@link openClawDatabase}; this constructor expects a migrated database.
   * @throws InvalidArgumentError for a key shorter than 32 bytes.
   */
  constructor(
    db: Database.Database,
    private readonly file: string,
    private readonly clock: () => number = Date.now,
    key?: AuditKey,
  ) {
    this.sealer = key === undefined ? undefined : secretSealer(key);
    this.statements = {
      save: db.prepare(
        `INSERT INTO run_states (run_id, state, suspended_at, saved_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (run_id) DO UPDATE SET state = excluded.state, suspended_at = excluded.suspended_at, saved_at = excluded.saved_at`,
      ),
      load: db.prepare<[string], string>('SELECT state FROM run_states WHERE run_id = ?').pluck(),
      delete: db.prepare('DELETE FROM run_states WHERE run_id = ?'),
    };
  }

  /**
   * Saves (or replaces) a suspended run.
   * @throws InvalidArgumentError when the state has no run id or is not JSON-serialisable; StoreError when SQLite fails.
   */
  async save(state: RunState): Promise<void> {
    if (typeof state?.runId !== 'string' || state.runId === '') throw new InvalidArgumentError('A run state needs a non-empty runId.');
    let json: string;
    try {
      json = JSON.stringify(this.sealer ? this.sealer.seal(state) : redactSecrets(state));
    } catch (error) {
      throw new InvalidArgumentError(`A run state must be JSON-serialisable: ${(error as Error).message}`);
    }
    storeCall(this.file, 'save a run state', () => this.statements.save.run(state.runId, json, state.suspendedAt ?? this.clock(), this.clock()));
  }

  /** The saved state of a run, or undefined. @throws StoreError when SQLite fails or the row is not valid JSON. */
  async load(runId: string): Promise<RunState | undefined> {
    const json = storeCall(this.file, 'load a run state', () => this.statements.load.get(runId));
    if (json === undefined) return undefined;
    const state = parseJsonColumn<RunState>(json, 'run state');
    return this.sealer ? this.sealer.unseal(state) : state;
  }

  /** Removes a run's state; unknown ids are ignored. @throws StoreError when SQLite fails. */
  async delete(runId: string): Promise<void> {
    storeCall(this.file, 'delete a run state', () => this.statements.delete.run(runId));
  }
}
