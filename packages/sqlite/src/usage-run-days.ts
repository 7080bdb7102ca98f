import type Database from 'better-sqlite3';
import { USAGE_CATEGORIES, type CategoryCounts, type RunOutcome, type UsageRecord, type UsageRunSummary } from '@claw/core';
import { parseJsonColumn } from './json-column';
import { DAY_MS, decodeHash } from './usage-record-row';

/**
 * The estimated tokens per metering category summed over the grouped records, as a JSON array in USAGE_CATEGORIES
 * order. A stored estimate is an array in that order, or an object when its categories differ (see usage-record-row).
 */
export const ESTIMATE_SUMS_SQL = `json_array(${USAGE_CATEGORIES.map(
  (category, i) => `TOTAL(COALESCE(json_extract(estimate, '$[${i}]'), json_extract(estimate, '$."${category}"')))`,
).join(', ')})`;

/** A JSON array of {@link ESTIMATE_SUMS_SQL} as category counts. */
export function estimateOfSums(json: string): CategoryCounts {
  return estimateOfArray(parseJsonColumn<number[]>(json, 'estimate sums'));
}

/**
 * One row per run, UTC day and person of `usage_records`, with everything a run summary needs: the sums, the shares'
 * tokens, the first record, the first record with an outcome and the first user-triggered record (each by time,
 * then storage order) and the formula versions. The opening's prompt hash is kept as text (hex), so reading it
 * creates no Buffer. `filter` narrows the records (e.g. `WHERE run_id = ?`).
 */
export function runDaysSelect(filter: string): string {
  const opening = `rn_open = 1 AND "trigger" = 'user'`;
  const withOutcome = 'rn_outcome = 1 AND outcome IS NOT NULL';
  return `SELECT day, principal_id, run_id, COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(total_tokens), TOTAL(cost_usd),
      TOTAL(CASE WHEN source = 'reported' THEN total_tokens END),
      TOTAL(CASE WHEN "trigger" IN ('schedule', 'dream', 'heartbeat') THEN total_tokens END),
      TOTAL(CASE WHEN status IN ('error', 'aborted') THEN total_tokens END),
      MAX(CASE WHEN rn_first = 1 THEN at END), MAX(CASE WHEN rn_first = 1 THEN seq END),
      MAX(CASE WHEN ${withOutcome} THEN at END), MAX(CASE WHEN ${withOutcome} THEN seq END), MAX(CASE WHEN ${withOutcome} THEN outcome END),
      MAX(CASE WHEN ${opening} THEN at END), MAX(CASE WHEN ${opening} THEN seq END), MAX(CASE WHEN ${opening} THEN (CASE WHEN typeof(prompt_hash) = 'blob' THEN lower(hex(prompt_hash)) ELSE prompt_hash END) END),
      MAX(CASE WHEN ${opening} THEN prompt_sketch END),
      json_group_array(DISTINCT formula_version), ${ESTIMATE_SUMS_SQL}
    FROM (SELECT *,
        ROW_NUMBER() OVER (PARTITION BY run_id, day, principal_id ORDER BY at, seq) AS rn_first,
        ROW_NUMBER() OVER (PARTITION BY run_id, day, principal_id ORDER BY outcome IS NULL, at, seq) AS rn_outcome,
        ROW_NUMBER() OVER (PARTITION BY run_id, day, principal_id ORDER BY "trigger" <> 'user', at, seq) AS rn_open
      FROM usage_records ${filter})
    GROUP BY day, principal_id, run_id`;
}

/** Columns of `usage_run_days` in {@link runDaysSelect} order. */
export const RUN_DAY_COLUMNS = `day, principal_id, run_id, records, input_tokens, output_tokens, total_tokens, cost_usd, reported_tokens,
  background_tokens, failed_tokens, first_at, first_seq, outcome_at, outcome_seq, outcome, opening_at, opening_seq, opening_hash,
  opening_sketch, formula_versions, estimate`;

/** What {@link summariesOfRunDays} reads, in {@link RunDayValues} order. */
export const RUN_DAY_READ_COLUMNS = `run_id, principal_id, records, input_tokens, output_tokens, total_tokens, cost_usd, reported_tokens,
  background_tokens, failed_tokens, first_at, first_seq, outcome_at, outcome_seq, outcome, opening_at, opening_seq,
  opening_hash, opening_sketch, formula_versions, estimate`;

/** A row of {@link RUN_DAY_READ_COLUMNS}, read as an array (better-sqlite3's raw mode). */
export type RunDayValues = [
  run_id: string, principal_id: string, records: number, input_tokens: number, output_tokens: number, total_tokens: number, cost_usd: number,
  reported_tokens: number, background_tokens: number, failed_tokens: number, first_at: number, first_seq: number, outcome_at: number | null,
  outcome_seq: number | null, outcome: string | null, opening_at: number | null, opening_seq: number | null, opening_hash: string | null,
  opening_sketch: string | null, formula_versions: string, estimate: string,
];

