import { describe, expect, it } from 'vitest';
import { type RunOutcome, type UsageAggregateRow, type UsageDimension, type UsageLedger, type UsageRecord } from '@claw/core';
import { FIXTURE_TIME, usageRecordFixture } from './fixtures';
import { withStore, type StoreFactory } from './store-handle';

const HOUR = 3_600_000;

/**
 * Four records across three principals, two teams, three runs and three UTC days. r3 and r4 sit either side of
 * midnight UTC so a store that groups by local time (or by `at / 86400000` rounded the wrong way) is caught.
 */
function ledgerFixture(): UsageRecord[] {
  return [
    usageRecordFixture({ runId: 'run-a', step: 1, at: FIXTURE_TIME, principalId: 'priya', team: 'platform',
      skills: ['email'], source: 'reported', reported: { inputTokens: 100, outputTokens: 10 },
      delta: { inputTokens: 2, outputTokens: -1 }, inputTokens: 100, outputTokens: 10, costUsd: 0.25 }),
    usageRecordFixture({ runId: 'run-a', step: 2, at: FIXTURE_TIME + HOUR, principalId: 'priya', team: 'platform',
      skills: ['email', 'calendar'], status: 'error', errorCode: 'MODEL_ERROR', inputTokens: 200, outputTokens: 20,
      costUsd: 0.5 }),
    usageRecordFixture({ runId: 'run-b', step: 1, at: Date.UTC(2026, 10, 2, 23, 30), principalId: 'raj',
      team: 'platform', skills: [], trigger: 'schedule', provider: 'anthropic', model: 'claude-sonnet',
      source: 'reported', inputTokens: 300, outputTokens: 30, costUsd: 0.125 }),
    usageRecordFixture({ runId: 'run-c', step: 1, at: Date.UTC(2026, 10, 3, 0, 30), principalId: 'sam',
      team: 'payments', skills: ['memory'], trigger: 'dream', inputTokens: 400, outputTokens: 40, costUsd: 1 }),
  ];
}

const outcome = (stopReason: RunOutcome['stopReason']): RunOutcome => ({ stopReason, actions: { email_move: 1 }, answered: true });

/** Expected groups per dimension, as indexes into {@link ledgerFixture} (after outcomes are set). */
const expectedGroups: Record<UsageDimension, Record<string, number[]>> = {
  principal: { priya: [0, 1], raj: [2], sam: [3] },
  team: { platform: [0, 1, 2], payments: [3] },
  skill: { email: [0], 'calendar,email': [1], '(none)': [2], memory: [3] },
  trigger: { user: [0, 1], schedule: [2], dream: [3] },
  model: { 'gpt-4o-mini': [0, 1, 3], 'claude-sonnet': [2] },
  source: { reported: [0, 2], estimated: [1, 3] },
  status: { ok: [0, 2, 3], error: [1] },
  day: { '2026-11-01': [0, 1], '2026-11-02': [2], '2026-11-03': [3] },
  stopReason: { final: [0, 1], max_steps: [2], budget: [3] },
};

function expectedRow(key: UsageAggregateRow['key'], records: UsageRecord[]): UsageAggregateRow {
  return {
    key,
    records: records.length,
    runs: new Set(records.map((r) => r.runId)).size,
    inputTokens: records.reduce((s, r) => s + r.inputTokens, 0),
    outputTokens: records.reduce((s, r) => s + r.outputTokens, 0),
    totalTokens: records.reduce((s, r) => s + r.totalTokens, 0),
    costUsd: records.reduce((s, r) => s + r.costUsd, 0),
  };
}

const byKey = (rows: UsageAggregateRow[]) =>
  [...rows].sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));

async function seeded(store: UsageLedger): Promise<UsageRecord[]> {
  const records = ledgerFixture();
  // Appended out of order: queries must still come back oldest first.
  await store.append([records[3]!, records[1]!]);
  await store.append([records[0]!, records[2]!]);
  await store.setOutcome('run-a', outcome('final'));
  await store.setOutcome('run-b', outcome('max_steps'));
  await store.setOutcome('run-c', outcome('budget'));
  return records;
}

