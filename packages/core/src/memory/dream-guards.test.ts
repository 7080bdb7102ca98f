import { describe, expect, it } from 'vitest';
import { AbortedError, BudgetExceededError, MemoryGuardError, ModelError, StoreError } from '../errors';
import { Meter } from '../metering/meter';
import { ScriptedModel } from '../testing/scripted-model';
import { dream } from './dream';
import {
  DAY,
  LyingMemoryStore,
  PRIYA,
  SCOPE,
  T0,
  episodesIn,
  extractByKeyword,
  meterWithLedger,
  seedEpisodes,
  seedFact,
  snapshot,
} from './dream-test-kit';
import { InMemoryMemoryStore } from './in-memory-memory-store';

const RULES = { 'short summar': { text: 'Priya prefers short summaries.', kind: 'preference' as const } };

async function storeWithFacts(fresh: number, stale: number): Promise<InMemoryMemoryStore> {
  const store = new InMemoryMemoryStore();
  for (let i = 0; i < fresh; i++) await seedFact(store, `Service ${i} is owned by the platform team`, T0 - DAY);
  for (let i = 0; i < stale; i++) await seedFact(store, `Legacy host ${i} was retired`, T0 - 100 * DAY);
  return store;
}

describe('dream guard: dropping more than maxDropFraction of the facts', () => {
  it('refuses a rewrite that would drop 3 of 8 facts (more than 25%) and writes nothing', async () => {
    const store = await storeWithFacts(5, 3);
    await seedEpisodes(store, ['Priya wants short summaries.', 'Short summaries again for Priya.']);
    const before = await snapshot(store);
    const diff = await dream({ store, principal: PRIYA, model: new ScriptedModel([extractByKeyword(RULES)]), meter: meterWithLedger().meter, budget: { maxTokens: 10_000 }, decayAfterMs: 30 * DAY, now: T0 });
    expect(diff).toMatchObject({ outcome: 'refused', applied: false, factsBefore: 8 });
    expect(diff.error).toBeInstanceOf(MemoryGuardError);
    expect(diff.error!.message).toMatch(/would drop 3 of 8 facts, more than the allowed 25%/);
    expect(diff.dropped).toHaveLength(3);
    expect(diff.added.map((a) => a.text)).toEqual(['Priya prefers short summaries.']);
    expect(await snapshot(store)).toEqual(before);
  });

  it('allows exactly the fraction (2 of 8) and a raised fraction', async () => {
    const allowed = await dream({ store: await storeWithFacts(6, 2), principal: PRIYA, model: new ScriptedModel([]), meter: meterWithLedger().meter, budget: { maxTokens: 10_000 }, decayAfterMs: 30 * DAY, now: T0 });
    expect(allowed).toMatchObject({ outcome: 'consolidated', applied: true });
    expect(allowed.dropped).toHaveLength(2);
    const raised = await dream({ store: await storeWithFacts(5, 3), principal: PRIYA, model: new ScriptedModel([]), meter: meterWithLedger().meter, budget: { maxTokens: 10_000 }, decayAfterMs: 30 * DAY, maxDropFraction: 0.5, now: T0 });
    expect(raised).toMatchObject({ outcome: 'consolidated', applied: true });
    expect(raised.dropped).toHaveLength(3);
  });
});

