import type Database from 'better-sqlite3';
import { InvalidArgumentError, type RunState, type RunStateStore } from '@claw/core';
import { parseJsonColumn } from './json-column';
import { storeCall } from './sqlite-errors';

/** A {@link RunStateStore} in a Claw SQLite database: each suspended run is one JSON row keyed by run id. */
export class SqliteRunStateStore implements RunStateStore {
  private readonly statements;

  /** Use {@link openClawDatabase}; this constructor expects a migrated database. */
  constructor(
    db: Database.Database,
    private readonly file: string,
    private readonly clock: () => number = Date.now,
  ) {
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
      json = JSON.stringify(state);
    } catch (error) {
      throw new InvalidArgumentError(`A run state must be JSON-serialisable: ${(error as Error).message}`);
    }
    storeCall(this.file, 'save a run state', () => this.statements.save.run(state.runId, json, state.suspendedAt ?? this.clock(), this.clock()));
  }

  /** The saved state of a run, or undefined. @throws StoreError when SQLite fails or the row is not valid JSON. */
  async load(runId: string): Promise<RunState | undefined> {
    const json = storeCall(this.file, 'load a run state', () => this.statements.load.get(runId));
    return json === undefined ? undefined : parseJsonColumn<RunState>(json, 'run state');
  }

  /** Removes a run's state; unknown ids are ignored. @throws StoreError when SQLite fails. */
  async delete(runId: string): Promise<void> {
    storeCall(this.file, 'delete a run state', () => this.statements.delete.run(runId));
  }
}