const ids = (records: UsageRecord[]) => records.map((r) => r.id);

/**
 * Registers the {@link UsageLedger} conformance tests: idempotent appends, outcome-only re-appends (the first
 * outcome stays), query
 * filters and order, aggregates by every dimension, and `setOutcome`. Call it inside a vitest test file.
 * @param factory returns a fresh, empty ledger per test
 */
export function describeUsageLedgerConformance(name: string, factory: StoreFactory<UsageLedger>): void {
  const test = (title: string, body: (store: UsageLedger) => Promise<void>) =>
    it(title, () => withStore(factory, ({ store }) => body(store)));

  describe(`UsageLedger conformance: ${name}`, () => {
    test('stores a record exactly as appended', async (store) => {
      const [record] = ledgerFixture();
      await store.append([record!]);
      expect(await store.query({})).toEqual([record]);
    });

    test('appending the same id twice, across calls or within one batch, stores it once', async (store) => {
      const [first, second] = ledgerFixture();
      await store.append([first!]);
      await store.append([first!]);
      await store.append([second!, second!]);
      expect(ids(await store.query({}))).toEqual([first!.id, second!.id]);
    });

    test('an empty batch is accepted and stores nothing', async (store) => {
      await store.append([]);
      expect(await store.query({})).toEqual([]);
    });

    test('re-appending a record with an outcome sets only the outcome, never the counts', async (store) => {
      const [record] = ledgerFixture();
      await store.append([record!]);
      await store.append([{ ...record!, inputTokens: 9999, totalTokens: 9999, costUsd: 99, outcome: outcome('final') }]);
      expect(await store.query({})).toEqual([{ ...record!, outcome: outcome('final') }]);
      // A later plain re-append (a retried batch) must not erase the outcome again.
      await store.append([record!]);
      expect(await store.query({})).toEqual([{ ...record!, outcome: outcome('final') }]);
    });

    test('get returns the record with that id, with its outcome, and undefined for an unknown id', async (store) => {
      const records = await seeded(store);
      expect(await store.get(records[0]!.id)).toEqual({ ...records[0]!, outcome: outcome('final') });
      expect(await store.get(records[2]!.id)).toEqual({ ...records[2]!, outcome: outcome('max_steps') });
      expect(await store.get('no-such-record')).toBeUndefined();
    });

    test('a re-appended record with a different outcome keeps the first; only setOutcome replaces it', async (store) => {
      const [record] = ledgerFixture();
      await store.append([{ ...record!, outcome: outcome('suspended') }]);
      await store.append([{ ...record!, outcome: outcome('final') }]);
      expect((await store.query({}))[0]!.outcome).toEqual(outcome('suspended'));
      const rows = await store.aggregate({ groupBy: ['stopReason'] });
      expect(rows.map((row) => row.key.stopReason)).toEqual(['suspended']);
      await store.setOutcome(record!.runId, outcome('final'));
      expect((await store.query({}))[0]!.outcome).toEqual(outcome('final'));
    });

    test('keeps the prompt sketch and flags of a record', async (store) => {
      const record = usageRecordFixture({ promptSketch: '0123456789abcdef', flags: ['implausible-report', 'over-reservation'] });
      await store.append([record]);
      expect(await store.query({})).toEqual([record]);
    });

    test('query returns every record oldest first when unfiltered', async (store) => {
      const records = await seeded(store);
      expect(ids(await store.query({}))).toEqual(ids(records));
    });

    test('query filters by principals, run and trigger', async (store) => {
      const r = await seeded(store);
      expect(ids(await store.query({ principalIds: ['sam', 'raj'] }))).toEqual(ids([r[2]!, r[3]!]));
      expect(ids(await store.query({ runId: 'run-a' }))).toEqual(ids([r[0]!, r[1]!]));
      expect(ids(await store.query({ trigger: 'schedule' }))).toEqual(ids([r[2]!]));
      expect(await store.query({ principalIds: ['nobody'] })).toEqual([]);
      expect(ids(await store.query({ principalIds: ['priya'], trigger: 'user', runId: 'run-a' }))).toEqual(ids([r[0]!, r[1]!]));
    });

    test('query filters by time range with `from` inclusive and `to` exclusive', async (store) => {
      const r = await seeded(store);
      expect(ids(await store.query({ from: r[1]!.at, to: r[2]!.at }))).toEqual(ids([r[1]!]));
      expect(ids(await store.query({ from: r[2]!.at }))).toEqual(ids([r[2]!, r[3]!]));
      expect(ids(await store.query({ to: r[1]!.at }))).toEqual(ids([r[0]!]));
    });

    test('query limit keeps the oldest records', async (store) => {
      const r = await seeded(store);
      expect(ids(await store.query({ limit: 2 }))).toEqual(ids([r[0]!, r[1]!]));
      expect(ids(await store.query({ principalIds: ['raj', 'sam'], limit: 1 }))).toEqual(ids([r[2]!]));
    });

    test('setOutcome sets the outcome on every record of the run and on no other', async (store) => {
      const records = ledgerFixture();
      await store.append(records);
      await store.setOutcome('run-a', outcome('final'));
      const stored = await store.query({});
      expect(stored.filter((r) => r.runId === 'run-a').map((r) => r.outcome)).toEqual([outcome('final'), outcome('final')]);
      expect(stored.filter((r) => r.runId !== 'run-a').map((r) => r.outcome)).toEqual([undefined, undefined]);
      expect(stored.find((r) => r.id === records[0]!.id)).toEqual({ ...records[0]!, outcome: outcome('final') });
    });

    for (const dimension of Object.keys(expectedGroups) as UsageDimension[]) {
      test(`aggregate groups by ${dimension}`, async (store) => {
        const records = await seeded(store);
        const rows = await store.aggregate({ groupBy: [dimension] });
        const expected = Object.entries(expectedGroups[dimension]).map(([value, indexes]) =>
          expectedRow({ [dimension]: value }, indexes.map((i) => records[i]!)),
        );
        expect(normalise(byKey(rows))).toEqual(normalise(byKey(expected)));
      });
    }

    test('aggregate groups by several dimensions and honours the query filters', async (store) => {
      const r = await seeded(store);
      const rows = await store.aggregate({ groupBy: ['principal', 'day'], principalIds: ['priya', 'raj'] });
      expect(normalise(byKey(rows))).toEqual(
        normalise(byKey([
          expectedRow({ principal: 'priya', day: '2026-11-01' }, [r[0]!, r[1]!]),
          expectedRow({ principal: 'raj', day: '2026-11-02' }, [r[2]!]),
        ])),
      );
      const windowed = await store.aggregate({ groupBy: ['team'], from: r[1]!.at, to: r[3]!.at });
      expect(normalise(windowed)).toEqual(normalise([expectedRow({ team: 'platform' }, [r[1]!, r[2]!])]));
      expect(await store.aggregate({ groupBy: ['principal'], trigger: 'heartbeat' })).toEqual([]);
    });

    test('aggregate labels a missing team `(none)` and a run without outcome `(running)`', async (store) => {
      const { team: _team, ...teamless } = usageRecordFixture({ runId: 'run-z', principalId: 'zoe' });
      await store.append([teamless]);
      const rows = await store.aggregate({ groupBy: ['team', 'stopReason'] });
      expect(normalise(rows)).toEqual(normalise([expectedRow({ team: '(none)', stopReason: '(running)' }, [teamless])]));
    });

    test('aggregate with no dimensions returns one total row', async (store) => {
      const records = await seeded(store);
      expect(normalise(await store.aggregate({ groupBy: [] }))).toEqual(normalise([expectedRow({}, records)]));
    });
  });
}

/** Costs are sums of floats: compare them to the cent-fraction, everything else exactly. */
function normalise(rows: UsageAggregateRow[]) {
  return rows.map((row) => ({ ...row, costUsd: Math.round(row.costUsd * 1e9) / 1e9 }));
}