describe('dream reports success only for what the store kept', () => {
  it('fails, and leaves episodes unconsolidated, when the store silently drops new facts', async () => {
    const inner = new InMemoryMemoryStore();
    const episodes = await seedEpisodes(inner, ['Priya wants short summaries.', 'Short summaries again for Priya.']);
    const store = new LyingMemoryStore(inner, 'remember');
    const diff = await dream({ store, principal: PRIYA, model: new ScriptedModel([extractByKeyword(RULES)]), meter: meterWithLedger().meter, budget: { maxTokens: 10_000 }, now: T0 });
    expect(diff).toMatchObject({ outcome: 'failed', applied: false });
    expect(diff.error).toBeInstanceOf(StoreError);
    expect(diff.error!.message).toMatch(/added fact ghost-.* is not stored as written/);
    expect(diff.error!.message).toMatch(/rolled back/);
    for (const episode of episodes) expect((await inner.get(episode.id, [SCOPE]))!.metadata.dream).toBeUndefined();
  });

  it('fails when the store acknowledges merges and stamps it never made', async () => {
    const inner = new InMemoryMemoryStore();
    await seedFact(inner, 'Priya prefers short summaries.');
    await seedEpisodes(inner, ['Priya wants short summaries.']);
    const before = await snapshot(inner);
    const diff = await dream({ store: new LyingMemoryStore(inner, 'update'), principal: PRIYA, model: new ScriptedModel([extractByKeyword({ 'short summar': { text: 'Priya always prefers short summaries.', kind: 'preference' } })]), meter: meterWithLedger().meter, budget: { maxTokens: 10_000 }, now: T0 });
    expect(diff.outcome).toBe('failed');
    expect(diff.error!.message).toMatch(/merged fact .* does not hold the merged text/);
    expect(diff.error!.message).toMatch(/is not marked consolidated/);
    expect(await snapshot(inner)).toEqual(before);
  });
});

describe('dream with a model that misbehaves', () => {
  it('fails cleanly on malformed JSON, even after an earlier batch succeeded, and writes nothing', async () => {
    for (const bad of ['Sure! Here are the facts: ...', '{"facts":[{"text":"x","kind":"rumour","episodes":["a"]}]}', '{"facts": [']) {
      const store = new InMemoryMemoryStore();
      await seedEpisodes(store, ['Priya wants short summaries.', 'Short summaries again.', 'Third episode.', 'Fourth episode.']);
      const before = await snapshot(store);
      const model = new ScriptedModel([extractByKeyword(RULES), { text: bad }]);
      const diff = await dream({ store, principal: PRIYA, model, meter: meterWithLedger().meter, budget: { maxTokens: 10_000 }, batchSize: 2, now: T0 });
      expect(diff).toMatchObject({ outcome: 'failed', applied: false, added: [], episodes: [] });
      expect(diff.error).toBeInstanceOf(ModelError);
      expect(diff.error!.message).toMatch(/not the expected JSON/);
      expect(diff.usage.calls).toBe(2);
      expect(await snapshot(store)).toEqual(before);
    }
  });

  it('accepts an answer inside a ```json fence', async () => {
    const store = new InMemoryMemoryStore();
    const [a, b] = await seedEpisodes(store, ['x', 'y']);
    const fenced = '```json\n' + JSON.stringify({ facts: [{ text: 'Priya likes tea.', kind: 'preference', episodes: [a!.id, b!.id] }] }) + '\n```';
    const diff = await dream({ store, principal: PRIYA, model: new ScriptedModel([{ text: fenced }]), meter: meterWithLedger().meter, budget: { maxTokens: 10_000 }, now: T0 });
    expect(diff.added.map((x) => x.text)).toEqual(['Priya likes tea.']);
  });

  it('fails on a provider error and writes nothing; the failed call is still in the usage', async () => {
    const store = new InMemoryMemoryStore();
    await seedEpisodes(store, ['Priya wants short summaries.']);
    const before = await snapshot(store);
    const error = new ModelError({ provider: 'scripted', kind: 'server', message: 'upstream 500' });
    const diff = await dream({ store, principal: PRIYA, model: new ScriptedModel([{ error }]), meter: meterWithLedger().meter, budget: { maxTokens: 10_000 }, now: T0 });
    expect(diff).toMatchObject({ outcome: 'failed', applied: false, error });
    expect(diff.usage).toMatchObject({ calls: 1, failedCalls: 1 });
    expect(await snapshot(store)).toEqual(before);
  });
});

