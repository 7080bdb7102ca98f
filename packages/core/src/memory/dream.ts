import { AbortedError, BudgetExceededError, ClawError, InvalidArgumentError, MemoryGuardError, ModelError, StoreError } from '../errors';
import type { Meter } from '../metering/meter';
import type { BudgetLimit } from '../metering/budget-store';
import { addToRunUsage, emptyRunUsage, type RunUsage } from '../metering/run-usage';
import type { UsageRecord } from '../metering/usage-record';
import type { ModelProvider } from '../model/model-provider';
import type { Principal } from '../policy/principal';
import { applyDreamPlan, undoDreamChanges, verifyDreamChanges, type DreamWriter } from './dream-apply';
import type { DreamChanges, DreamDiff, DreamOutcome } from './dream-diff';
import { planDream, dreamStamp, type DreamPlan } from './dream-plan';
import { dreamMessages, parseDreamAnswer, type DreamCandidate } from './dream-prompt';
import { principalScope } from './memory-scopes';
import type { MemoryItem, MemoryStore } from './memory-store';
import { DEFAULT_MERGE_THRESHOLD } from './text-similarity';

/** Options for {@link dream}. */
export interface DreamOptions {
  /** The store holding the principal's episodes and facts; changes are written to it and read back. */
  store: MemoryStore;
  /** Whose episodes to consolidate; facts are written to their own scope only. */
  principal: Principal;
  /** The model that extracts facts from episodes. */
  model: ModelProvider;
  /** Every model call goes through it with trigger `dream`. */
  meter: Meter;
  /** The dream's own budget, as the limit `dream:<principalId>` over `windowMs` (default one day). */
  budget: {
    /** Tokens the dream may use within the window. */
    maxTokens: number;
    /** Dollars the dream may spend within the window. */
    maxCostUsd?: number;
    /** The window the limits apply to. Default one day. */
    windowMs?: number;
  };
  /** Only consider episodes created at or after this time (default: every episode not yet consolidated). */
  since?: number;
  /** Distinct episodes a new fact needs, unless the user confirmed it. Default 2. */
  minEpisodes?: number;
  /** Refuse a dream that would drop more than this fraction of existing facts. Default 0.25. */
  maxDropFraction?: number;
  /** Drop facts not created, recalled or confirmed for this long. Default: never decay. */
  decayAfterMs?: number;
  /** Text similarity at which a candidate is the same fact as another. Default 0.75. */
  mergeThreshold?: number;
  /** Episodes per model call. Default 10. */
  batchSize?: number;
  /** Output limit per call (the budget may clamp it). Default 2000. */
  maxOutputTokens?: number;
  /** The time the dream runs at, in milliseconds since the epoch (stamps, decay). Default now. */
  now?: number;
  /** Aborts the dream's model calls; an aborted dream writes nothing and reports `failed`. */
  signal?: AbortSignal;
}

const DAY_MS = 86_400_000;

function assertOptions(options: DreamOptions): void {
  const positive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;
  if (!options?.store || !options.model || !options.meter) throw new InvalidArgumentError('dream() needs store, model and meter.');
  if (!positive(options.budget?.maxTokens)) throw new InvalidArgumentError('dream() needs budget.maxTokens > 0.');
  const { minEpisodes = 2, maxDropFraction = 0.25, batchSize = 10, mergeThreshold = DEFAULT_MERGE_THRESHOLD } = options;
  if (!Number.isInteger(minEpisodes) || minEpisodes < 1) throw new InvalidArgumentError('minEpisodes must be an integer >= 1.');
  if (!(maxDropFraction >= 0 && maxDropFraction <= 1)) throw new InvalidArgumentError('maxDropFraction must be between 0 and 1.');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError('batchSize must be an integer >= 1.');
  if (!(mergeThreshold > 0 && mergeThreshold <= 1)) throw new InvalidArgumentError('mergeThreshold must be in (0, 1].');
  if (options.decayAfterMs !== undefined && !positive(options.decayAfterMs)) {
    throw new InvalidArgumentError('decayAfterMs must be a positive number of milliseconds.');
  }
}

function asClawError(error: unknown, provider: string): ClawError {
  if (error instanceof ClawError) return error;
  return new ModelError({ provider, kind: 'invalid_response', retryable: false, message: String((error as Error)?.message ?? error), cause: error });
}

function summarise(diff: Omit<DreamDiff, 'summary'>): string {
  const counts = `+${diff.added.length} added, ${diff.merged.length} merged, ${diff.dropped.length} dropped, ${diff.rejected.length} not promoted`;
  const head = `dream v${diff.version} for ${diff.principalId}: ${diff.outcome}`;
  const tail = `${diff.episodes.length} episodes, ${diff.usage.totalTokens} tokens`;
  return diff.error ? `${head} (${counts}; ${tail}): ${diff.error.message}` : `${head} (${counts}; ${tail})`;
}

