import {
  decideReservation,
  type BudgetReservation,
  type BudgetReservationRequest,
  type BudgetStore,
  type BudgetUsage,
} from './budget-store';

interface Entry {
  at: number;
  tokens: number;
  costUsd: number;
}

/**
 * A `BudgetStore` in process memory. `reserve` runs without awaiting between reading usage and writing the
 * reservation, so concurrent runs in one process can never overspend a shared budget.
 */
export class InMemoryBudgetStore implements BudgetStore {
  /** Entries per limit key, in reservation order; one entry object is shared by all keys of a reservation. */
  private readonly byKey = new Map<string, Entry[]>();
  private readonly byId = new Map<string, { entry?: Entry; settled?: boolean; result: BudgetReservation }>();
  private readonly windows = new Map<string, number>();

  async reserve(request: BudgetReservationRequest): Promise<BudgetReservation> {
    const previous = this.byId.get(request.id);
    if (previous) return previous.result;
    const result = decideReservation(request, (limit) => this.usageNow(limit.key, limit.windowMs, request.at));
    if (!result.granted) {
      this.byId.set(request.id, { result });
      return result;
    }
    const entry: Entry = { at: request.at, tokens: result.tokens, costUsd: result.costUsd };
    for (const limit of request.limits) {
      let list = this.byKey.get(limit.key);
      if (!list) this.byKey.set(limit.key, (list = []));
      list.push(entry);
      this.windows.set(limit.key, Math.max(this.windows.get(limit.key) ?? 0, limit.windowMs));
      if (list.length > 4096) this.prune(limit.key, list, request.at);
    }
    this.byId.set(request.id, { entry, result });
    return result;
  }

  async settle(id: string, actual: BudgetUsage): Promise<void> {
    const reservation = this.byId.get(id);
    const entry = reservation?.entry;
    if (!reservation || !entry) return;
    reservation.settled = true;
    entry.tokens = actual.tokens;
    entry.costUsd = actual.costUsd;
  }

  async usage(key: string, windowMs: number, at: number): Promise<BudgetUsage> {
    return this.usageNow(key, windowMs, at);
  }

  private usageNow(key: string, windowMs: number, at: number): BudgetUsage {
    let tokens = 0;
    let costUsd = 0;
    for (const entry of this.byKey.get(key) ?? []) {
      if (entry.at > at - windowMs && entry.at <= at) {
        tokens += entry.tokens;
        costUsd += entry.costUsd;
      }
    }
    return { tokens, costUsd };
  }

  /** Drops entries older than the key's widest window, so a long-lived process does not grow without bound. */
  private prune(key: string, list: Entry[], at: number): void {
    const horizon = at - (this.windows.get(key) ?? 0);
    const kept = list.filter((entry) => entry.at > horizon);
    list.length = 0;
    list.push(...kept);
    if (this.byId.size > 100_000) {
      for (const [id, value] of this.byId) if (value.settled && value.entry!.at <= horizon) this.byId.delete(id);
    }
  }
}
