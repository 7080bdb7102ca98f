import type { DreamAddition, DreamChanges, DreamDrop, DreamMerge } from './dream-diff';
import { dreamStamp, type DreamPlan, type EpisodeDreamStamp } from './dream-plan';
import type { MemoryScope, MemoryStore } from './memory-store';

/** Who is writing: the dream's identity, stamped on everything it writes. */
export interface DreamWriter {
  store: MemoryStore;
  scope: MemoryScope;
  version: number;
  at: number;
  runId: string;
}

/** What {@link applyDreamPlan} managed to write before finishing or failing. */
export interface AppliedDream extends DreamChanges {
  added: DreamAddition[];
  merged: DreamMerge[];
  dropped: DreamDrop[];
  episodes: string[];
  /** The write that threw, if one did (the writes before it are listed above). */
  error?: unknown;
}

/**
 * Writes a plan: new facts, merges, drops (soft-delete), then the stamps marking episodes consolidated, so an
 * interrupted dream leaves its episodes for the next one. Stops at the first write that throws.
 */
export async function applyDreamPlan(writer: DreamWriter, plan: DreamPlan, consumed: readonly string[]): Promise<AppliedDream> {
  const { store, scope, version, at, runId } = writer;
  const scopes = [scope];
  const applied: AppliedDream = { added: [], merged: [], dropped: [], episodes: [] };
  try {
    for (const addition of plan.added) {
      const item = await store.remember({
        text: addition.text,
        kind: addition.kind,
        scope,
        source: { runId, trust: 'agent', derivedFrom: addition.episodes },
        createdAt: at,
        metadata: { dream: { version, at, confirmedAt: at }, evidence: addition.episodes },
      });
      applied.added.push({ ...addition, id: item.id });
    }
    for (const { fact, ...merge } of plan.merged) {
      const evidence = Array.isArray(fact.metadata.evidence) ? (fact.metadata.evidence as string[]) : [];
      // Listed even if the store finds nothing to update: verification then reports it as not written.
      await store.update(
        merge.id,
        {
          text: merge.text,
          metadata: { dream: { version, at, confirmedAt: at }, evidence: [...new Set([...evidence, ...merge.episodes])] },
        },
        scopes,
      );
      applied.merged.push(merge);
    }
    for (const drop of plan.dropped) {
      await store.update(drop.id, { metadata: { droppedByDream: version } }, scopes);
      await store.forget(drop.id, scopes);
      applied.dropped.push(drop);
    }
    for (const id of consumed) {
      const pending = plan.pending.get(id);
      const stamp: EpisodeDreamStamp = { version, at, ...(pending ? { pending } : {}) };
      await store.update(id, { metadata: { dream: stamp } }, scopes);
      applied.episodes.push(id);
    }
  } catch (error) {
    applied.error = error;
  }
  return applied;
}

/**
 * Reads back every change and lists those the store does not hold as reported: a missing or different added fact,
 * a merge whose text did not change, a drop still visible, an episode without this dream's stamp.
 */
export async function verifyDreamChanges(writer: DreamWriter, changes: DreamChanges): Promise<string[]> {
  const { store, scope, version } = writer;
  const scopes = [scope];
  const problems: string[] = [];
  for (const addition of changes.added) {
    const item = addition.id ? await store.get(addition.id, scopes) : undefined;
    if (!item || item.text !== addition.text || item.kind !== addition.kind || dreamStamp(item)?.version !== version) {
      problems.push(`added fact ${addition.id ?? '(no id)'} "${addition.text}" is not stored as written`);
    }
  }
  for (const merge of changes.merged) {
    const item = await store.get(merge.id, scopes);
    if (!item || item.text !== merge.text || dreamStamp(item)?.version !== version) {
      problems.push(`merged fact ${merge.id} does not hold the merged text`);
    }
  }
  for (const drop of changes.dropped) {
    if (await store.get(drop.id, scopes)) problems.push(`dropped fact ${drop.id} is still visible`);
  }
  for (const id of changes.episodes) {
    const item = await store.get(id, scopes);
    if (!item || dreamStamp(item)?.version !== version) problems.push(`episode ${id} is not marked consolidated`);
  }
  return problems;
}

/**
 * Undoes changes: forgets added facts, restores merged texts and metadata, restores dropped facts, and unmarks
 * consumed episodes. Then reads everything back and lists what is not as it was.
 */
export async function undoDreamChanges(store: MemoryStore, scope: MemoryScope, changes: DreamChanges): Promise<string[]> {
  const scopes = [scope];
  for (const addition of changes.added) if (addition.id) await store.forget(addition.id, scopes);
  for (const merge of changes.merged) {
    await store.update(
      merge.id,
      { text: merge.previousText, metadata: { dream: merge.previousMetadata.dream ?? null, evidence: merge.previousMetadata.evidence ?? null } },
      scopes,
    );
  }
  for (const drop of changes.dropped) {
    await store.restore(drop.id, scopes);
    await store.update(drop.id, { metadata: { droppedByDream: null } }, scopes);
  }
  for (const id of changes.episodes) await store.update(id, { metadata: { dream: null } }, scopes);

  const problems: string[] = [];
  for (const addition of changes.added) {
    if (addition.id && (await store.get(addition.id, scopes))) problems.push(`added fact ${addition.id} is still visible`);
  }
  for (const merge of changes.merged) {
    const item = await store.get(merge.id, scopes);
    if (!item || item.text !== merge.previousText) problems.push(`merged fact ${merge.id} does not hold its previous text`);
  }
  for (const drop of changes.dropped) {
    if (!(await store.get(drop.id, scopes))) problems.push(`dropped fact ${drop.id} was not restored`);
  }
  for (const id of changes.episodes) {
    const item = await store.get(id, scopes);
    if (item && item.metadata.dream !== undefined) problems.push(`episode ${id} is still marked consolidated`);
  }
  return problems;
}
