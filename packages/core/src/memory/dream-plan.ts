import type { DreamAddition, DreamDrop, DreamMerge, DreamRejection } from './dream-diff';
import type { DreamCandidate } from './dream-prompt';
import type { MemoryItem } from './memory-store';
import { similarityTerms, termSetSimilarity } from './text-similarity';

/** Pending evidence kept on an episode: a candidate it supported that could not be promoted yet. */
export interface PendingCandidate {
  text: string;
  kind: 'fact' | 'preference';
}

/** What the dream stamps on an episode it consumed (`metadata.dream`). */
export interface EpisodeDreamStamp {
  version: number;
  at: number;
  pending?: PendingCandidate[];
}

/** Everything planning needs; all of it already read from the store. */
export interface DreamPlanInput {
  /** Candidates from the batches the model answered. */
  candidates: readonly DreamCandidate[];
  /** The fresh episodes sent in those batches. */
  processed: readonly MemoryItem[];
  /** Every episode of the principal (to look up trust and earlier pending evidence). */
  episodes: readonly MemoryItem[];
  /** Live facts and preferences in the principal's scope. */
  facts: readonly MemoryItem[];
  minEpisodes: number;
  mergeThreshold: number;
  now: number;
  decayAfterMs?: number;
}

/** The changes a dream means to make. */
export interface DreamPlan {
  added: DreamAddition[];
  merged: (DreamMerge & { fact: MemoryItem })[];
  dropped: DreamDrop[];
  rejected: DreamRejection[];
  /** Pending evidence to stamp, by processed episode id. */
  pending: Map<string, PendingCandidate[]>;
}

interface Cluster {
  text: string;
  kind: 'fact' | 'preference';
  terms: Set<string>;
  fresh: Set<string>;
  earlier: Set<string>;
}

/** The `metadata.dream` stamp of an episode or fact, when it has a well-formed one. */
export function dreamStamp(item: MemoryItem): (EpisodeDreamStamp & { confirmedAt?: number }) | undefined {
  const stamp = item.metadata.dream as { version?: unknown } | undefined;
  return stamp && typeof stamp === 'object' && typeof stamp.version === 'number' ? (stamp as EpisodeDreamStamp) : undefined;
}

/** When a fact was last created, recalled or confirmed by a dream. */
export function lastUsedAt(fact: MemoryItem): number {
  const confirmedAt = dreamStamp(fact)?.confirmedAt;
  return Math.max(fact.createdAt, fact.lastRecalledAt ?? 0, typeof confirmedAt === 'number' ? confirmedAt : 0);
}

/**
 * Decides what a dream writes, without writing: clusters near-identical candidates, discards any that cite
 * untrusted or unknown episodes, merges clusters into existing facts they match, promotes the rest that enough
 * distinct episodes support (counting pending evidence from earlier dreams) or that the user confirmed, and
 * decays facts unused for `decayAfterMs`.
 */
export function planDream(input: DreamPlanInput): DreamPlan {
  const byId = new Map(input.episodes.map((e) => [e.id, e]));
  const processed = new Set(input.processed.map((e) => e.id));
  const plan: DreamPlan = { added: [], merged: [], dropped: [], rejected: [], pending: new Map() };
  const clusters: Cluster[] = [];
  const findCluster = (terms: Set<string>) =>
    clusters.find((c) => termSetSimilarity(c.terms, terms) >= input.mergeThreshold);

  for (const candidate of input.candidates) {
    const cited = [...new Set(candidate.episodes)];
    // One untrusted source taints the candidate: it may be an injection echoed into a trusted episode.
    if (cited.some((id) => byId.get(id)?.source.trust === 'untrusted')) {
      plan.rejected.push({ kind: candidate.kind, text: candidate.text, episodes: cited, reason: 'untrusted-source' });
      continue;
    }
    const supported = cited.filter((id) => processed.has(id));
    if (supported.length === 0) {
      plan.rejected.push({ kind: candidate.kind, text: candidate.text, episodes: cited, reason: 'unknown-episode' });
      continue;
    }
    const terms = similarityTerms(candidate.text);
    const cluster = findCluster(terms);
    if (cluster) supported.forEach((id) => cluster.fresh.add(id));
    else clusters.push({ text: candidate.text, kind: candidate.kind, terms, fresh: new Set(supported), earlier: new Set() });
  }

  // Earlier dreams' pending evidence only strengthens candidates seen again now; alone it changes nothing.
  for (const episode of input.episodes) {
    if (processed.has(episode.id) || episode.source.trust === 'untrusted') continue;
    for (const pending of dreamStamp(episode)?.pending ?? []) {
      if (typeof pending?.text !== 'string') continue;
      findCluster(similarityTerms(pending.text))?.earlier.add(episode.id);
    }
  }

  const factTerms = input.facts.map((fact) => ({ fact, terms: similarityTerms(fact.text) }));
  const merges = new Map<string, DreamPlan['merged'][number]>();
  for (const cluster of clusters) {
    let best: { fact: MemoryItem; similarity: number } | undefined;
    for (const { fact, terms } of factTerms) {
      const similarity = termSetSimilarity(cluster.terms, terms);
      if (similarity >= input.mergeThreshold && (!best || similarity > best.similarity)) best = { fact, similarity };
    }
    if (best) {
      const existing = merges.get(best.fact.id);
      if (existing) cluster.fresh.forEach((id) => existing.episodes.includes(id) || existing.episodes.push(id));
      else {
        merges.set(best.fact.id, {
          fact: best.fact,
          id: best.fact.id,
          kind: best.fact.kind,
          text: cluster.text,
          previousText: best.fact.text,
          episodes: [...cluster.fresh],
          previousMetadata: { dream: best.fact.metadata.dream ?? null, evidence: best.fact.metadata.evidence ?? null },
        });
      }
      continue;
    }
    const episodes = [...cluster.earlier, ...cluster.fresh];
    const confirmedByUser = episodes.some((id) => byId.get(id)?.source.trust === 'user');
    if (episodes.length >= input.minEpisodes || confirmedByUser) {
      plan.added.push({ kind: cluster.kind, text: cluster.text, episodes, confirmedByUser });
      continue;
    }
    plan.rejected.push({ kind: cluster.kind, text: cluster.text, episodes, reason: 'not-enough-episodes' });
    for (const id of cluster.fresh) {
      const list = plan.pending.get(id) ?? [];
      list.push({ text: cluster.text, kind: cluster.kind });
      plan.pending.set(id, list);
    }
  }
  plan.merged = [...merges.values()];

  if (input.decayAfterMs !== undefined) {
    for (const fact of input.facts) {
      if (merges.has(fact.id)) continue;
      const used = lastUsedAt(fact);
      if (input.now - used <= input.decayAfterMs) continue;
      const evidence = Array.isArray(fact.metadata.evidence) ? (fact.metadata.evidence as unknown[]) : fact.source.derivedFrom ?? [];
      plan.dropped.push({
        id: fact.id,
        kind: fact.kind,
        text: fact.text,
        reason: 'decayed',
        lastUsedAt: used,
        episodes: evidence.filter((id): id is string => typeof id === 'string'),
      });
    }
  }
  return plan;
}
