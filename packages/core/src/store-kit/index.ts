/**
 * @claw/core/store-kit — the building blocks for implementing Claw's store interfaces (`UsageLedger`,
 * `BudgetStore`, `AuditLog`, `MemoryStore`) on another database, so every implementation decides, validates,
 * hashes and ranks exactly as the in-memory stores in `@claw/core` do. A service that only uses stores does not
 * need this entry point; the interfaces themselves are exported from `@claw/core`.
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
