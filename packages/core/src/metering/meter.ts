import { AbortedError, BudgetExceededError, ClawError, InvalidArgumentError, ModelError } from '../errors';
import type { GenerateRequest, GenerateResponse, ModelProvider } from '../model/model-provider';
import type { BudgetLimit, BudgetStore } from './budget-store';
import { limitsForCall, type BudgetRule, type CallAttribution } from './budget-rules';
import { answeredArguments, ConversationCounter, FORMULA_VERSION, toolCallTokens } from './conversation-counter';
import { judgeReport } from './report-plausibility';
import { InMemoryBudgetStore } from './in-memory-budget-store';
import { encodingForModel, type EncodingChoice } from './model-encodings';
import { explainUsage } from './explain-usage';
import { exportUsageTelemetry } from './telemetry';
import { DEFAULT_PRICE_TABLE, findPrice, priceCall, type PriceTable } from './price-table';
import { tokenCounter } from './tokenizer';
import type { UsageLedger } from './usage-ledger';
import type { CallStatus, CategoryCounts, UsageFlag, UsageRecord } from './usage-record';

/** Options for {@link Meter}. */
export interface MeterOptions {
  /** Where records go; without one, records are only emitted. */
  ledger?: UsageLedger;
  /** Budgets checked before every call. */
  budgets?: readonly BudgetRule[];
  /** Shared budget state (use a durable store for many processes). Default: in memory. */
  budgetStore?: BudgetStore;
  prices?: PriceTable;
  /** Output limit when a request sets none. Default 4096. */
  defaultMaxOutputTokens?: number;
  /** Called with each record after it is appended (the agent emits its `usage` event from here). */
  onRecord?: (record: UsageRecord) => void;
  /** Current time in ms since epoch, for record timestamps and budget windows. Default `Date.now`. */
  clock?: () => number;
  /** Export OpenTelemetry spans and metrics when `@opentelemetry/api` is installed. Default true. */
  telemetry?: boolean;
}

/** Extra per-call settings for {@link Meter.generate}. */
export interface MeteredCallOptions {
  /** Limits on top of the configured rules (a run's own budget, a dream's budget). */
  limits?: readonly BudgetLimit[];
  /** Reuse a run's counter so the conversation is tokenized incrementally. */
  conversation?: ConversationCounter;
  /** How to make the call; defaults to `model.generate(request)` (the agent passes a streaming consumer). */
  invoke?: (request: GenerateRequest) => Promise<GenerateResponse>;
  /** The smallest output limit worth making the call for; a budget that leaves less refuses the call. Default 1. */
  minOutputTokens?: number;
  /** A run's own token cap, checked in process (the run's usage so far travels with it, also across resume). */
  runLimit?: { maxTokens: number; usedTokens: number };
  /** Called with this call's record (including refused and failed ones) after it is appended. */
  onRecord?: (record: UsageRecord) => void;
}

/**
 * Counts every model call by the published formula, reserves budget before it, records it after it — whether it
 * succeeded, failed, was aborted or was refused — and releases what it did not use.
 */
export class Meter {
  readonly ledger: UsageLedger | undefined;
  readonly prices: PriceTable;
  private readonly budgets: readonly BudgetRule[];
  private readonly budgetStore: BudgetStore;
  private readonly defaultMaxOutputTokens: number;
  private readonly onRecord: ((record: UsageRecord) => void) | undefined;
  private readonly clock: () => number;
  private readonly telemetry: boolean;
  private readonly facts = new Map<string, ModelFacts>();
  private readonly limitsCache = new Map<string, readonly BudgetLimit[]>();
  private sequence = 0;

