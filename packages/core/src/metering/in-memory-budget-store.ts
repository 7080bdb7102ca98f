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
    const result = decideReservation(request, (limit) => this.usageNow(limit.key, limit.windowMs, request.at));
    if (!result.granted) {
      this.reservations.set(request.id, { result });
      return result;
    }
    const entry: Entry = { at: request.at, tokens: result.tokens, costUsd: result.costUsd, windows: [] };
    for (const limit of request.limits) {
      const window = this.window(limit.key, limit.windowMs);
      // Entries normally arrive in time order; one that does not is inserted in place so eviction stays correct.
      let index = window.entries.length;
      while (index > window.head && window.entries[index - 1]!.at > entry.at) index--;
      if (index === window.entries.length) window.entries.push(entry);
      else window.entries.splice(index, 0, entry);
      window.tokens += entry.tokens;
      window.costUsd += entry.costUsd;
      entry.windows.push(window);
    }
    this.reservations.set(request.id, { entry, result });
    return result;
  }

  async settle(id: string, actual: BudgetUsage): Promise<void> {
    const reservation = this.reservations.get(id);
    const entry = reservation?.entry;
    if (!reservation || !entry) return;
    reservation.settled = true;
    if (this.reservations.size > MAX_REMEMBERED) this.forgetOldest();
    for (const window of entry.windows) {
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
    return this.usageNow(key, windowMs, at);
  }

  private window(key: string, windowMs: number): KeyWindow {
    let window = this.keys.get(key);
    if (!window) {
      window = { windowMs, entries: [], head: 0, tokens: 0, costUsd: 0 };
      this.keys.set(key, window);
    }
    window.windowMs = Math.max(window.windowMs, windowMs);
    return window;
  }

  private usageNow(key: string, windowMs: number, at: number): BudgetUsage {
    const window = this.keys.get(key);
    if (!window) return { tokens: 0, costUsd: 0 };
    this.evict(window, at);
    const last = window.entries.at(-1);
    // Fast path: the usual query (this key's window, at or after its newest entry) is the running sum.
    if (windowMs === window.windowMs && (last === undefined || last.at <= at)) return { tokens: window.tokens, costUsd: window.costUsd };
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
