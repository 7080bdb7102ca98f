import { InvalidArgumentError, StoreError } from '../errors';
import { undoDreamChanges } from './dream-apply';
import type { DreamDiff } from './dream-diff';
import type { MemoryScope, MemoryStore } from './memory-store';

/** What {@link rollbackDream} undid. */
export interface DreamRollback {
  /** The dream version undone. */
  version: number;
  /** Added facts forgotten. */
  forgotten: string[];
  /** Merged facts given back their previous text. */
  reverted: string[];
  /** Dropped facts restored. */
  restored: string[];
  /** Episodes no longer marked consolidated (a later dream will read them again). */
  released: string[];
}

/**
 * Undoes an applied dream from its diff: forgets the facts it added, restores the text and metadata of the facts
 * it merged, restores the facts it dropped, and unmarks the episodes it consumed. Roll back the most recent dream
 * first: undoing an older one puts back texts a later dream may have merged since. Reads everything back.
 * @throws InvalidArgumentError when the diff was not applied (there is nothing to undo).
 * @throws StoreError when the store does not end up as it was before the dream.
 */
export async function rollbackDream(store: MemoryStore, diff: DreamDiff): Promise<DreamRollback> {
  if (!diff?.applied) {
    throw new InvalidArgumentError(
      `Dream v${diff?.version} was not applied (outcome "${diff?.outcome}"), so there is nothing to roll back.`,
    );
  }
  const scope: MemoryScope = `principal:${diff.principalId}`;
  const problems = await undoDreamChanges(store, scope, diff);
  if (problems.length > 0) {
    throw new StoreError(`Rolling back dream v${diff.version} for "${diff.principalId}" left the store changed: ${problems.join('; ')}.`);
  }
  return {
    version: diff.version,
    forgotten: diff.added.flatMap((a) => (a.id ? [a.id] : [])),
    reverted: diff.merged.map((m) => m.id),
    restored: diff.dropped.map((d) => d.id),
    released: [...diff.episodes],
  };
}