  constructor(options: MeterOptions = {}) {
    for (const rule of options.budgets ?? []) {
      if (rule.maxTokens === undefined && rule.maxCostUsd === undefined) {
        throw new InvalidArgumentError(`Budget rule per ${rule.per} sets neither maxTokens nor maxCostUsd.`);
      }
      if (!(rule.windowMs > 0)) throw new InvalidArgumentError(`Budget rule per ${rule.per} needs a positive windowMs.`);
    }
    this.ledger = options.ledger;
    this.prices = options.prices ?? DEFAULT_PRICE_TABLE;
    this.budgets = options.budgets ?? [];
    this.budgetStore = options.budgetStore ?? new InMemoryBudgetStore();
    this.defaultMaxOutputTokens = options.defaultMaxOutputTokens ?? 4096;
    this.onRecord = options.onRecord;
    this.clock = options.clock ?? Date.now;
    this.telemetry = options.telemetry ?? true;
  }

  /** A new incremental counter for one run's conversation with a model. */
  conversationCounter(model: string): ConversationCounter {
    return new ConversationCounter(tokenCounter(encodingForModel(model).encoding));
  }

  /**
   * Makes one metered model call: estimate the input, reserve input + output limit against every budget (clamping
   * the output limit to what remains), call, record, settle.
   * @throws BudgetExceededError when a budget cannot cover the input (a `refused` record is still written).
   * @throws ModelError / AbortedError from the call (an `error` / `aborted` record is still written).
   */
  async generate(
    model: ModelProvider,
    request: GenerateRequest,
    attribution: CallAttribution,
    options: MeteredCallOptions = {},
  ): Promise<{ response: GenerateResponse; record: UsageRecord }> {
    const at = this.clock();
    const { encoding, fidelity, price } = this.modelFacts(model.model);
    const counter = tokenCounter(encoding);
    const conversation = options.conversation ?? new ConversationCounter(counter);
    const { counts, promptHash, promptSketch } = conversation.measure(request.messages, request.tools);
    const estimatedInput = sumCounts(counts);
    const limits = this.limitsFor(attribution, options.limits);
    const id = `${attribution.runId}:${attribution.step}:${attribution.attempt}`;
    const reservationId = `${id}:${this.sequence++}`;
    const wanted = request.maxOutputTokens ?? this.defaultMaxOutputTokens;
    let callRequest: GenerateRequest = request.maxOutputTokens === wanted ? request : { ...request, maxOutputTokens: wanted };

    const base = {
      id,
      runId: attribution.runId,
      step: attribution.step,
      attempt: attribution.attempt,
      at,
      principalId: attribution.principal.id,
      team: attribution.principal.team,
      skills: attribution.skills as string[],
      trigger: attribution.trigger,
      provider: model.provider,
      model: model.model,
      encoding,
      encodingFidelity: fidelity,
      formulaVersion: FORMULA_VERSION,
      promptHash,
      promptSketch,
      priceId: price?.id ?? 'unpriced',
    };

    const perMTok = price?.price;
    const reservationRequest = {
      id: reservationId,
      limits,
      inputTokens: estimatedInput,
      inputCostUsd: perMTok ? (estimatedInput * perMTok.inputPerMTok) / 1e6 : 0,
      maxOutputTokens: wanted,
      outputCostPerTokenUsd: perMTok ? perMTok.outputPerMTok / 1e6 : 0,
      minOutputTokens: Math.max(1, Math.min(options.minOutputTokens ?? 1, wanted)),
      at,
    };
    if (options.runLimit) {
      // The run's own cap is checked in process: its usage so far travels with the run (also across resume).
      const remaining = options.runLimit.maxTokens - options.runLimit.usedTokens;
      if (remaining - estimatedInput < reservationRequest.minOutputTokens) {
        const record = this.finish(base, counts, { tools: attribution.tools ?? [], status: 'refused', errorCode: 'BUDGET_EXCEEDED', sent: false });
        await this.commit(record, options.onRecord);
        throw new BudgetExceededError(`run:${attribution.runId}`, estimatedInput + reservationRequest.minOutputTokens, remaining);
      }
      if (remaining - estimatedInput < wanted) {
        reservationRequest.maxOutputTokens = remaining - estimatedInput;
        callRequest = { ...callRequest, maxOutputTokens: reservationRequest.maxOutputTokens };
      }
    }

    if (limits.length > 0) {
      const reservation = await this.budgetStore.reserve(reservationRequest);
      if (!reservation.granted) {
        const record = this.finish(base, counts, { tools: attribution.tools ?? [], status: 'refused', errorCode: 'BUDGET_EXCEEDED', sent: false });
        await this.commit(record, options.onRecord);
        throw new BudgetExceededError(reservation.limit.key, estimatedInput + reservationRequest.minOutputTokens, reservation.remainingTokens);
      }
      if (reservation.outputTokens < reservationRequest.maxOutputTokens) callRequest = { ...callRequest, maxOutputTokens: reservation.outputTokens };
    }

    // What the call may use at most: the input as estimated plus the output limit sent, a hard ceiling on what the
    // provider may produce. A record counting more than this is flagged, and the agent raises an alert for it.
    const ceiling = { outputTokens: callRequest.maxOutputTokens ?? wanted, totalTokens: estimatedInput + (callRequest.maxOutputTokens ?? wanted) };
    let response: GenerateResponse;
    try {
      response = await (options.invoke ?? ((r) => model.generate(r)))(callRequest);
    } catch (error) {
      // A stream the signal ended can surface as any error (or as a stream that just stopped): the signal decides.
      const aborted = error instanceof AbortedError || (error instanceof ModelError && error.kind === 'aborted') || request.signal?.aborted === true;
      const record = this.finish(base, counts, {
        tools: attribution.tools ?? [],
        status: aborted ? 'aborted' : 'error',
        errorCode: aborted ? 'ABORTED' : error instanceof ClawError ? error.code : 'UNKNOWN',
        sent: true,
        ceiling,
      });
      await this.settleAndCommit(limits, reservationId, record, options.onRecord);
      throw error;
    }

    // `counts` is this call's own object (measure returns a fresh one), so the output is added to it in place.
    counts.output_text = counter.count(response.text);
    for (const call of response.toolCalls) {
      counts.output_tool_calls += toolCallTokens(counter, call.name, answeredArguments(call));
    }
    const record = this.finish(base, counts, {
      tools: attribution.tools ?? response.toolCalls.map((c) => c.name),
      status: 'ok',
      sent: true,
      response,
      ceiling,
    });
    await this.settleAndCommit(limits, reservationId, record, options.onRecord);
    return { response, record };
  }

