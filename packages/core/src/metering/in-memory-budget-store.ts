import {
  decideReservation,
  type BudgetReservation,
  type BudgetReservationRequest,
  type BudgetStore,
  type BudgetUsage,
} from './budget-store';

/** One reservation; shared by the windows of all the keys it counts against. */
interface Entry {
  at: number;
  tokens: number;
  costUsd: number;
  windows: KeyWindow[];
}

/**
 * The entries of one key in time order, with running sums over those still inside the key's window: `head` moves
 * past expired entries as time goes on, so a reservation costs O(1) amortised, not O(entries). Older entries stay
 * (for `usage` over longer windows) until they are older than {@link RETAIN_MS}.
 */
interface KeyWindow {
  windowMs: number;
  entries: Entry[];
  head: number;
  /** The latest time the running sums were moved to: they hold the entries after `evictedAt - windowMs`. */
  evictedAt: number;
  tokens: number;
  costUsd: number;
}

/** Reservation ids remembered for idempotent retries before the oldest settled ones are forgotten. */
const MAX_REMEMBERED = 10_000;

/** History kept for `usage` queries over windows longer than a key's own: 31 days, or the window if longer. */
const RETAIN_MS = 31 * 86_400_000;

/**
 * A `BudgetStore` in process memory. `reserve` runs without awaiting between reading usage and writing the
 * reservation, so concurrent runs in one process can never overspend a shared budget.
 */
export class InMemoryBudgetStore implements BudgetStore {
  private readonly keys = new Map<string, KeyWindow>();
  private readonly reservations = new Map<string, { entry?: Entry; settled?: boolean; result: BudgetReservation }>();

  async reserve(request: BudgetReservationRequest): Promise<BudgetReservation> {
    const previous = this.reservations.get(request.id);
    if (previous) return previous.result;
    // Stamped here, where the decision is made: a request stamped before it waited is moved up to the newest use
    // of its keys, so use stamped later but decided earlier is never outside the window it is compared against.
    const at = this.stampOf(request);
    const result = decideReservation(request, (limit) => this.usageNow(limit.key, limit.windowMs, at, true));
    if (!result.granted) {
      this.reservations.set(request.id, { result });
      return result;
    }
    const entry: Entry = { at, tokens: result.tokens, costUsd: result.costUsd, windows: [] };
    for (const limit of request.limits) {
      const window = this.window(limit.key, limit.windowMs);
      if (entry.windows.includes(window)) continue;
      window.entries.push(entry);
      window.tokens += entry.tokens;
      window.costUsd += entry.costUsd;
      entry.windows.push(window);
    }
    this.reservations.set(request.id, { entry, result });
    return result;
  }

  /** The time a reservation is counted at: its own, or the newest use of any of its keys when that is later. */
  private stampOf(request: BudgetReservationRequest): number {
    let at = request.at;
    for (const limit of request.limits) {
      const window = this.keys.get(limit.key);
      const newest = window?.entries.at(-1)?.at;
      if (newest !== undefined && newest > at) at = newest;
      if (window && window.evictedAt > at) at = window.evictedAt;
    }
    return at;
  }

  async settle(id: string, actual: BudgetUsage): Promise<void> {
    const reservation = this.reservations.get(id);
    const entry = reservation?.entry;
    if (!reservation || !entry) return;
    reservation.settled = true;
    if (this.reservations.size > MAX_REMEMBERED) this.forgetOldest();
    for (const window of entry.windows) {
      // An entry that has already left a window's running sums is only counted there by scans.
      if (entry.at <= window.evictedAt - window.windowMs) continue;
      window.tokens += actual.tokens - entry.tokens;
      window.costUsd += actual.costUsd - entry.costUsd;
    }
    entry.tokens = actual.tokens;
    entry.costUsd = actual.costUsd;
  }

  /**
   * Forgets the oldest settled reservations and refusals (their usage stays counted in the windows): the ids are
   * kept only so that a retried `reserve` with the same id returns the same result, which happens within moments.
   */
  private forgetOldest(): void {
    let budget = MAX_REMEMBERED / 10;
    for (const [id, reservation] of this.reservations) {
      if (budget-- <= 0) break;
      if (reservation.settled || !reservation.entry) this.reservations.delete(id);
    }
  }

  async usage(key: string, windowMs: number, at: number): Promise<BudgetUsage> {
    return this.usageNow(key, windowMs, at, false);
  }

  private window(key: string, windowMs: number): KeyWindow {
    let window = this.keys.get(key);
    if (!window) {
      window = { windowMs, entries: [], head: 0, evictedAt: -Infinity, tokens: 0, costUsd: 0 };
      this.keys.set(key, window);
    }
    if (windowMs > window.windowMs) {
      // A longer window than before: rebuild the running sums from the retained entries.
      window.windowMs = windowMs;
      window.head = 0;
      window.tokens = 0;
      window.costUsd = 0;
      for (const entry of window.entries) {
        if (entry.at <= window.evictedAt - windowMs) window.head++;
        else {
          window.tokens += entry.tokens;
          window.costUsd += entry.costUsd;
        }
      }
    }
    return window;
  }

  /**
   * Use of a key in `(at - windowMs, at]`. Reservations (`advance`) move the running sums forward to their time;
   * a plain query reads them only when it asks about that same moment, and otherwise scans, so asking about the
   * future or the past never moves the sums.
   */
  private usageNow(key: string, windowMs: number, at: number, advance: boolean): BudgetUsage {
    const window = this.keys.get(key);
    if (!window) return { tokens: 0, costUsd: 0 };
    const last = window.entries.at(-1);
    if (windowMs === window.windowMs && (last === undefined || last.at <= at) && (advance ? at >= window.evictedAt : at === window.evictedAt)) {
      if (advance) this.evict(window, at);
      return { tokens: window.tokens, costUsd: window.costUsd };
    }
    let tokens = 0;
    let costUsd = 0;
    for (let i = 0; i < window.entries.length; i++) {
      const entry = window.entries[i]!;
      if (entry.at > at - windowMs && entry.at <= at) {
        tokens += entry.tokens;
        costUsd += entry.costUsd;
      }
    }
    return { tokens, costUsd };
  }

  /** Moves the running sums past entries that have left the key's window; forgets entries past retention. */
  private evict(window: KeyWindow, at: number): void {
    window.evictedAt = at;
    const horizon = at - window.windowMs;
    while (window.head < window.entries.length && window.entries[window.head]!.at <= horizon) {
      const old = window.entries[window.head++]!;
      window.tokens -= old.tokens;
      window.costUsd -= old.costUsd;
    }
    const retain = at - Math.max(RETAIN_MS, window.windowMs);
    if (window.head > 1024 && window.entries[0]!.at <= retain) {
      let drop = 0;
      while (drop < window.head && window.entries[drop]!.at <= retain) drop++;
      window.entries.splice(0, drop);
      window.head -= drop;
    }
  }
}
