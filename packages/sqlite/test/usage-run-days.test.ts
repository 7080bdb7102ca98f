import { summariseUsageRuns } from '@claw/core/store-kit';
import { usageRecordFixture } from '@claw/core/testing';
import { describe, expect, it } from 'vitest';
import { openClawDatabase } from '../src';
import { RUN_DAY_COLUMNS, runDaysSelect } from '../src/usage-run-days';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 1, 20);

describe('usage_run_days', () => {
  it('kept up by appends in any order and batching equals a rebuild from the records', async () => {
    const db = openClawDatabase(':memory:');
    let seed = 11;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const records = Array.from({ length: 300 }, (_, i) =>
      usageRecordFixture({
        runId: `run-${i % 23}`, step: i, principalId: `p${i % 23 % 4}`, at: START + Math.floor(random() * 10) * HOUR, // runs cross midnight
        trigger: random() < 0.3 ? 'schedule' : 'user', source: random() < 0.5 ? 'reported' : 'estimated', status: random() < 0.1 ? 'error' : 'ok',
        promptHash: random() < 0.5 ? `${i}`.padStart(64, 'a') : `prompt-${i}`, formulaVersion: random() < 0.2 ? 'claw-tokens/1' : 'claw-tokens/2',
        ...(random() < 0.5 ? { promptSketch: `s${i}` } : {}), ...(random() < 0.4 ? { outcome: { stopReason: 'final', answered: random() < 0.5, actions: {} } } : {}),
      }),
    );
    for (let i = 0; i < records.length; ) {
      const size = 1 + Math.floor(random() * 40);
      await db.ledger.append(records.slice(i, i + size).reverse());
      i += size;
    }
    await db.ledger.setOutcome('run-3', { stopReason: 'max_steps', answered: false, actions: {} });
    const sorted = (rows: Record<string, unknown>[]): Record<string, unknown>[] =>
      rows
        .map((row): Record<string, unknown> => ({ ...row, cost_usd: Math.round((row.cost_usd as number) * 1e9), formula_versions: (JSON.parse(row.formula_versions as string) as string[]).sort(), estimate: JSON.parse(row.estimate as string) as number[] }))
        .sort((a, b) => `${String(a.day)}${String(a.run_id)}`.localeCompare(`${String(b.day)}${String(b.run_id)}`));
    const kept = db.database.prepare(`SELECT ${RUN_DAY_COLUMNS} FROM usage_run_days`).all() as Record<string, unknown>[];
    const rebuilt = db.database.prepare(`SELECT * FROM (${runDaysSelect('')})`).raw(true).all() as unknown[][];
    const names = RUN_DAY_COLUMNS.split(',').map((c) => c.trim());
    const expected = rebuilt.map((values) => Object.fromEntries(names.map((name, i) => [name, values[i]])));
    // The kept opening hash is text; the rebuild's select turns stored bytes back into hex text too.
    expect(kept.length).toBeGreaterThan(23);
    expect(sorted(kept)).toEqual(sorted(expected));
    await db.close();
  });

  it('summaries over whole days merge the days of a run that crosses midnight exactly as folding its records', async () => {
    const db = openClawDatabase(':memory:');
    const late = START + 4 * HOUR - 1000; // a second before midnight
    await db.ledger.append([
      // run-x: a failed background call before midnight, then the opening and first outcome, another version, a reported call.
      usageRecordFixture({ runId: 'run-x', step: 1, at: late, trigger: 'schedule', inputTokens: 300, status: 'error' }),
      usageRecordFixture({ runId: 'run-x', step: 2, at: late + 2000, promptHash: 'd'.repeat(64), promptSketch: 'sketch-x', formulaVersion: 'claw-tokens/2', outcome: { stopReason: 'final', answered: true, actions: { email_send: 2 } } }),
      usageRecordFixture({ runId: 'run-x', step: 3, at: late + DAY, source: 'reported', outcome: { stopReason: 'max_steps', answered: false, actions: {} } }),
      // run-y: one day only, starting between run-x's days.
      usageRecordFixture({ runId: 'run-y', step: 1, at: late + 5000, principalId: 'sam', outputTokens: 70 }),
    ]);
    const midnight = START + 4 * HOUR;
    for (const query of [{}, { from: midnight - DAY, to: midnight + 2 * DAY }, { from: midnight, to: midnight + 2 * DAY }, { principalIds: ['priya'], from: midnight - DAY, to: midnight + DAY }]) {
      expect(await db.ledger.summariseRuns(query)).toEqual(summariseUsageRuns(await db.ledger.query(query)));
    }
    const [x] = await db.ledger.summariseRuns({ runId: 'run-x' });
    expect(x).toMatchObject({ records: 3, formulaVersions: ['1', 'claw-tokens/2'], outcome: { stopReason: 'final' }, opening: { at: late + 2000, promptSketch: 'sketch-x' } });
    await db.close();
  });
});
