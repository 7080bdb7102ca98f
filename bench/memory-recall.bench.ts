/**
 * In-memory memory store: recall latency over 100,000 memories (BM25 over the per-scope inverted index, recency
 * weighting, k = 8 and a 1,000-token cap, as the agent recalls before a run). Two layouts:
 * - one principal holding all 100,000 memories (the worst case: every query term's postings are in one scope);
 * - 100,000 memories over 100 principals of 10 teams plus a shared scope, recalled for one principal with the
 *   scopes the agent passes (own, team, shared).
 * Texts are 12-30 words drawn from a 5,000-word vocabulary with Zipf-like frequencies; queries are 2-5 such words.
 * Median and p99 over 1,000 recalls after 100 warm-up recalls.
 */
import { InMemoryMemoryStore, type MemoryScope } from '@claw/core';
import type { BenchRow } from './bench-row';

const ITEMS = 100_000;
const WARMUP = 100;
const SAMPLES = 1_000;
const VOCABULARY = 5_000;
const SYLLABLES = ['ka', 'lo', 'ren', 'ti', 'mus', 'dor', 'pe', 'sha', 'vin', 'qua', 'zel', 'bro', 'nu', 'fay', 'gri', 'tol'];

/** Deterministic PRNG (mulberry32), so every run measures the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vocabulary(): string[] {
  const words = new Set<string>();
  const next = random(7);
  while (words.size < VOCABULARY) {
    const length = 2 + Math.floor(next() * 3);
    let word = '';
    for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(next() * SYLLABLES.length)]!;
    words.add(word);
  }
  return [...words];
}

/** Zipf-like pick: word rank r is chosen with probability proportional to 1 / (r + 10). */
function zipfPicker(words: readonly string[], next: () => number): () => string {
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 0; r < words.length; r++) cumulative.push((total += 1 / (r + 10)));
  return () => {
    const target = next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < target) low = mid + 1;
      else high = mid;
    }
    return words[low]!;
  };
}

function sentence(pick: () => string, next: () => number, min: number, max: number): string {
  const length = min + Math.floor(next() * (max - min + 1));
  return Array.from({ length }, pick).join(' ');
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(store: InMemoryMemoryStore, scopes: () => MemoryScope[], queries: readonly string[], now: number) {
  for (let i = 0; i < WARMUP; i++) await store.recall(queries[i % queries.length]!, { scopes: scopes(), k: 8, maxTokens: 1000, now });
  const times: number[] = [];
  let returned = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    const recalled = await store.recall(queries[(i + WARMUP) % queries.length]!, { scopes: scopes(), k: 8, maxTokens: 1000, now });
    times.push(performance.now() - start);
    returned += recalled.length;
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99), averageReturned: returned / SAMPLES };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export default async function memoryRecallBench(): Promise<BenchRow[]> {
  const words = vocabulary();
  const next = random(42);
  const pick = zipfPicker(words, next);
  const now = Date.UTC(2026, 10, 1);
  const texts = Array.from({ length: ITEMS }, () => sentence(pick, next, 12, 30));
  const queries = Array.from({ length: 500 }, () => sentence(pick, next, 2, 5));
  const rows: BenchRow[] = [];

  const single = new InMemoryMemoryStore();
  const indexStart = performance.now();
  for (let i = 0; i < ITEMS; i++) {
    await single.remember({ text: texts[i]!, kind: i % 3 === 0 ? 'episode' : 'fact', scope: 'principal:priya', source: { trust: 'agent' }, createdAt: now - i * 60_000 });
  }
  const indexSeconds = (performance.now() - indexStart) / 1000;
  rows.push({ figure: 'in-memory memory: remember (index) rate, 100k memories', value: Math.round(ITEMS / indexSeconds), unit: 'items/s' });

  const one = await measure(single, () => ['principal:priya'], queries, now);
  rows.push({ figure: `in-memory memory: recall over 100k memories in one scope, k=8, 1000-token cap, median (avg ${one.averageReturned.toFixed(1)} returned)`, value: round(one.median), unit: 'ms' });
  rows.push({ figure: 'in-memory memory: recall over 100k memories in one scope, p99', value: round(one.p99), unit: 'ms' });

  const spread = new InMemoryMemoryStore();
  for (let i = 0; i < ITEMS; i++) {
    const person = i % 100;
    const scope: MemoryScope = i % 20 === 0 ? 'shared' : i % 7 === 0 ? `team:team-${person % 10}` : `principal:person-${person}`;
    await spread.remember({ text: texts[i]!, kind: 'fact', scope, source: { trust: 'agent' }, createdAt: now - i * 60_000 });
  }
  let caller = 0;
  const scopesOfNextCaller = (): MemoryScope[] => {
    const person = caller++ % 100;
    return [`principal:person-${person}`, `team:team-${person % 10}`, 'shared'];
  };
  const many = await measure(spread, scopesOfNextCaller, queries, now);
  rows.push({ figure: `in-memory memory: recall for one of 100 principals (own + team + shared scopes) over 100k memories, median (avg ${many.averageReturned.toFixed(1)} returned)`, value: round(many.median), unit: 'ms' });
  rows.push({ figure: 'in-memory memory: recall for one of 100 principals over 100k memories, p99', value: round(many.p99), unit: 'ms' });
  return rows;
}