describe('dream cancellation', () => {
  it('fails with AbortedError and writes nothing when its signal fires mid-call', async () => {
    const store = new InMemoryMemoryStore();
    await seedEpisodes(store, ['Priya wants short summaries.', 'Short summaries again.']);
    const before = await snapshot(store);
    const controller = new AbortController();
    const model = new ScriptedModel([{ ...extractByKeyword(RULES)({ messages: [], tools: [] }), delayMs: 5_000 }]);
    const running = dream({ store, principal: PRIYA, model, meter: meterWithLedger().meter, budget: { maxTokens: 10_000 }, now: T0, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const diff = await running;
    expect(diff).toMatchObject({ outcome: 'failed', applied: false });
    expect(diff.error).toBeInstanceOf(AbortedError);
    expect(diff.usage).toMatchObject({ calls: 1, failedCalls: 1 });
    expect(await snapshot(store)).toEqual(before);
  });
});

describe('dream budget', () => {
  it('stops cleanly when the budget runs out and writes what the finished batches found', async () => {
    const store = new InMemoryMemoryStore();
    const episodes = await seedEpisodes(store, [
      'Priya wants short summaries.', 'Short summaries again.',
      'Priya wants short summaries for incidents.', 'Short summaries for the digest.',
      'Short summaries of the retro.', 'Short summaries of standup.',
    ]);
    const { meter, ledger } = meterWithLedger();
    // The first call reports 690 tokens of the 700 budget, so the second cannot even fit its input.
    const model = new ScriptedModel([extractByKeyword(RULES, { usage: { inputTokens: 650, outputTokens: 40 } }), extractByKeyword(RULES)]);
    const diff = await dream({ store, principal: PRIYA, model, meter, budget: { maxTokens: 700 }, batchSize: 2, now: T0 });

    expect(diff).toMatchObject({ outcome: 'budget-exhausted', applied: true });
    expect(diff.error).toBeInstanceOf(BudgetExceededError);
    expect((diff.error as BudgetExceededError).budgetKey).toBe('dream:priya');
    expect(diff.episodes).toEqual([episodes[0]!.id, episodes[1]!.id]);
    expect(diff.added).toEqual([expect.objectContaining({ text: 'Priya prefers short summaries.', episodes: [episodes[0]!.id, episodes[1]!.id] })]);
    expect(await store.get(diff.added[0]!.id!, [SCOPE])).toBeDefined();
    expect(model.calls).toBe(1);
    const records = await ledger.query({ runId: diff.runId });
    expect(records.map((r) => [r.step, r.status])).toEqual([[1, 'ok'], [2, 'refused']]);
    expect(diff.usage).toMatchObject({ calls: 2, totalTokens: 690 });

    // The next dream, with budget again, reads only the episodes left over and merges into the new fact.
    const next = await dream({ store, principal: PRIYA, model: new ScriptedModel([extractByKeyword(RULES), extractByKeyword(RULES)]), meter: new Meter(), budget: { maxTokens: 10_000 }, batchSize: 2, now: T0 + 1 });
    expect(next.outcome).toBe('consolidated');
    expect(next.episodes).toEqual(episodes.slice(2).map((e) => e.id));
    expect(next.merged.map((m) => m.id)).toEqual([diff.added[0]!.id]);
  });

  it('stops with budget-exhausted when the answer is cut off at the output limit', async () => {
    const store = new InMemoryMemoryStore();
    await seedEpisodes(store, ['Priya wants short summaries.', 'Short summaries again.']);
    const model = new ScriptedModel([(request) => ({ text: `{"facts":[{"text":"Priya prefers sh`, finishReason: 'length', usage: { inputTokens: episodesIn(request).length, outputTokens: 5 } })]);
    const diff = await dream({ store, principal: PRIYA, model, meter: meterWithLedger().meter, budget: { maxTokens: 10_000 }, now: T0 });
    expect(diff).toMatchObject({ outcome: 'budget-exhausted', applied: false, episodes: [] });
    expect(diff.error!.message).toMatch(/cut off/);
  });
});
