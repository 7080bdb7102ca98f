export {
  USAGE_CATEGORIES,
  type UsageCategory,
  type CategoryCounts,
  type CallStatus,
  type UsageFlag,
  type RunOutcome,
  type UsageRecord,
} from './usage-record';
export type { UsageLedger, UsageQuery, UsageDimension, UsageAggregateRow } from './usage-ledger';
export { InMemoryUsageLedger } from './in-memory-usage-ledger';
export {
  type BudgetStore,
  type BudgetLimit,
  type BudgetReservation,
  type BudgetReservationRequest,
  type BudgetUsage,
} from './budget-store';
export { InMemoryBudgetStore } from './in-memory-budget-store';
export { limitsForCall, type BudgetRule, type CallAttribution } from './budget-rules';
export { emptyRunUsage, addToRunUsage, type RunUsage } from './run-usage';
export { countTokens, tokenCounter, TokenCounter, ENCODINGS, type Encoding } from './tokenizer';
export { canonicalModelName, modelNameMatches } from './model-name';
export { encodingForModel, MODEL_ENCODINGS, FALLBACK_ENCODING, type EncodingChoice } from './model-encodings';
export { DEFAULT_PRICE_TABLE, findPrice, priceCall, type PriceTable, type ModelPrice } from './price-table';
export {
  ConversationCounter,
  FORMULA_VERSION,
  MESSAGE_OVERHEAD_TOKENS,
  REPLY_PRIMING_TOKENS,
  emptyCategoryCounts,
  messageCategory,
  messageContentTokens,
  replayedArguments,
  answeredArguments,
  type OpeningPrompt,
  toolCallTokens,
  toolSchemaTokens,
} from './conversation-counter';
export { Meter, type MeterOptions, type MeteredCallOptions } from './meter';
export { judgeReport, PLAUSIBILITY_MIN_RATIO, PLAUSIBILITY_MIN_TOKENS } from './report-plausibility';
export { normalisePrompt, promptSketch, sketchSimilarity, SKETCH_SIZE } from './prompt-fingerprint';
export { explainUsage } from './explain-usage';
export { isSubstantiveAnswer, MIN_ANSWER_CHARACTERS } from './answer-substance';
export { usageAlerts, type UsageAlert } from './usage-alerts';
export { exportUsageTelemetry } from './telemetry';
export { InMemoryOrgDirectory, canViewUsageOf, type OrgDirectory } from './org-directory';
export { UsageReports, type UsageReportsOptions } from './usage-reports';
export { privateTeamAggregate, periodStart, type PrivateTeamAggregate } from './private-team-aggregate';
export { inflationFlags, DEFAULT_INFLATION_FLAG_RULES, type InflationFlagRules, type RepeatWindow } from './inflation-flags';
export { summariseOutcomes } from './outcome-summary';
export type { UsageReport, UsageReportRequest, OutcomeSummary, InflationFlags } from './usage-report';
