export {
  USAGE_CATEGORIES,
  type UsageCategory,
  type CategoryCounts,
  type CallStatus,
  type RunOutcome,
  type UsageRecord,
} from './usage-record';
export type { UsageLedger, UsageQuery, UsageDimension, UsageAggregateRow } from './usage-ledger';
export {
  decideReservation,
  type BudgetStore,
  type BudgetLimit,
  type BudgetReservation,
  type BudgetReservationRequest,
  type BudgetUsage,
} from './budget-store';
export { emptyRunUsage, addToRunUsage, type RunUsage } from './run-usage';