  private finish(
    base: Omit<UsageRecord, 'tools' | 'estimate' | 'estimatedInputTokens' | 'estimatedOutputTokens' | 'source' | 'inputTokens' | 'outputTokens' | 'totalTokens' | 'costUsd' | 'status'>,
    estimate: CategoryCounts,
    outcome: {
      tools: readonly string[];
      status: CallStatus;
      errorCode?: string;
      sent: boolean;
      response?: GenerateResponse;
      ceiling?: { outputTokens: number; totalTokens: number };
    },
  ): UsageRecord {
    const estimatedOutputTokens = estimate.output_text + estimate.output_tool_calls;
    const estimatedInputTokens = sumCounts(estimate) - estimatedOutputTokens;
    const reported = outcome.response?.usage;
    const flags: UsageFlag[] = [];
    // A report far below what was evidently sent (zero, or under half the estimate) is not believed: the estimate
    // is counted instead, and the report is kept beside it for anyone to compare.
    const trusted = reported !== undefined && judgeReport(reported, { inputTokens: estimatedInputTokens, outputTokens: estimatedOutputTokens }) === 'plausible';
    if (reported && !trusted) flags.push('implausible-report');
    const counted = trusted ? reported : undefined;
    const inputTokens = counted ? counted.inputTokens : outcome.sent ? estimatedInputTokens : 0;
    const outputTokens = counted ? counted.outputTokens : estimatedOutputTokens;
    if (outcome.ceiling && reported && reported.outputTokens > outcome.ceiling.outputTokens) flags.push('over-output-limit');
    if (outcome.ceiling && inputTokens + outputTokens > outcome.ceiling.totalTokens) flags.push('over-reservation');
    const price = this.modelFacts(base.model).price;
    // Providers do not bill requests they rejected; a failed call with no report costs nothing but keeps its tokens.
    const billable = outcome.status === 'ok' || reported !== undefined;
    const costUsd = price && billable ? priceCall(price.price, counted ?? { inputTokens, outputTokens }) : 0;
    const tools = outcome.tools.length < 2 ? [...outcome.tools] : [...new Set(outcome.tools)];
    // One literal in a fixed field order (optional fields last) keeps every record the same shape for V8.
    const record: UsageRecord = {
      id: base.id,
      runId: base.runId,
      step: base.step,
      attempt: base.attempt,
      at: base.at,
      principalId: base.principalId,
      skills: [...base.skills],
      tools,
      trigger: base.trigger,
      provider: base.provider,
      model: base.model,
      encoding: base.encoding,
      encodingFidelity: base.encodingFidelity,
      formulaVersion: base.formulaVersion,
      estimate,
      estimatedInputTokens,
      estimatedOutputTokens,
      source: counted ? 'reported' : 'estimated',
      inputTokens,
      outputTokens,
      totalTokens: inputTokens + outputTokens,
      costUsd,
      priceId: base.priceId,
      status: outcome.status,
      promptHash: base.promptHash,
      promptSketch: base.promptSketch!,
    };
    if (flags.length > 0) record.flags = flags;
    if (base.team !== undefined) record.team = base.team;
    if (reported) {
      record.reported = reported;
      record.delta = { inputTokens: reported.inputTokens - estimatedInputTokens, outputTokens: reported.outputTokens - estimatedOutputTokens };
    }
    if (outcome.errorCode !== undefined) record.errorCode = outcome.errorCode;
    return record;
  }