/**
 * Consolidates a principal's new episodes into durable facts ("dreaming"). Episodes not yet consolidated are sent
 * to the model in batches (one metered call each, trigger `dream`, under the dream's own budget); untrusted
 * episodes are never sent and nothing citing them is promoted. Candidates are merged into matching facts, promoted
 * when `minEpisodes` distinct episodes support them or the user confirmed them, and unused facts decay. A dream
 * that would drop more than `maxDropFraction` of the facts is refused. Every change is read back; the result says
 * `consolidated` only when the store holds what the diff lists. Keep the diff to {@link rollbackDream} it.
 *
 * Outcomes are returned, not thrown: malformed model output, a failed call, a refused rewrite or a store that did
 * not keep its writes come back as `failed` / `refused` with `error` set and nothing left written.
 * @throws InvalidArgumentError for invalid options (a programming error, reported before anything happens).
 */
export async function dream(options: DreamOptions): Promise<DreamDiff> {
  assertOptions(options);
  const { store, principal, model, meter, signal } = options;
  const minEpisodes = options.minEpisodes ?? 2;
  const maxDropFraction = options.maxDropFraction ?? 0.25;
  const batchSize = options.batchSize ?? 10;
  const now = options.now ?? Date.now();
  const scope = principalScope(principal);
  const records: UsageRecord[] = [];

  let all: MemoryItem[];
  try {
    all = await store.list([scope], { includeDeleted: true });
  } catch (error) {
    const storeError = error instanceof ClawError ? error : new StoreError(`Could not read the memories of "${principal.id}".`, { cause: error });
    const usage = emptyRunUsage();
    return {
      outcome: 'failed', principalId: principal.id, version: 0, runId: '', at: now, applied: false, added: [], merged: [],
      dropped: [], rejected: [], episodes: [], untrustedEpisodes: [], factsBefore: 0, usage, error: storeError,
      summary: `dream for ${principal.id}: failed before reading memories: ${storeError.message}`,
    };
  }
  let lastVersion = 0;
  let previousDreamAt: number | undefined;
  for (const item of all) {
    const stamp = dreamStamp(item);
    if (stamp) lastVersion = Math.max(lastVersion, stamp.version);
    if (typeof item.metadata.droppedByDream === 'number') lastVersion = Math.max(lastVersion, item.metadata.droppedByDream);
    if (stamp && item.kind === 'episode' && item.deletedAt === undefined) previousDreamAt = Math.max(previousDreamAt ?? 0, stamp.at);
  }
  const version = lastVersion + 1;
  const runId = `dream-${principal.id}-v${version}-${now}`;
  const live = all.filter((item) => item.deletedAt === undefined);
  const episodes = live.filter((item) => item.kind === 'episode');
  const facts = live.filter((item) => item.kind !== 'episode');
  const fresh = episodes.filter((e) => !dreamStamp(e) && (options.since === undefined || e.createdAt >= options.since));
  const trusted = fresh.filter((e) => e.source.trust !== 'untrusted');

  const writer: DreamWriter = { store, scope, version, at: now, runId };
  const diffBase = {
    principalId: principal.id,
    version,
    runId,
    at: now,
    ...(previousDreamAt !== undefined ? { previousDreamAt } : {}),
    untrustedEpisodes: fresh.filter((e) => e.source.trust === 'untrusted').map((e) => e.id),
    factsBefore: facts.length,
  };
  const finish = async (
    outcome: DreamOutcome,
    changes: Pick<DreamDiff, 'added' | 'merged' | 'dropped' | 'rejected'>,
    consumed: readonly string[],
    applied: boolean,
    error?: ClawError,
  ): Promise<DreamDiff> => {
    const diff = {
      outcome,
      ...diffBase,
      applied,
      added: changes.added,
      merged: changes.merged,
      dropped: changes.dropped,
      rejected: changes.rejected,
      episodes: [...consumed],
      usage: await usageOf(meter, runId, records),
      ...(error ? { error } : {}),
    };
    return { ...diff, summary: summarise(diff) };
  };
  const planFor = (candidates: DreamCandidate[], processed: MemoryItem[]) =>
    planDream({
      candidates,
      processed,
      episodes,
      facts,
      minEpisodes,
      mergeThreshold: options.mergeThreshold ?? DEFAULT_MERGE_THRESHOLD,
      now,
      ...(options.decayAfterMs !== undefined ? { decayAfterMs: options.decayAfterMs } : {}),
    });

  if (trusted.length === 0 && planFor([], []).dropped.length === 0) {
    return finish('nothing-to-consolidate', proposed(planFor([], [])), [], false);
  }

  const limits: BudgetLimit[] = [
    {
      key: `dream:${principal.id}`,
      windowMs: options.budget.windowMs ?? DAY_MS,
      maxTokens: options.budget.maxTokens,
      ...(options.budget.maxCostUsd !== undefined ? { maxCostUsd: options.budget.maxCostUsd } : {}),
    },
  ];
  const candidates: DreamCandidate[] = [];
  const processed: MemoryItem[] = [];
  let stopped: ClawError | undefined;
  for (let start = 0; start < trusted.length; start += batchSize) {
    const batch = trusted.slice(start, start + batchSize);
    try {
      const { response, record } = await meter.generate(
        model,
        { messages: dreamMessages(principal, batch), tools: [], maxOutputTokens: options.maxOutputTokens ?? 2000, ...(signal ? { signal } : {}) },
        { runId, step: start / batchSize + 1, attempt: 1, principal, trigger: 'dream', skills: ['memory'], tools: [] },
        // A consolidation answer needs room to list facts: a budget leaving less refuses the call instead of wasting it.
        { limits, minOutputTokens: Math.min(256, options.maxOutputTokens ?? 2000) },
      );
      records.push(record);
      try {
        candidates.push(...parseDreamAnswer(response.text, model.provider));
      } catch (error) {
        // Output cut off at the limit the budget left is the budget running out, not a broken model.
        if (response.finishReason !== 'length') throw error;
        stopped = new ModelError({
          provider: model.provider,
          kind: 'invalid_response',
          retryable: false,
          message: `The dream's answer for batch ${start / batchSize + 1} was cut off at its output limit; the remaining episodes wait for the next dream. Raise budget.maxTokens or lower batchSize.`,
        });
        break;
      }
      processed.push(...batch);
    } catch (error) {
      if (error instanceof BudgetExceededError) {
        stopped = error;
        break;
      }
      return finish('failed', { added: [], merged: [], dropped: [], rejected: [] }, [], false, asClawError(error, model.provider));
    }
  }
  if (signal?.aborted) return finish('failed', { added: [], merged: [], dropped: [], rejected: [] }, [], false, new AbortedError());

  const plan = planFor(candidates, processed);
  const consumed = processed.map((e) => e.id);
  if (plan.dropped.length > maxDropFraction * facts.length) {
    const guard = new MemoryGuardError(
      `Dream v${version} for "${principal.id}" would drop ${plan.dropped.length} of ${facts.length} facts, more than the allowed ${Math.round(maxDropFraction * 100)}%. ` +
        'Nothing was written. Review the listed drops, then raise maxDropFraction or decayAfterMs if they are intended.',
    );
    return finish('refused', proposed(plan), consumed, false, guard);
  }
  const outcome: DreamOutcome = stopped ? 'budget-exhausted' : 'consolidated';
  if (plan.added.length + plan.merged.length + plan.dropped.length + consumed.length === 0) {
    return finish(outcome, proposed(plan), [], false, stopped);
  }

  const applied = await applyDreamPlan(writer, plan, consumed);
  const problems = applied.error ? [] : await verifyDreamChanges(writer, applied);
  if (applied.error || problems.length > 0) {
    const undo: DreamChanges = applied;
    const leftovers = await undoDreamChanges(store, scope, undo).catch((error: unknown) => [`rollback failed: ${String((error as Error)?.message ?? error)}`]);
    const detail = applied.error ? `a write failed: ${String((applied.error as Error)?.message ?? applied.error)}` : problems.join('; ');
    const cleanup = leftovers.length === 0 ? 'What had been written was rolled back.' : `Rolling back also failed: ${leftovers.join('; ')}.`;
    const error = new StoreError(`Dream v${version} for "${principal.id}" was not stored as reported (${detail}). ${cleanup}`, {
      cause: applied.error,
    });
    return finish('failed', proposed(plan), consumed, false, error);
  }
  return finish(outcome, { ...applied, rejected: plan.rejected }, applied.episodes, true, stopped);
}

// A plan as a reviewer sees it: the changes without the store items they were computed from.
function proposed(plan: DreamPlan): Pick<DreamDiff, 'added' | 'merged' | 'dropped' | 'rejected'> {
  return { added: plan.added, merged: plan.merged.map(({ fact: _fact, ...merge }) => merge), dropped: plan.dropped, rejected: plan.rejected };
}

// The ledger has every record of the run, failed and refused calls included; without one, count what came back.
async function usageOf(meter: Meter, runId: string, records: readonly UsageRecord[]): Promise<RunUsage> {
  const total = emptyRunUsage();
  const fromLedger = meter.ledger ? await meter.ledger.query({ runId }).catch(() => undefined) : undefined;
  for (const record of fromLedger ?? records) addToRunUsage(total, record);
  return total;
}
