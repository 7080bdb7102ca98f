/**
 * @claw/postgres — durable Claw stores on PostgreSQL for services running many replicas: usage ledger, budgets,
 * audit log, approvals, suspended runs and memory, all implementing the interfaces of `@claw/core`.
 * @packageDocumentation
 */
export { openClawPostgres, type OpenClawPostgresOptions, type ClawPostgres } from './open-claw-postgres';
export { PostgresUsageLedger } from './usage-ledger';
export { PostgresBudgetStore } from './budget-store';
export { PostgresAuditLog, type PostgresAuditLogOptions } from './audit-log';
export { PostgresApprovalStore } from './approval-store';
export { PostgresRunStateStore, type PostgresRunStateStoreOptions } from './run-state-store';
export { PostgresMemoryStore, type PostgresMemoryStoreOptions } from './memory-store';
export { DEFAULT_SCHEMA, type PostgresStoreOptions } from './database';
export { LATEST_SCHEMA_VERSION, MIGRATIONS_TABLE } from './migrations';
