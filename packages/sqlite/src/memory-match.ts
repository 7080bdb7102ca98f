import { createHash } from 'node:crypto';
import type { MemoryKind, MemoryScope } from '@claw/core';

/**
 * One FTS token per scope: a hash, so any scope string becomes a single safe token and a MATCH can require
 * "one of these scopes" before ranking — other principals' memories are never even scored.
 */
export function scopeTag(scope: MemoryScope): string {
  return `s${createHash('sha256').update(scope).digest('hex').slice(0, 24)}`;
}

/** One FTS token per kind. */
export const kindTag = (kind: MemoryKind): string => `k${kind}`;

/** The `tags` column of a memory: its scope and kind tokens. */
export const memoryTags = (scope: MemoryScope, kind: MemoryKind): string => `${scopeTag(scope)} ${kindTag(kind)}`;

// Terms are runs of letters and digits already; quoting keeps any FTS5 operator (AND, NEAR, *) literal regardless.
const quote = (token: string) => `"${token.replaceAll('"', '""')}"`;

/**
 * The FTS5 MATCH expression of a recall: any of the terms, within any of the scopes, of any of the kinds.
 * Ranking weighs only the `terms` column (bm25 weight 0 for `tags`).
 */
export function recallMatch(terms: readonly string[], scopes: readonly MemoryScope[], kinds: readonly MemoryKind[] | undefined): string {
  const parts = [`tags : (${scopes.map((scope) => quote(scopeTag(scope))).join(' OR ')})`];
  if (kinds) parts.push(`tags : (${kinds.map((kind) => quote(kindTag(kind))).join(' OR ')})`);
  parts.push(`terms : (${terms.map(quote).join(' OR ')})`);
  return parts.join(' AND ');
}
