/**
 * @claw/core/store-kit — the building blocks for implementing Claw's store interfaces (`UsageLedger`,
 * `BudgetStore`, `AuditLog`, `MemoryStore`, `JobHistory`) on another database, and a `JobScheduler` on another
 * engine, so every implementation decides, validates, hashes, ranks and runs jobs exactly as the in-memory ones in
 * `@claw/core` do. A service that only uses stores and schedulers does not need this entry point; the interfaces
 * themselves are exported from `@claw/core`.
 * @packageDocumentation
 */
export { GENESIS_HASH, hashAuditEntry, sealAuditEntry } from '../policy/audit-log';
export {
  AuditChainVerifier,
  verifyAuditEntries,
  verifyAuditStream,
  verifyStoredAuditPages,
  storedAuditEntry,
  type StoredAuditEntry,
  signAuditCheckpoint,
  auditHeads,
  AUDIT_PROGRESS_EVERY,
} from '../policy/audit-verify';
export { matchesAuditQuery } from '../policy/in-memory-audit-log';
export { canonicalJson } from '../internal/canonical-json';
export { aggregateUsage, matchesUsageQuery, usageDimensionValue } from '../metering/in-memory-usage-ledger';
export { summariseUsageRuns, BACKGROUND_TRIGGERS } from '../metering/usage-run-summary';
export { decideReservation } from '../metering/budget-store';
export { isMemoryScope, assertMemoryScopes } from '../memory/memory-scopes';
export {
  MEMORY_KINDS,
  validateNewMemoryItem,
  validateMemoryPatch,
  mergeMemoryMetadata,
  cloneMemoryItem,
  assertMemoryKinds,
  validateRecall,
} from '../memory/validate-memory-item';
export { searchTerms, stemTerm } from '../memory/search-terms';
export { DEFAULT_BM25, type Bm25Parameters } from '../memory/text-index';
export {
  DEFAULT_RECENCY,
  RRF_K,
  recencyBoost,
  reciprocalRankFusion,
  cosineSimilarity,
  type RecencyOptions,
} from '../memory/recall-ranking';
export { DEFAULT_MERGE_THRESHOLD, textSimilarity, similarityTerms, termSetSimilarity } from '../memory/text-similarity';
export { assertUniqueJobNames, jobLookup } from '../jobs/define-job';
export { FINISHED_JOB_OUTCOMES } from '../jobs/job-history';
export { JobEventEmitter } from '../jobs/job-emitter';
export { nextTickAfter } from '../jobs/job-tick';
export { buildJobStatus } from '../jobs/job-status';
export { listJobPrincipals, runJobAttempt, outcomeOf, type JobRunEnvironment, type JobRunRequest, type JobAttemptResult } from '../jobs/run-job';
