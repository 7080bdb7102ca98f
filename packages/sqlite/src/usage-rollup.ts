import type Database from 'better-sqlite3';
import type { UsageDimension, UsageRecord } from '@claw/core';
import { DAY_MS, skillKey } from './usage-record-row';

/** Rollup key columns, in primary-key order. */
const KEY_COLUMNS = 'day, principal_id, run_id, team, skill_key, "trigger", model, source, status, stop_reason';

/**
 * Report dimensions over the rollup (`rollup`) and over the raw records (`records`). Missing values get the
 * in-memory ledger's labels: `(none)` for no team or skills, `(running)` for a run without an outcome yet.
 */
export const DIMENSION_COLUMNS: Record<UsageDimension, { rollup: string; records: string }> = {
  principal: { rollup: 'principal_id', records: 'principal_id' },
  team: { rollup: 'team', records: "COALESCE(team, '(none)')" },
  skill: { rollup: 'skill_key', records: 'skill_key' },
  trigger: { rollup: '"trigger"', records: '"trigger"' },
  model: { rollup: 'model', records: 'model' },
  source: { rollup: 'source', records: 'source' },
  status: { rollup: 'status', records: 'status' },
  day: { rollup: 'day', records: 'day' },
  stopReason: { rollup: 'stop_reason', records: "COALESCE(stop_reason, '(running)')" },
};

/**
 * Keeps `usage_rollup` equal to a GROUP BY of `usage_records`. Call its methods inside the transaction that
 * changed the records, so a crash can never leave the two apart.
 */
export class UsageRollup {
  private readonly add: Database.Statement;
  private readonly dropRun: Database.Statement;
  private readonly rebuildRun: Database.Statement;

  constructor(db: Database.Database) {
    this.add = db.prepare(
      `INSERT INTO usage_rollup (${KEY_COLUMNS}, records, input_tokens, output_tokens, total_tokens, cost_usd)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (${KEY_COLUMNS}) DO UPDATE SET records = records + excluded.records,
         input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
         total_tokens = total_tokens + excluded.total_tokens, cost_usd = cost_usd + excluded.cost_usd`,
    );
    this.dropRun = db.prepare('DELETE FROM usage_rollup WHERE run_id = ?');
    this.rebuildRun = db.prepare(
      `INSERT INTO usage_rollup (${KEY_COLUMNS}, records, input_tokens, output_tokens, total_tokens, cost_usd)
       SELECT day, principal_id, run_id, COALESCE(team, '(none)'), skill_key, "trigger", model, source, status,
         COALESCE(stop_reason, '(running)'), COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(total_tokens), TOTAL(cost_usd)
       FROM usage_records WHERE run_id = ? GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
    );
  }

  /** Adds newly stored records, summed per rollup row first so a run's steps cost one upsert. */
  addRecords(records: readonly UsageRecord[]): void {
    const groups = new Map<string, { key: unknown[]; sums: [number, number, number, number, number] }>();
    for (const r of records) {
      const key = [Math.floor(r.at / DAY_MS), r.principalId, r.runId, r.team ?? '(none)', skillKey(r.skills), r.trigger, r.model,
        r.source, r.status, r.outcome?.stopReason ?? '(running)'];
      const id = key.join('\u0000');
      let group = groups.get(id);
      if (!group) groups.set(id, (group = { key, sums: [0, 0, 0, 0, 0] }));
      group.sums[0] += 1;
      group.sums[1] += r.inputTokens;
      group.sums[2] += r.outputTokens;
      group.sums[3] += r.totalTokens;
      group.sums[4] += r.costUsd;
    }
    for (const { key, sums } of groups.values()) this.add.run(...key, ...sums);
  }

  /** Recomputes a run's rows from its records (after its outcome, and so its stop reason, changed). */
  rebuildRuns(runIds: Iterable<string>): void {
    for (const runId of runIds) {
      this.dropRun.run(runId);
      this.rebuildRun.run(runId);
    }
  }
}
