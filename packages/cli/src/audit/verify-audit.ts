import type { AuditEntry, AuditLog, AuditVerification } from '@claw/core';

/** How far a verification has got. `total` is known once the store has counted the entries. */
export interface AuditProgress {
  verified: number;
  total?: number;
}

/** The outcome of {@link verifyAuditLog}: the store's verification, with the first broken entry when there is one. */
export type AuditCheck = AuditVerification & { brokenEntry?: AuditEntry };

/**
 * Verifies the whole audit chain of a store. This is the one place the CLI verifies: when the stores offer a
 * streaming verification that reports progress, pass `onProgress` to it here and nothing else changes.
 * Today's `AuditLog.verify()` checks every link in one call, so progress is reported when it is done.
 * @throws StoreError when the store cannot be read.
 */
export async function verifyAuditLog(audit: AuditLog, options: { onProgress?: (progress: AuditProgress) => void } = {}): Promise<AuditCheck> {
  options.onProgress?.({ verified: 0 });
  const result = await audit.verify();
  options.onProgress?.({ verified: result.entries, total: result.entries });
  if (result.valid) return result;
  const brokenEntry = await findEntry(audit, result.brokenAt);
  return brokenEntry === undefined ? result : { ...result, brokenEntry };
}

/** The stored entry at a chain position, read only when a chain is broken (the query interface has no seq filter). */
async function findEntry(audit: AuditLog, at: { chain: string; seq: number }): Promise<AuditEntry | undefined> {
  const entries = await audit.list();
  return entries.find((e) => e.chain === at.chain && e.seq === at.seq);
}
