import type { ProviderUsage } from '../model/model-provider';
import type { Trigger } from '../policy/principal';

/** The categories every metered model call is split into; they add up to the call's estimated total. */
export const USAGE_CATEGORIES = [
  'system',
  'skill_instructions',
  'memory',
  'tool_schemas',
  'conversation',
  'tool_results',
  'message_overhead',
  'output_text',
  'output_tool_calls',
] as const;

/** One metering category; see `docs/metering.md` for what each counts. */
export type UsageCategory = (typeof USAGE_CATEGORIES)[number];

/** Token counts per category, as estimated locally by the published formula. */
export type CategoryCounts = Record<UsageCategory, number>;

/** How a call ended: the usage of failed and aborted calls is recorded too. */
export type CallStatus = 'ok' | 'error' | 'aborted' | 'refused';

/**
 * Something about a call's numbers that a reader should know:
 * - `implausible-report`: the provider's report was zero or far below the estimate, so the estimate was counted
 *   (`source: 'estimated'`) and the report is kept in `reported` beside it;
 * - `over-output-limit`: the provider reported more output than the output limit it was sent, which it cannot
 *   produce: an over-report;
 * - `over-reservation`: the call counted more than it was allowed (estimated input plus the output limit sent), so
 *   it used more of a budget than was reserved for it. The agent raises an alert for this flag.
 */
export type UsageFlag = 'implausible-report' | 'over-output-limit' | 'over-reservation';

/** What a run ended with, attached to each of its records so tokens can be reported per outcome. */
export interface RunOutcome {
  stopReason: 'final' | 'max_steps' | 'aborted' | 'budget' | 'error' | 'suspended';
  /** Side effects performed, counted by tool name. */
  actions: Record<string, number>;
  /** True when the run ended with an answer for the person: at least two letters or digits (`isSubstantiveAnswer`). */
  answered: boolean;
}

/**
 * One model call, metered. Every attempt gets one: failed, retried, aborted and background calls included.
 * `id` is deterministic (`runId:step:attempt`), so appending the same record twice stores it once.
 */
export interface UsageRecord {
  id: string;
  runId: string;
  step: number;
  attempt: number;
  /** Milliseconds since the epoch when the call started. */
  at: number;
  principalId: string;
  /** The principal's team at the time, for team reports. */
  team?: string;
  skills: string[];
  tools: string[];
  trigger: Trigger;
  provider: string;
  model: string;
  /** Tokenizer encoding used for the estimate, e.g. `o200k_base`. */
  encoding: string;
  /** Whether the encoding is the model's own tokenizer (`exact`) or a stand-in for one with no public tokenizer. */
  encodingFidelity: 'exact' | 'approximate';
  /** Version of the published formula that produced `estimate`. */
  formulaVersion: string;
  estimate: CategoryCounts;
  estimatedInputTokens: number;
  estimatedOutputTokens: number;
  reported?: ProviderUsage;
  /** Which numbers `inputTokens` / `outputTokens` come from. */
  source: 'reported' | 'estimated';
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** reported minus estimated (input, output), when a report exists. */
  delta?: { inputTokens: number; outputTokens: number };
  costUsd: number;
  /** Id of the price table row used, e.g. `openai/gpt-4o-mini@2026-11-01`, or `unpriced`. */
  priceId: string;
  status: CallStatus;
  errorCode?: string;
  /**
   * SHA-256 of the run's normalised opening prompt (system parts except recalled memory, then the first user
   * message; see `docs/metering.md`), to find the same prompt repeated.
   */
  promptHash: string;
  /** Similarity sketch of the first user message (a MinHash of its trigrams, 64 hex digits), to find near-repeats. */
  promptSketch?: string;
  /** Present when something about the numbers needs attention; see {@link UsageFlag}. */
  flags?: UsageFlag[];
  /** Filled in when the run ends (records of an unfinished run have none yet). */
  outcome?: RunOutcome;
}
