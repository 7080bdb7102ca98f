import type { UsageAggregateRow, UsageDimension, UsageRecord } from '@claw/core';
import { usageRecordFixture } from '@claw/core/testing';
import { describe, expect, it } from 'vitest';
import { openClawDatabase } from '../src';

const DAY = 86_400_000;
const START = Date.UTC(2026, 8, 1);
const DIMENSIONS: UsageDimension[] = ['principal', 'team', 'skill', 'trigger', 'model', 'source', 'status', 'day', 'stopReason'];

/** 600 records of 120 runs over 10 days, mixing every dimension, some without team or skills. */
function records(): UsageRecord[] {
  return Array.from({ length: 600 }, (_, i) => {
    const run = Math.floor(i / 5);
    const record = usageRecordFixture({
      runId: `run-${run}`,
      step: (i % 5) + 1,
      at: START + (run % 10) * DAY + (i % 5) * 3_600_000 * 5,
      principalId: `p${run % 7}`,
      team: `t${run % 3}`,
      skills: [['email'], ['slack', 'email'], []][run % 3]!,
      trigger: (['user', 'schedule', 'dream'] as const)[run % 3]!,
      model: run % 2 ? 'gpt-4o-mini' : 'claude-sonnet',
      source: i % 4 ? 'estimated' : 'reported',
      status: i % 9 ? 'ok' : 'error',
      inputTokens: 100 + i,
      outputTokens: i % 50,
      costUsd: (i % 13) / 64,
    });
    if (run % 5 === 0) delete record.team;
    return record;
  });
}

const sorted = (rows: UsageAggregateRow[]) =>
  rows.map((r) => ({ ...r, costUsd: Math.round(r.costUsd * 1e9) / 1e9 })).sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));

describe('SqliteUsageLedger rollup', () => {
  it('day-aligned reports (rollup) equal the same reports computed from the records, after outcomes change', async () => {
    const db = openClawDatabase(':memory:');
    const all = records();
    await db.ledger.append(all.slice(0, 300));
    await db.ledger.setOutcome('run-30', { stopReason: 'final', actions: {}, answered: true });
    // A retried batch overlapping stored records, some re-sent with an outcome.
    await db.ledger.append([
      ...all.slice(250, 600),
      ...all.slice(0, 20).map((r) => ({ ...r, outcome: { stopReason: 'budget' as const, actions: {}, answered: false } })),
    ]);
    await db.ledger.setOutcome('run-100', { stopReason: 'max_steps', actions: {}, answered: false });

    const day = { from: START + DAY, to: START + 8 * DAY };
    // One millisecond off midnight forces the query onto the records; both bounds still cover the same records.
    const offMidnight = { from: START + DAY - 1, to: START + 8 * DAY - 1 };
    expect((await db.ledger.query(day)).length).toBe((await db.ledger.query(offMidnight)).length);
    for (const groupBy of [...DIMENSIONS.map((d) => [d]), ['principal', 'skill'], ['team', 'day', 'stopReason']] as UsageDimension[][]) {
      for (const filter of [{}, { principalIds: ['p1', 'p4'] }, { trigger: 'dream' as const }]) {
        const rollup = await db.ledger.aggregate({ ...filter, ...day, groupBy });
        const direct = await db.ledger.aggregate({ ...filter, ...offMidnight, groupBy });
        expect(sorted(rollup)).toEqual(sorted(direct));
        expect(rollup.length).toBeGreaterThan(0);
      }
    }
    const totals = await db.ledger.aggregate({ groupBy: ['stopReason'] });
    expect(totals.find((r) => r.key.stopReason === 'budget')).toMatchObject({ records: 20, runs: 4 });
    expect(totals.find((r) => r.key.stopReason === 'final')).toMatchObject({ records: 5, runs: 1 });
    expect(totals.reduce((sum, r) => sum + r.records, 0)).toBe(600);
    await db.close();
  });

  it('per-person queries agree whether their days are listed or the span is too long to list', async () => {
    const db = openClawDatabase(':memory:');
    await db.ledger.append(records());
    const people = { principalIds: ['p2', 'p5'] };
    const listed = await db.ledger.query(people);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((r) => ['p2', 'p5'].includes(r.principalId))).toBe(true);
    // A century-wide window is not listed day by day; the answer must not change.
    expect(await db.ledger.query({ ...people, from: 0, to: START + 36_500 * DAY })).toEqual(listed);
    expect(sorted(await db.ledger.aggregate({ ...people, from: 0, to: START + 36_500 * DAY, groupBy: ['day'] }))).toEqual(
      sorted(await db.ledger.aggregate({ ...people, groupBy: ['day'] })),
    );
    expect(await db.ledger.query({ ...people, from: START + 30 * DAY })).toEqual([]);
    await db.close();
  });
});
