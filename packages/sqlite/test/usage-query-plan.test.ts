import { usageRecordFixture } from '@claw/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTempDatabase } from './temp-database';

const DAY = 86_400_000;
const START = Date.UTC(2026, 8, 1);

describe('SqliteUsageLedger query plans', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await close?.();
  });

  it("reads one person's records over a span through the (day, person) index, not every record of the span", async () => {
    const temp = openTempDatabase();
    close = temp.close;
    const { db } = temp;
    const records = Array.from({ length: 3_000 }, (_, i) =>
      usageRecordFixture({ runId: `run-${i}`, at: START + Math.floor(i / 100) * DAY + (i % 100) * 1000, principalId: `person-${i % 100}` }),
    );
    await db.ledger.append(records);
    db.database.pragma('optimize');
    const prepare = vi.spyOn(db.database, 'prepare');
    const found = await db.ledger.query({ principalIds: ['person-7'], from: START, to: START + 30 * DAY });
    expect(found.map((r) => r.runId)).toEqual(records.filter((r) => r.principalId === 'person-7').map((r) => r.runId));
    const sql = String(prepare.mock.calls.find(([text]) => /FROM usage_records/.test(String(text)))![0]);
    prepare.mockRestore();
    const params = [JSON.stringify(['person-7']), JSON.stringify(Array.from({ length: 30 }, (_, i) => START / DAY + i)), START, START + 30 * DAY];
    const plan = (db.database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail).join('\n');
    expect(plan).toContain('USING INDEX usage_by_day_principal');
    expect(plan).not.toContain('usage_by_time');
  });
});
