import {
  BudgetExceededError,
  Meter,
  USAGE_CATEGORIES,
  sleep,
  type BudgetStore,
  type GenerateRequest,
  type GenerateResponse,
  type ModelProvider,
  type UsageFlag,
} from '@claw/core';

/** What one process of a budget contention test does: see {@link contendForBudget}. */
export interface BudgetContentionOptions {
  /** The shared store (each process opens its own handle on the same database). */
  store: BudgetStore;
  /** Names this process's runs, so ids never collide across processes. */
  name: string;
  /** Metered calls to make, `lanes` at a time. */
  calls: number;
  lanes: number;
  /** The shared budget: one principal's tokens over a window. */
  maxTokens: number;
  windowMs: number;
  /** This process's clock runs this far behind (replicas' clocks differ; a stamp can be older than another's). */
  clockSkewMs: number;
  /** The provider reports this multiple of what the call could produce (1 = honest, at the output limit). Default 1. */
  overReport?: number;
}

/** One granted call, as the process saw it. */
export interface ContendedCall {
  id: string;
  /** Tokens the record counted (and settled against the budget). */
  totalTokens: number;
  /** Estimated input plus the output limit sent: what the reservation held. */
  reservedTokens: number;
  flags: UsageFlag[];
}

/** What {@link contendForBudget} returns: every granted call and how many were refused. */
export interface BudgetContentionResult {
  granted: ContendedCall[];
  refused: number;
}

/**
 * Makes `calls` metered model calls against one shared budget through a real {@link Meter}, the way replicas of a
 * service do: each call is stamped by this process's (skewed) clock before it reserves, the model takes a few
 * milliseconds, and reports as much output as the clamped limit allows (times `overReport`). Run it in several
 * processes on one durable store; together their granted calls must never settle more than the budget, except by
 * what providers reported beyond a reservation, and every such call must be flagged `over-reservation`.
 */
export async function contendForBudget(options: BudgetContentionOptions): Promise<BudgetContentionResult> {
  const meter = new Meter({
    budgets: [{ per: 'principal', windowMs: options.windowMs, maxTokens: options.maxTokens }],
    budgetStore: options.store,
    clock: () => Date.now() - options.clockSkewMs,
    telemetry: false,
  });
  const factor = options.overReport ?? 1;
  // The output limit each call was sent (after the budget clamped it), by its question.
  const sentLimits = new Map<string, number>();
  const model: ModelProvider = {
    provider: 'contention',
    model: 'gpt-4o-mini',
    async generate(request: GenerateRequest): Promise<GenerateResponse> {
      await sleep(1 + Math.floor(Math.random() * 4));
      const { counts } = meter.conversationCounter('gpt-4o-mini').measure(request.messages, request.tools);
      const input = USAGE_CATEGORIES.reduce((n, category) => n + counts[category], 0);
      const output = request.maxOutputTokens ?? 0;
      sentLimits.set(request.messages.at(-1)!.content, output);
      return { text: 'ok', toolCalls: [], finishReason: 'length', usage: { inputTokens: Math.ceil(input * factor), outputTokens: Math.ceil(output * factor) } };
    },
  };
  const granted: ContendedCall[] = [];
  let refused = 0;
  let next = 0;
  const lane = async () => {
    while (next < options.calls) {
      const i = next++;
      const question = `Summarise ticket ${options.name}-${i}`;
      const request: GenerateRequest = { messages: [{ role: 'user', content: question }], tools: [], maxOutputTokens: 300 };
      try {
        const { record } = await meter.generate(model, request, {
          runId: `${options.name}-${i}`,
          step: 1,
          attempt: 1,
          principal: { id: 'priya' },
          trigger: 'user',
          skills: [],
        });
        // The reservation held the input estimate and the output limit that was sent.
        granted.push({ id: record.id, totalTokens: record.totalTokens, reservedTokens: record.estimatedInputTokens + sentLimits.get(question)!, flags: record.flags ?? [] });
      } catch (error) {
        if (!(error instanceof BudgetExceededError)) throw error;
        refused++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.lanes }, lane));
  return { granted, refused };
}
