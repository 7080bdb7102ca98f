/**
 * Shared conformance suites: every durable store (in core, @claw/sqlite, @claw/postgres) runs the same tests, so
 * they agree on semantics. Each `describe…Conformance` registers vitest tests; call it at the top level of a
 * test file with a factory returning a fresh, empty store.
 */
export { withStore, type StoreHandle, type StoreFactory } from './store-handle';
export { usageRecordFixture, FIXTURE_TIME } from './fixtures';
export { describeUsageLedgerConformance } from './usage-ledger-conformance';
export { describeBudgetStoreConformance } from './budget-store-conformance';
export { contendForBudget, type BudgetContentionOptions, type BudgetContentionResult, type ContendedCall } from './budget-contention';
export { describeAuditLogConformance, type AuditTamper, type AuditLogHandle, type AuditLogSetup } from './audit-log-conformance';
export { describeApprovalStoreConformance } from './approval-store-conformance';
export { describeRunStateStoreConformance } from './run-state-store-conformance';
export { describeMemoryStoreConformance } from './memory-store-conformance';