/**
 * Keeps `usage_run_days` equal to {@link runDaysSelect} over all records. Call it inside the transaction that
 * changed a run's records (new records, an outcome), so a crash can never leave the two apart.
 */
export class UsageRunDays {
  private readonly drop: Database.Statement;
  private readonly rebuild: Database.Statement;
  private readonly add: Database.Statement;

  constructor(db: Database.Database) {
    this.drop = db.prepare('DELETE FROM usage_run_days WHERE run_id = ?');
    this.rebuild = db.prepare(`INSERT INTO usage_run_days (${RUN_DAY_COLUMNS}) ${runDaysSelect('WHERE run_id = ?')}`);
    // SET expressions all read the row as it was, so each "earlier?" test compares against the old values.
    const earlier = (at: string) => `(excluded.${at}_at IS NOT NULL AND (${at}_at IS NULL OR excluded.${at}_at < ${at}_at OR (excluded.${at}_at = ${at}_at AND excluded.${at}_seq < ${at}_seq)))`;
    const pick = (at: string, columns: string[]) => columns.map((c) => `${c} = CASE WHEN ${earlier(at)} THEN excluded.${c} ELSE ${c} END`).join(', ');
    this.add = db.prepare(
      `INSERT INTO usage_run_days (${RUN_DAY_COLUMNS}) VALUES (${RUN_DAY_COLUMNS.split(',').map(() => '?').join(', ')})
       ON CONFLICT (day, principal_id, run_id) DO UPDATE SET records = records + excluded.records,
         input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
         total_tokens = total_tokens + excluded.total_tokens, cost_usd = cost_usd + excluded.cost_usd,
         reported_tokens = reported_tokens + excluded.reported_tokens, background_tokens = background_tokens + excluded.background_tokens,
         failed_tokens = failed_tokens + excluded.failed_tokens,
         ${pick('first', ['first_at', 'first_seq'])}, ${pick('outcome', ['outcome_at', 'outcome_seq', 'outcome'])},
         ${pick('opening', ['opening_at', 'opening_seq', 'opening_hash', 'opening_sketch'])},
         formula_versions = (SELECT json_group_array(value) FROM (SELECT value FROM json_each(formula_versions) UNION SELECT value FROM json_each(excluded.formula_versions))),
         estimate = (SELECT json_group_array(v) FROM (SELECT a.value + b.value AS v FROM json_each(estimate) AS a
           JOIN json_each(excluded.estimate) AS b ON a.key = b.key ORDER BY a.key))`,
    );
  }

  /**
   * Adds newly stored records (with the `seq` each was stored under), merged per run, day and person first so a
   * run's steps cost one upsert. Same result as {@link rebuildRuns}, without reading the run's records again.
   */
  addRecords(stored: readonly { record: UsageRecord; seq: number }[]): void {
    type Mark = { at: number; seq: number } | undefined;
    type Row = {
      day: number; record: UsageRecord; sums: number[]; first: Mark; versions: Set<string>; estimate: number[];
      outcome: { at: number; seq: number; json: string } | undefined;
      opening: { at: number; seq: number; hash: string; sketch: string | null } | undefined;
    };
    const earlier = (mark: Mark, at: number, seq: number) => mark === undefined || at < mark.at || (at === mark.at && seq < mark.seq);
    const rows = new Map<string, Row>();
    for (const { record: r, seq } of stored) {
      const day = Math.floor(r.at / DAY_MS);
      const id = `${day}\u0000${r.principalId}\u0000${r.runId}`;
      let row = rows.get(id);
      if (!row) {
        row = { day, record: r, sums: [0, 0, 0, 0, 0, 0, 0, 0], first: undefined, outcome: undefined, opening: undefined, versions: new Set(), estimate: USAGE_CATEGORIES.map(() => 0) };
        rows.set(id, row);
      }
      const add = [1, r.inputTokens, r.outputTokens, r.totalTokens, r.costUsd, r.source === 'reported' ? r.totalTokens : 0,
        r.trigger === 'schedule' || r.trigger === 'dream' || r.trigger === 'heartbeat' ? r.totalTokens : 0,
        r.status === 'error' || r.status === 'aborted' ? r.totalTokens : 0];
      row.sums = row.sums.map((sum, i) => sum + add[i]!);
      if (earlier(row.first, r.at, seq)) row.first = { at: r.at, seq };
      if (r.outcome && earlier(row.outcome, r.at, seq)) row.outcome = { at: r.at, seq, json: JSON.stringify(r.outcome) };
      if (r.trigger === 'user' && earlier(row.opening, r.at, seq)) row.opening = { at: r.at, seq, hash: r.promptHash, sketch: r.promptSketch ?? null };
      row.versions.add(r.formulaVersion);
      USAGE_CATEGORIES.forEach((category, i) => (row.estimate[i]! += r.estimate[category] ?? 0));
    }
    for (const { day, record, sums, first, outcome, opening, versions, estimate } of rows.values()) {
      this.add.run(
        day, record.principalId, record.runId, ...sums, first!.at, first!.seq,
        outcome?.at ?? null, outcome?.seq ?? null, outcome?.json ?? null,
        opening?.at ?? null, opening?.seq ?? null, opening?.hash ?? null, opening?.sketch ?? null,
        JSON.stringify([...versions]), JSON.stringify(estimate),
      );
    }
  }

