import { describe, expect, it } from 'vitest';
import { type BudgetLimit, type BudgetReservationRequest, type BudgetStore } from '@claw/core';
import { withStore, type StoreFactory } from './store-handle';

const T = 1_800_000_000_000;
const WINDOW = 60_000;
const tokens = (maxTokens: number, key = 'principal:priya'): BudgetLimit => ({ key, windowMs: WINDOW, maxTokens });

function request(overrides: Partial<BudgetReservationRequest> & { id: string }): BudgetReservationRequest {
  return {
    limits: [tokens(1000)],
    inputTokens: 100,
    inputCostUsd: 0,
    maxOutputTokens: 200,
    outputCostPerTokenUsd: 0,
    minOutputTokens: 1,
    at: T,
    ...overrides,
  };
}

/**
 * Registers the {@link BudgetStore} conformance tests: grant, clamp, refusal, cost limits, settle, rolling
 * windows, idempotent reservation ids and 50 concurrent reservations that must never overspend.
 * @param factory returns a fresh, empty budget store per test
 */
export function describeBudgetStoreConformance(name: string, factory: StoreFactory<BudgetStore>): void {
  const test = (title: string, body: (store: BudgetStore) => Promise<void>) =>
    it(title, () => withStore(factory, ({ store }) => body(store)));

  describe(`BudgetStore conformance: ${name}`, () => {
    test('grants the requested output when it fits and counts it as used', async (store) => {
      expect(await store.reserve(request({ id: 'r1' }))).toEqual({ granted: true, id: 'r1', outputTokens: 200, tokens: 300, costUsd: 0 });
      expect(await store.usage('principal:priya', WINDOW, T)).toEqual({ tokens: 300, costUsd: 0 });
      expect(await store.usage('principal:someone-else', WINDOW, T)).toEqual({ tokens: 0, costUsd: 0 });
    });

    test('clamps the output limit to what remains', async (store) => {
      await store.reserve(request({ id: 'r1' }));
      const second = await store.reserve(request({ id: 'r2', inputTokens: 500, maxOutputTokens: 500 }));
      expect(second).toEqual({ granted: true, id: 'r2', outputTokens: 200, tokens: 700, costUsd: 0 });
      expect(await store.usage('principal:priya', WINDOW, T)).toEqual({ tokens: 1000, costUsd: 0 });
    });

    test('refuses when the input plus the minimum output does not fit, naming the limit', async (store) => {
      await store.reserve(request({ id: 'r1', inputTokens: 900, maxOutputTokens: 50 }));
      const refused = await store.reserve(request({ id: 'r2', inputTokens: 40, minOutputTokens: 100 }));
      expect(refused).toMatchObject({ granted: false, id: 'r2', limit: tokens(1000), remainingTokens: 50 });
      const noRoomForInput = await store.reserve(request({ id: 'r3', inputTokens: 60 }));
      expect(noRoomForInput).toMatchObject({ granted: false, id: 'r3', remainingTokens: 50 });
      // Refusals reserve nothing.
      expect(await store.usage('principal:priya', WINDOW, T)).toEqual({ tokens: 950, costUsd: 0 });
    });

    test('applies every limit and the tightest one decides', async (store) => {
      const limits = [tokens(1000), tokens(250, 'skill:email')];
      expect(await store.reserve(request({ id: 'r1', limits }))).toMatchObject({ granted: true, outputTokens: 150 });
      expect(await store.usage('skill:email', WINDOW, T)).toEqual({ tokens: 250, costUsd: 0 });
      expect(await store.usage('principal:priya', WINDOW, T)).toEqual({ tokens: 250, costUsd: 0 });
      const refused = await store.reserve(request({ id: 'r2', limits }));
      expect(refused).toMatchObject({ granted: false, limit: { key: 'skill:email' } });
    });

    test('enforces cost limits and clamps output by cost', async (store) => {
      // Binary-exact prices so the arithmetic is exact in every store.
      const limits: BudgetLimit[] = [{ key: 'principal:priya', windowMs: WINDOW, maxCostUsd: 1 }];
      const priced = { limits, inputCostUsd: 0.25, outputCostPerTokenUsd: 0.0078125 };
      const first = await store.reserve(request({ id: 'r1', ...priced }));
      expect(first).toEqual({ granted: true, id: 'r1', outputTokens: 96, tokens: 196, costUsd: 1 });
      expect(await store.usage('principal:priya', WINDOW, T)).toEqual({ tokens: 196, costUsd: 1 });
      expect(await store.reserve(request({ id: 'r2', ...priced }))).toMatchObject({ granted: false, remainingCostUsd: 0 });
    });

    test('settle replaces the reservation with actual use and releases the rest', async (store) => {
      await store.reserve(request({ id: 'r1', inputTokens: 800 }));
      expect(await store.reserve(request({ id: 'r2', inputTokens: 100 }))).toMatchObject({ granted: false });
      await store.settle('r1', { tokens: 120, costUsd: 0.5 });
      expect(await store.usage('principal:priya', WINDOW, T)).toEqual({ tokens: 120, costUsd: 0.5 });
      expect(await store.reserve(request({ id: 'r3', inputTokens: 100 }))).toMatchObject({ granted: true, outputTokens: 200 });
    });

    test('settling an unknown or refused id changes nothing', async (store) => {
      await store.reserve(request({ id: 'r1' }));
      await store.reserve(request({ id: 'big', inputTokens: 5000 }));
      await store.settle('unknown', { tokens: 10, costUsd: 1 });
      await store.settle('big', { tokens: 10, costUsd: 1 });
      expect(await store.usage('principal:priya', WINDOW, T)).toEqual({ tokens: 300, costUsd: 0 });
    });

    test('use leaves the rolling window once it is older than the window', async (store) => {
      await store.reserve(request({ id: 'r1', inputTokens: 900, maxOutputTokens: 100 }));
      const within = T + WINDOW - 1000;
      expect(await store.reserve(request({ id: 'r2', at: within }))).toMatchObject({ granted: false });
      expect(await store.usage('principal:priya', WINDOW, within)).toEqual({ tokens: 1000, costUsd: 0 });
      const after = T + WINDOW + 1000;
      expect(await store.usage('principal:priya', WINDOW, after)).toEqual({ tokens: 0, costUsd: 0 });
      expect(await store.reserve(request({ id: 'r3', at: after }))).toMatchObject({ granted: true, outputTokens: 200 });
      // A longer window still sees the old use.
      expect(await store.usage('principal:priya', 10 * WINDOW, after)).toEqual({ tokens: 1300, costUsd: 0 });
    });

    test('reserving the same id twice returns the first result and reserves once', async (store) => {
      const first = await store.reserve(request({ id: 'r1' }));
      const again = await store.reserve(request({ id: 'r1', inputTokens: 10, maxOutputTokens: 10 }));
      expect(again).toEqual(first);
      expect(await store.usage('principal:priya', WINDOW, T)).toEqual({ tokens: 300, costUsd: 0 });
      const refused = await store.reserve(request({ id: 'r2', inputTokens: 5000 }));
      expect(await store.reserve(request({ id: 'r2', inputTokens: 1 }))).toEqual(refused);
    });

    test('a reservation stamped earlier but decided later still counts use stamped after it', async (store) => {
      // A caller stamps its request, then waits (for a lock, a connection, another process): by the time it is
      // decided, use stamped later than its own time is already there and must not fall outside its window.
      expect(await store.reserve(request({ id: 'later', inputTokens: 900, maxOutputTokens: 100 }))).toMatchObject({ granted: true });
      expect(await store.reserve(request({ id: 'earlier', at: T - 1 }))).toMatchObject({ granted: false, remainingTokens: 0 });
      expect(await store.reserve(request({ id: 'much-earlier', at: T - WINDOW / 2 }))).toMatchObject({ granted: false });
      expect(await store.usage('principal:priya', WINDOW, T)).toEqual({ tokens: 1000, costUsd: 0 });
    });

    test('a late-stamped reservation that fits is counted from the newest use on, so it stays in later windows', async (store) => {
      await store.reserve(request({ id: 'r1', inputTokens: 400, maxOutputTokens: 100 }));
      expect(await store.reserve(request({ id: 'r2', at: T - 5000, inputTokens: 400, maxOutputTokens: 100 }))).toMatchObject({ granted: true });
      // Both are counted at T or later, so both are still in the window that ends just before T + WINDOW.
      expect(await store.usage('principal:priya', WINDOW, T + WINDOW - 1)).toEqual({ tokens: 1000, costUsd: 0 });
      expect(await store.reserve(request({ id: 'r3', at: T + WINDOW - 1 }))).toMatchObject({ granted: false });
    });

    test('asking about usage at another moment never changes what a reservation sees', async (store) => {
      await store.reserve(request({ id: 'r1', inputTokens: 900, maxOutputTokens: 100 }));
      expect(await store.usage('principal:priya', WINDOW, T + 10 * WINDOW)).toEqual({ tokens: 0, costUsd: 0 });
      expect(await store.usage('principal:priya', WINDOW, T - WINDOW)).toEqual({ tokens: 0, costUsd: 0 });
      expect(await store.reserve(request({ id: 'r2' }))).toMatchObject({ granted: false });
    });

    test('settling more than was reserved counts all of it against the budget', async (store) => {
      await store.reserve(request({ id: 'r1', inputTokens: 80, maxOutputTokens: 220 }));
      await store.settle('r1', { tokens: 5080, costUsd: 0 });
      expect(await store.usage('principal:priya', WINDOW, T)).toEqual({ tokens: 5080, costUsd: 0 });
      expect(await store.reserve(request({ id: 'r2', inputTokens: 1, maxOutputTokens: 1 }))).toMatchObject({ granted: false, remainingTokens: -4080 });
    });

    test('a limit listed twice with the same key counts the reservation once', async (store) => {
      await store.reserve(request({ id: 'r1', limits: [tokens(1000), tokens(2000)] }));
      expect(await store.usage('principal:priya', WINDOW, T)).toEqual({ tokens: 300, costUsd: 0 });
    });

    test('50 concurrent reservations never overspend', async (store) => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.reserve(request({ id: `c${i}`, inputTokens: 50, maxOutputTokens: 50, minOutputTokens: 50 })),
        ),
      );
      expect(results.filter((r) => r.granted)).toHaveLength(10);
      expect(await store.usage('principal:priya', WINDOW, T)).toEqual({ tokens: 1000, costUsd: 0 });
    });
  });
}
