import type Database from 'better-sqlite3';
import {
  InvalidArgumentError,
  type BudgetReservation,
  type BudgetReservationRequest,
  type BudgetStore,
  type BudgetUsage,
} from '@claw/core';
import { decideReservation } from '@claw/core/store-kit';
import { parseJsonColumn } from './json-column';
import { storeCall } from './sqlite-errors';

// A refusal reports `Infinity` for an unlimited dimension; JSON has no spelling for it, so it is tagged.
const encode = (result: BudgetReservation) =>
  JSON.stringify(result, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? { $number: String(value) } : value));
const decode = (text: string) =>
  parseJsonColumn<BudgetReservation>(text, 'budget reservation', (_key, value) =>
    value !== null && typeof value === 'object' && typeof (value as { $number?: unknown }).$number === 'string'
      ? Number((value as { $number: string }).$number)
      : value,
  );

function assertRequest(request: BudgetReservationRequest): void {
  if (typeof request?.id !== 'string' || request.id === '') throw new InvalidArgumentError('A budget reservation needs a non-empty id.');
  if (!Array.isArray(request.limits)) throw new InvalidArgumentError('A budget reservation needs a `limits` array.');
  if (!Number.isFinite(request.at)) throw new InvalidArgumentError('A budget reservation needs a finite `at` (ms since the epoch).');
}

/**
 * A {@link BudgetStore} in a Claw SQLite database. `reserve` reads usage and writes the reservation inside one
 * immediate transaction, which holds SQLite's write lock: concurrent callers, in this process or any other process
 * sharing the file, are serialised and can never together exceed a limit.
 */
export class SqliteBudgetStore implements BudgetStore {
  private readonly usageStatement: Database.Statement<[string, number, number], { tokens: number; costUsd: number }>;
  private readonly reserveTransaction: Database.Transaction<(request: BudgetReservationRequest) => BudgetReservation>;
  private readonly settleTransaction: Database.Transaction<(id: string, actual: BudgetUsage) => void>;

  /** Use {@link openClawDatabase}; this constructor expects a migrated database. */
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {
    // The window ends at `at` and reaches back `windowMs`: (at - windowMs, at].
    this.usageStatement = db.prepare(
      'SELECT TOTAL(tokens) AS tokens, TOTAL(cost_usd) AS costUsd FROM budget_entries WHERE key = ? AND at > ? AND at <= ?',
    );
    const findReservation = db.prepare<[string], { result: string }>('SELECT result FROM budget_reservations WHERE id = ?');
    const insertReservation = db.prepare('INSERT INTO budget_reservations (id, at, result, granted) VALUES (?, ?, ?, ?)');
    const insertEntry = db.prepare('INSERT OR IGNORE INTO budget_entries (reservation_id, key, at, tokens, cost_usd) VALUES (?, ?, ?, ?, ?)');
    const newestUse = db.prepare<[string], { at: number | null }>('SELECT MAX(at) AS at FROM budget_entries WHERE key = ?');
    this.reserveTransaction = db.transaction((request: BudgetReservationRequest) => {
      const previous = findReservation.get(request.id);
      if (previous) return decode(previous.result);
      const keys = [...new Set(request.limits.map((limit) => limit.key))];
      // Stamped under the write lock: a request stamped before it waited for the lock is moved up to the newest
      // use of its keys, so use another process stamped later is never outside the window it is compared against.
      let at = request.at;
      for (const key of keys) at = Math.max(at, newestUse.get(key)?.at ?? at);
      const result = decideReservation(request, (limit) => this.usedIn(limit.key, limit.windowMs, at));
      insertReservation.run(request.id, at, encode(result), result.granted ? 1 : 0);
      if (result.granted) {
        for (const key of keys) insertEntry.run(request.id, key, at, result.tokens, result.costUsd);
      }
      return result;
    });
    const markSettled = db.prepare('UPDATE budget_reservations SET settled = 1 WHERE id = ? AND granted = 1');
    const settleEntries = db.prepare('UPDATE budget_entries SET tokens = ?, cost_usd = ? WHERE reservation_id = ?');
    this.settleTransaction = db.transaction((id: string, actual: BudgetUsage) => {
      if (markSettled.run(id).changes === 0) return;
      settleEntries.run(actual.tokens, actual.costUsd, id);
    });
  }

  /**
   * Reserves room for one model call, atomically across processes; the same id twice returns the first result.
   * @throws InvalidArgumentError for a malformed request; StoreError when SQLite fails (nothing is reserved).
   */
  async reserve(request: BudgetReservationRequest): Promise<BudgetReservation> {
    assertRequest(request);
    return storeCall(this.file, 'reserve budget', () => this.reserveTransaction.immediate(request));
  }

  /** Replaces a granted reservation with what the call used. Unknown and refused ids are ignored. @throws StoreError when SQLite fails. */
  async settle(id: string, actual: BudgetUsage): Promise<void> {
    if (!Number.isFinite(actual?.tokens) || !Number.isFinite(actual?.costUsd)) {
      throw new InvalidArgumentError('settle() needs finite `tokens` and `costUsd`.');
    }
    storeCall(this.file, 'settle a budget reservation', () => this.settleTransaction.immediate(id, actual));
  }

  /** Tokens and cost used (settled plus reserved) for a key over the window ending at `at`. @throws StoreError when SQLite fails. */
  async usage(key: string, windowMs: number, at: number): Promise<BudgetUsage> {
    return storeCall(this.file, 'read budget usage', () => this.usedIn(key, windowMs, at));
  }

  /**
   * Deletes reservations made before `before`. Call it now and then with a time older than your widest budget
   * window; usage inside any window is unaffected. Returns how many reservations were removed.
   * @throws StoreError when SQLite fails.
   */
  async prune(before: number): Promise<number> {
    return storeCall(this.file, 'prune budget reservations', () =>
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM budget_entries WHERE reservation_id IN (SELECT id FROM budget_reservations WHERE at < ?)').run(before);
        return this.db.prepare('DELETE FROM budget_reservations WHERE at < ?').run(before).changes;
      }).immediate(),
    );
  }

  private usedIn(key: string, windowMs: number, at: number): BudgetUsage {
    const row = this.usageStatement.get(key, at - windowMs, at)!;
    return { tokens: row.tokens, costUsd: row.costUsd };
  }
}
