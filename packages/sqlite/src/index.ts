/**
 * @claw/sqlite — durable Claw stores in one SQLite file: usage ledger, budgets, audit log, approvals, run states
 * and memory (FTS5). Open them all with {@link openClawDatabase}.
 * @packageDocumentation
 */
export { openClawDatabase, type ClawDatabase, type ClawDatabaseOptions } from './open-claw-database';
export { SqliteUsageLedger } from './sqlite-usage-ledger';
export { SqliteBudgetStore } from './sqlite-budget-store';
export { SqliteAuditLog } from './sqlite-audit-log';
export { SqliteApprovalStore } from './sqlite-approval-store';
export { SqliteRunStateStore } from './sqlite-run-state-store';
export { SqliteMemoryStore, type SqliteMemoryStoreOptions } from './sqlite-memory-store';
export { SCHEMA_VERSION } from './schema';
