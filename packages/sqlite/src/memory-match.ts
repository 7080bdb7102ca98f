import { createHash } from 'node:crypto';
import { type MemoryKind, type MemoryScope } from '@claw/core';
import { searchTerms } from '@claw/core/store-kit';

/**
 * Each indexed term carries its memory's scope: `s` + 12 hex digits of the scope's SHA-256, then the term. A recall
 * then asks FTS5 only for the caller's scoped terms, so other scopes' postings are never read, let alone ranked,
 * and document frequencies (bm25's idf) are counted within a scope. Collisions of the 48-bit prefix are harmless:
 * every candidate's scope is checked again in SQL.
 */
function scopePrefix(scope: MemoryScope): string {
  return `s${createHash('sha256').update(scope).digest('hex').slice(0, 12)}`;
}

/** The `terms` column of a memory: its search terms (core's normalisation), each prefixed with its scope. */
export function indexedTerms(scope: MemoryScope, text: string): string {
  const prefix = scopePrefix(scope);
  return searchTerms(text)
    .map((term) => prefix + term)
    .join(' ');
}

/** The `tags` column of a memory: one token for its kind. */
export const kindTag = (kind: MemoryKind): string => `k${kind}`;

// Terms are runs of letters and digits already; quoting keeps any FTS5 operator (AND, NEAR, *) literal regardless.
const quote = (token: string) => `"${token.replaceAll('"', '""')}"`;

/**
 * The FTS5 MATCH expression of a recall: any of the terms in any of the scopes, of any of the kinds.
 * Ranking weighs only the `terms` column (bm25 weight 0 for `tags`).
 */
export function recallMatch(terms: readonly string[], scopes: readonly MemoryScope[], kinds: readonly MemoryKind[] | undefined): string {
  const phrases = scopes.flatMap((scope) => {
    const prefix = scopePrefix(scope);
    return terms.map((term) => quote(prefix + term));
  });
  const match = `terms : (${phrases.join(' OR ')})`;
  return kinds ? `${match} AND tags : (${kinds.map((kind) => quote(kindTag(kind))).join(' OR ')})` : match;
}
