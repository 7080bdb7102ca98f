import { type MemoryScope } from '@claw/core';
import { recencyBoost, searchTerms } from '@claw/core/store-kit';
import { describe, expect, it } from 'vitest';
import { openClawDatabase } from '../src';
import { recallMatch } from '../src/memory-match';

const NOW = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;
const WORDS = ['deploy', 'billing', 'freeze', 'release', 'incident', 'rollback', 'canary', 'database', 'migration', 'oncall'];

describe('SqliteMemoryStore ranking', () => {
  it('returns exactly the top k by bm25 × recency boost, even when recency reorders far down the FTS ranking', async () => {
    // A strong recency weight makes old, highly relevant items lose to recent weaker ones: the store must read
    // past the first page of FTS candidates to find them.
    const recency = { recencyWeight: 20, halfLifeMs: 3 * DAY };
    const db = openClawDatabase(':memory:', { memory: { recency } });
    const scopes: MemoryScope[] = ['principal:alice', 'shared'];
    for (let i = 0; i < 400; i++) {
      const words = Array.from({ length: 3 + (i % 7) }, (_, j) => WORDS[(i * 7 + j * 3) % WORDS.length]!);
      await db.memory.remember({
        text: `${words.join(' ')} note ${i}`,
        kind: i % 3 ? 'episode' : 'fact',
        scope: i % 4 === 0 ? 'principal:bob' : i % 2 ? 'shared' : 'principal:alice',
        source: { trust: 'agent' },
        createdAt: NOW - ((i * 37) % 60) * DAY,
      });
    }
    const reference = (query: string, k: number) => {
      // Every match, ranked in one go: what the paged recall must agree with.
      const match = recallMatch([...new Set(searchTerms(query))], scopes, undefined);
      const rows = db.database
        .prepare(
          `SELECT m.text, m.created_at AS createdAt, m.seq, -bm25(memory_fts, 1.0, 0.0) AS relevance
           FROM memory_fts JOIN memory_items m ON m.seq = memory_fts.rowid
           WHERE memory_fts MATCH ? AND m.scope IN ('principal:alice', 'shared')`,
        )
        .all(match) as { text: string; createdAt: number; seq: number; relevance: number }[];
      return rows
        .map((r) => ({ ...r, score: r.relevance * recencyBoost(r.createdAt, NOW, { ...recency }) }))
        .sort((a, b) => b.score - a.score || b.createdAt - a.createdAt || a.seq - b.seq)
        .slice(0, k)
        .map((r) => r.text);
    };
    for (const [query, k] of [['deploy freeze', 5], ['rollback canary migration', 12], ['oncall', 30]] as const) {
      const recalled = await db.memory.recall(query, { scopes, now: NOW, k });
      expect(recalled.map((r) => r.item.text)).toEqual(reference(query, k));
      expect(recalled).toHaveLength(k);
    }
    await db.close();
  });
});
