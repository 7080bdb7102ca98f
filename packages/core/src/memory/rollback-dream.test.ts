import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors';
import { ScriptedModel } from '../testing/scripted-model';
import { dream } from './dream';
import { DAY, PRIYA, SCOPE, T0, extractByKeyword, meterWithLedger, seedEpisodes, seedFact, snapshot } from './dream-test-kit';
import { InMemoryMemoryStore } from './in-memory-memory-store';
import { rollbackDream } from './rollback-dream';

const RULES = {
  'short summar': { text: 'Priya always prefers short summaries.', kind: 'preference' as const },
  lisbon: { text: 'Priya works from the Lisbon office.' },
};

describe('rollbackDream', () => {
  it('forgets added facts, reverts merged texts, restores dropped facts and releases the episodes', async () => {
    const store = new InMemoryMemoryStore();
    const merged = await seedFact(store, 'Priya prefers short summaries.');
    const stale = await seedFact(store, 'The old VPN host is vpn1', T0 - 90 * DAY);
    for (let i = 0; i < 3; i++) await seedFact(store, `Runbook ${i} is in the wiki`);
    const episodes = await seedEpisodes(store, ['Priya wants short summaries.', 'Lisbon desk booked.', 'Lisbon office again.']);
    const before = await snapshot(store);

    const diff = await dream({ store, principal: PRIYA, model: new ScriptedModel([extractByKeyword(RULES)]), meter: meterWithLedger().meter, budget: { maxTokens: 10_000 }, decayAfterMs: 30 * DAY, now: T0 });
    expect(diff).toMatchObject({ outcome: 'consolidated', applied: true });
    expect(diff.added.map((a) => a.text)).toEqual(['Priya works from the Lisbon office.']);
    expect(diff.merged.map((m) => [m.id, m.previousText, m.text])).toEqual([[merged.id, 'Priya prefers short summaries.', 'Priya always prefers short summaries.']]);
    expect(diff.dropped.map((d) => d.id)).toEqual([stale.id]);

    const result = await rollbackDream(store, diff);
    expect(result).toEqual({
      version: 1,
      forgotten: [diff.added[0]!.id],
      reverted: [merged.id],
      restored: [stale.id],
      released: episodes.map((e) => e.id),
    });
    const after = await snapshot(store);
    const comparable = (items: typeof after) => items.filter((i) => i.deletedAt === undefined).map(({ updatedAt: _u, ...rest }) => rest);
    expect(comparable(after)).toEqual(comparable(before));
    expect(after.find((i) => i.id === diff.added[0]!.id)?.deletedAt).toEqual(expect.any(Number));

    // The released episodes are read again by the next dream.
    const again = await dream({ store, principal: PRIYA, model: new ScriptedModel([extractByKeyword(RULES)]), meter: meterWithLedger().meter, budget: { maxTokens: 10_000 }, now: T0 + 1 });
    expect(again.episodes).toEqual(episodes.map((e) => e.id));
  });

  it('refuses a diff that was never applied', async () => {
    const store = new InMemoryMemoryStore();
    for (let i = 0; i < 2; i++) await seedFact(store, `Legacy host ${i}`, T0 - 90 * DAY);
    const refused = await dream({ store, principal: PRIYA, model: new ScriptedModel([]), meter: meterWithLedger().meter, budget: { maxTokens: 10_000 }, decayAfterMs: DAY, now: T0 });
    expect(refused.outcome).toBe('refused');
    await expect(rollbackDream(store, refused)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await store.list([SCOPE])).toHaveLength(2);
  });
});
