import type { ClawError } from '../errors';
import type { RunUsage } from '../metering/run-usage';

/**
 * How a dream ended:
 * - `consolidated`: every batch was read and the listed changes were written and read back;
 * - `nothing-to-consolidate`: no new trusted episodes and nothing to decay; no model call was made;
 * - `refused`: the rewrite would have dropped more than `maxDropFraction` of the facts; nothing was written;
 * - `budget-exhausted`: the dream budget ran out part-way; the changes from the batches read before that were
 *   written and verified (the rest of the episodes wait for the next dream);
 * - `failed`: the model answered malformed JSON, a call failed, or the store did not keep what was written
 *   (what had been written is rolled back); `error` says which.
 */
export type DreamOutcome = 'consolidated' | 'nothing-to-consolidate' | 'refused' | 'budget-exhausted' | 'failed';

/** A fact the dream promoted. `id` is set once it is written. */
export interface DreamAddition {
  /** The new memory's id, once written. */
  id?: string;
  /** A fact, or how the person likes things done. */
  kind: 'fact' | 'preference';
  /** The sentence as stored. */
  text: string;
  /** The episodes it was consolidated from (provenance). */
  episodes: string[];
  /** True when a supporting episode came from the user (trust `user`), which promotes on one episode. */
  confirmedByUser: boolean;
}

/** An existing fact that new episodes confirmed; its text takes the newest wording. */
export interface DreamMerge {
  /** The existing memory's id. */
  id: string;
  /** Its kind. */
  kind: 'fact' | 'preference' | 'episode';
  /** Its text after the merge (the newest wording). */
  text: string;
  /** Its text before the merge, restored by rollback. */
  previousText: string;
  /** The episodes that confirmed it in this dream. */
  episodes: string[];
  /** The fact's `dream` and `evidence` metadata before the merge, restored by rollback. */
  previousMetadata: {
    /** The `dream` stamp before the merge. */
    dream: unknown;
    /** The `evidence` (episode ids) before the merge. */
    evidence: unknown;
  };
}

/** A fact the dream forgot (soft-deleted: rollback restores it). */
export interface DreamDrop {
  /** The forgotten memory's id. */
  id: string;
  /** Its kind. */
  kind: 'fact' | 'preference' | 'episode';
  /** Its text. */
  text: string;
  /** Why: not created, recalled or confirmed for `decayAfterMs`. */
  reason: 'decayed';
  /** Last time it was created, recalled or confirmed. */
  lastUsedAt: number;
  /** The episodes it had been consolidated from, if any. */
  episodes: string[];
}

/** A candidate the model proposed that was not promoted, and why. */
export interface DreamRejection {
  /** What the model proposed it as. */
  kind: 'fact' | 'preference';
  /** The proposed sentence. */
  text: string;
  /** The episodes it cited. */
  episodes: string[];
  /**
   * `untrusted-source`: it cites an episode with untrusted content; `unknown-episode`: it cites no episode of its
   * batch; `not-enough-episodes`: fewer than `minEpisodes` episodes support it so far (it is kept as pending evidence
   * on those episodes and can be promoted by a later dream).
   */
  reason: 'untrusted-source' | 'unknown-episode' | 'not-enough-episodes';
}

/** The reviewable result of one dream. */
export interface DreamDiff {
  /** How the dream ended. */
  outcome: DreamOutcome;
  /** Whose memories it consolidated. */
  principalId: string;
  /** Identifies this dream's changes; stamped on what it wrote. One more than the last written dream's. */
  version: number;
  /** The run id its usage records carry (trigger `dream`). */
  runId: string;
  /** The dream's clock. */
  at: number;
  /** When the previous dream consolidated episodes, if one did. */
  previousDreamAt?: number;
  /** True when the changes listed are in the store, verified by reading each one back. */
  applied: boolean;
  /** Facts and preferences added (or, when refused or failed, that would have been). */
  added: DreamAddition[];
  /** Existing facts confirmed and reworded. */
  merged: DreamMerge[];
  /** Facts forgotten by decay. */
  dropped: DreamDrop[];
  /** Candidates not promoted, with the reason. */
  rejected: DreamRejection[];
  /** Episodes this dream consumed (marked consolidated). */
  episodes: string[];
  /** New episodes left out because they hold untrusted content (never sent to the model, never consumed). */
  untrustedEpisodes: string[];
  /** Facts and preferences in the principal's scope before the dream (the 25% guard's base). */
  factsBefore: number;
  /** Tokens and cost of the dream's model calls, refused and failed ones included (read from the ledger). */
  usage: RunUsage;
  /** Why the dream was refused, stopped or failed. */
  error?: ClawError;
  /** One line for logs and reviewers. */
  summary: string;
}

/** Writes to undo, as recorded while applying a dream. */
export interface DreamChanges {
  /** Memories added (with their ids). */
  added: readonly DreamAddition[];
  /** Memories merged (with their previous text and metadata). */
  merged: readonly DreamMerge[];
  /** Memories forgotten. */
  dropped: readonly DreamDrop[];
  /** Episodes stamped as consolidated. */
  episodes: readonly string[];
}
