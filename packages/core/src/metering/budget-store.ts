/** A limit over a rolling window. At least one of `maxTokens` / `maxCostUsd` is set. */
export interface BudgetLimit {
  /** What the limit applies to, e.g. `principal:priya`, `skill:email`, `trigger:dream`. */
  key: string;
  windowMs: number;
  maxTokens?: number;
  maxCostUsd?: number;
}

/** A request to reserve room for one model call before making it. */
export interface BudgetReservationRequest {
  /** Unique id; settling uses it. Reserving the same id twice returns the first result. */
  id: string;
  limits: readonly BudgetLimit[];
  inputTokens: number;
  inputCostUsd: number;
  /** The output limit the caller would like. */
  maxOutputTokens: number;
  outputCostPerTokenUsd: number;
  /** The smallest output limit worth making the call for (at least 1). */
  minOutputTokens: number;
  at: number;
}

/** What is already used (settled plus still reserved) against one limit key in its window. */
export interface BudgetUsage {
  tokens: number;
  costUsd: number;
}

/** Outcome of a reservation: granted with a possibly clamped output limit, or refused by one limit. */
export type BudgetReservation =
  | { granted: true; id: string; outputTokens: number; tokens: number; costUsd: number }
  | { granted: false; id: string; limit: BudgetLimit; remainingTokens: number; remainingCostUsd: number };

/**
 * Shared state behind budgets. `reserve` must be atomic with respect to every other `reserve` on the same keys,
 * across processes for durable stores: concurrent callers can never together exceed a limit.
 * Implementations compute the decision with {@link decideReservation} so all stores agree.
 */
export interface BudgetStore {
  /** Atomically grants (possibly clamping the output limit) or refuses room for one call, decided by {@link decideReservation}. */
  reserve(request: BudgetReservationRequest): Promise<BudgetReservation>;
  /** Replaces the reservation with what the call really used; the rest is released. Unknown ids are ignored. */
  settle(id: string, actual: BudgetUsage): Promise<void>;
  /** Used tokens and cost for a key over the window ending at `at`. */
  usage(key: string, windowMs: number, at: number): Promise<BudgetUsage>;
}

/**
 * The reservation rule, shared by every store: refuse when a limit cannot cover the input plus the minimum
 * output; otherwise grant the requested output clamped to what the tightest limit leaves.
 * @param used what each limit key has already used in its window (settled + reserved)
 */
export function decideReservation(
  request: BudgetReservationRequest,
  used: (limit: BudgetLimit) => BudgetUsage,
): BudgetReservation {
  let outputTokens = request.maxOutputTokens;
  for (const limit of request.limits) {
    const u = used(limit);
    const remainingTokens = limit.maxTokens === undefined ? Infinity : limit.maxTokens - u.tokens;
    const remainingCostUsd = limit.maxCostUsd === undefined ? Infinity : limit.maxCostUsd - u.costUsd;
    let allowed = remainingTokens - request.inputTokens;
    if (limit.maxCostUsd !== undefined) {
      const costRoom = remainingCostUsd - request.inputCostUsd;
      allowed = Math.min(
        allowed,
        request.outputCostPerTokenUsd > 0 ? Math.floor(costRoom / request.outputCostPerTokenUsd) : costRoom >= 0 ? Infinity : -1,
      );
    }
    if (allowed < request.minOutputTokens) {
      return { granted: false, id: request.id, limit, remainingTokens, remainingCostUsd };
    }
    outputTokens = Math.min(outputTokens, Math.floor(allowed));
  }
  return {
    granted: true,
    id: request.id,
    outputTokens,
    tokens: request.inputTokens + outputTokens,
    costUsd: request.inputCostUsd + outputTokens * request.outputCostPerTokenUsd,
  };
}