  /** Recomputes the rows of these runs from their records. */
  rebuildRuns(runIds: Iterable<string>): void {
    for (const runId of runIds) {
      this.drop.run(runId);
      this.rebuild.run(runId);
    }
  }
}

const before = (at: number, seq: number, otherAt: number, otherSeq: number) => at < otherAt || (at === otherAt && seq < otherSeq);

/** Category counts of sums in USAGE_CATEGORIES order. */
function estimateOfArray(sums: readonly number[]): CategoryCounts {
  const estimate = {} as CategoryCounts;
  for (let i = 0; i < USAGE_CATEGORIES.length; i++) estimate[USAGE_CATEGORIES[i]!] = sums[i] ?? 0;
  return estimate;
}

/**
 * Merges a run's day rows (raw {@link RunDayValues}, any order) into its summary; returns the summaries in order of
 * each run's first record. A team page reads tens of thousands of rows, nearly all of them a run's only day: a row
 * is read in place (no named copy), and only the JSON a summary keeps is parsed.
 */
export function summariesOfRunDays(rows: readonly RunDayValues[]): UsageRunSummary[] {
  type Merged = { summary: UsageRunSummary; firstAt: number; firstSeq: number; outcome?: RunDayValues; opening?: RunDayValues; versions: string | Set<string>; estimate: number[] };
  const runs = new Map<string, Merged>();
  // Most rows share one or two formula-version lists: parse each distinct list once.
  const versionLists = new Map<string, string[]>();
  const versionsOf = (json: string) => {
    let versions = versionLists.get(json);
    if (!versions) versionLists.set(json, (versions = parseJsonColumn<string[]>(json, 'formula versions')));
    return versions;
  };
  // Runs end in a handful of distinct ways: parse each stored outcome once, and give every run its own copy.
  const outcomes = new Map<string, RunOutcome>();
  const outcomeOf = (json: string): RunOutcome => {
    let outcome = outcomes.get(json);
    if (!outcome) outcomes.set(json, (outcome = parseJsonColumn<RunOutcome>(json, 'run outcome')));
    return { ...outcome, actions: { ...outcome.actions } };
  };
  for (const row of rows) {
    const estimate = parseJsonColumn<number[]>(row[20], 'estimate sums');
    let run = runs.get(row[0]);
    if (!run) {
      const summary: UsageRunSummary = {
        runId: row[0], principalId: row[1], records: row[2], inputTokens: row[3], outputTokens: row[4], totalTokens: row[5], costUsd: row[6],
        reportedTokens: row[7], backgroundTokens: row[8], failedTokens: row[9], estimate: undefined!, formulaVersions: [],
      };
      run = { summary, firstAt: row[10], firstSeq: row[11], versions: row[19], estimate };
      if (row[12] !== null) run.outcome = row;
      if (row[15] !== null) run.opening = row;
      runs.set(row[0], run);
      continue;
    }
    if (before(row[10], row[11], run.firstAt, run.firstSeq)) {
      run.firstAt = row[10];
      run.firstSeq = row[11];
    }
    const s = run.summary;
    s.records += row[2];
    s.inputTokens += row[3];
    s.outputTokens += row[4];
    s.totalTokens += row[5];
    s.costUsd += row[6];
    s.reportedTokens += row[7];
    s.backgroundTokens += row[8];
    s.failedTokens += row[9];
    for (let i = 0; i < USAGE_CATEGORIES.length; i++) run.estimate[i] = (run.estimate[i] ?? 0) + (estimate[i] ?? 0);
    if (typeof run.versions === 'string') run.versions = new Set(versionsOf(run.versions));
    for (const version of versionsOf(row[19])) run.versions.add(version);
    if (row[12] !== null && (!run.outcome || before(row[12], row[13]!, run.outcome[12]!, run.outcome[13]!))) run.outcome = row;
    if (row[15] !== null && (!run.opening || before(row[15], row[16]!, run.opening[15]!, run.opening[16]!))) run.opening = row;
  }
  return [...runs.values()]
    .sort((a, b) => a.firstAt - b.firstAt || a.firstSeq - b.firstSeq)
    .map(({ summary, outcome, opening, versions, estimate }) => {
      summary.formulaVersions = typeof versions === 'string' ? [...versionsOf(versions)].sort() : [...versions].sort();
      summary.estimate = estimateOfArray(estimate);
      if (outcome) summary.outcome = outcomeOf(outcome[14]!);
      if (opening) summary.opening = { at: opening[15]!, promptHash: decodeHash(opening[17]!), ...(opening[18] !== null ? { promptSketch: opening[18] } : {}) };
      return summary;
    });
}
