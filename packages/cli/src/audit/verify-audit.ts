import type { AuditEntry, AuditLog, AuditVerification } from '@claw/core';

/** How far a verification has got. `total` is known once the store has counted the entries. */
export interface AuditProgress {
  verified: number;
  total?: number;
}

/** The outcome of {@link verifyAuditLog}: the store's verification, with the first broken entry when there is one. */
export type AuditCheck = AuditVerification & { brokenEntry?: AuditEntry };

/**
 * Verifies the whole audit chain of a store with the store's streaming `verify` (a page at a time, progress as it
 * goes). This is the one place the CLI verifies.
 * @throws StoreError when the store cannot be read; AbortedError when `signal` fires.
 */
export async function verifyAuditLog(audit: AuditLog, options: { onProgress?: (progress: AuditProgress) => void; signal?: AbortSignal } = {}): Promise<AuditCheck> {
  options.onProgress?.({ verified: 0 });
  const result = await audit.verify({
    onProgress: (progress) => options.onProgress?.({ verified: progress.checked, total: progress.total }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (result.valid) return result;
  const brokenEntry = await findEntry(audit, result.brokenAt);
  return brokenEntry === undefined ? result : { ...result, brokenEntry };
}

/** The stored entry at a chain position, read only when a chain is broken (the query interface has no seq filter). */
async function findEntry(audit: AuditLog, at: { chain: string; seq: number }): Promise<AuditEntry | undefined> {
  const entries = await audit.list();
  return entries.find((e) => e.chain === at.chain && e.seq === at.seq);
}
