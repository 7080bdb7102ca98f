/**
 * @claw/core/conformance — shared conformance suites: every durable store (in core, @claw/sqlite, @claw/postgres) runs the same tests, so
 * they agree on semantics. Each `describe…Conformance` registers vitest tests; call it at the top level of a
 * test file with a factory returning a fresh, empty store. This entry point imports vitest (an optional peer
 * dependency of `@claw/core`) and is ESM only; fixture records are in `@claw/core/testing`.
 * @packageDocumentation
 */
export { withStore, type StoreHandle, type StoreFactory } from './store-handle';
export { describeUsageLedgerConformance } from './usage-ledger-conformance';
export { describeBudgetStoreConformance } from './budget-store-conformance';
export { describeAuditLogConformance, type AuditTamper, type AuditLogHandle, type AuditLogSetup } from './audit-log-conformance';
export { describeApprovalStoreConformance } from './approval-store-conformance';
export { describeRunStateStoreConformance } from './run-state-store-conformance';
export { describeMemoryStoreConformance } from './memory-store-conformance';