  private async settleAndCommit(
    limits: readonly BudgetLimit[],
    reservationId: string,
    record: UsageRecord,
    onRecord: ((record: UsageRecord) => void) | undefined,
  ): Promise<void> {
    if (limits.length > 0) await this.budgetStore.settle(reservationId, { tokens: record.totalTokens, costUsd: record.costUsd });
    await this.commit(record, onRecord);
  }

  /** The limits a call must fit: the configured rules for its attribution (cached), plus per-call extras. */
  private limitsFor(attribution: CallAttribution, extra: readonly BudgetLimit[] | undefined): readonly BudgetLimit[] {
    let fromRules: readonly BudgetLimit[] = [];
    if (this.budgets.length > 0) {
      const key = `${attribution.principal.id}\u0000${attribution.principal.team ?? ''}\u0000${attribution.trigger}\u0000${attribution.skills.join(',')}`;
      let cached = this.limitsCache.get(key);
      if (!cached) {
        cached = limitsForCall(this.budgets, attribution);
        if (this.limitsCache.size >= 1000) this.limitsCache.clear();
        this.limitsCache.set(key, cached);
      }
      fromRules = cached;
    }
    return extra && extra.length > 0 ? [...fromRules, ...extra] : fromRules;
  }

  /** Encoding and price row of a model, looked up once per model name (both tables are fixed per meter). */
  private modelFacts(model: string): ModelFacts {
    let facts = this.facts.get(model);
    if (!facts) {
      facts = { ...encodingForModel(model), price: findPrice(this.prices, model) };
      this.facts.set(model, facts);
    }
    return facts;
  }

  /** How each number in a record was derived, in plain sentences (see `docs/metering.md`). */
  explain(record: UsageRecord): string {
    return explainUsage(record, this.prices);
  }

  private async commit(record: UsageRecord, onRecord: ((record: UsageRecord) => void) | undefined): Promise<void> {
    if (this.ledger) await this.ledger.append([record]);
    if (this.telemetry) await exportUsageTelemetry(record).catch(() => undefined);
    for (const listener of [this.onRecord, onRecord]) {
      if (!listener) continue;
      try {
        listener(record);
      } catch {
        // A listener's failure must not lose or fail the call it observes.
      }
    }
  }
}

type ModelFacts = EncodingChoice & { price: ReturnType<typeof findPrice> };

function sumCounts(c: CategoryCounts): number {
  return c.system + c.skill_instructions + c.memory + c.tool_schemas + c.conversation + c.tool_results + c.message_overhead + c.output_text + c.output_tool_calls;
}
