import { InvalidArgumentError, USAGE_CATEGORIES, type CategoryCounts, type RunOutcome, type UsageRecord } from '@claw/core';
import { parseJsonColumn, parseOptionalJsonColumn } from './json-column';

/** Milliseconds in a UTC day: `day` columns hold `floor(at / DAY_MS)`. */
export const DAY_MS = 86_400_000;

/** Columns of `usage_records` written by an append, in bind order. */
export const USAGE_COLUMNS = `id, run_id, step, attempt, at, day, principal_id, team, skills, skill_key, tools, "trigger", provider, model,
  encoding, encoding_fidelity, formula_version, estimate, estimated_input_tokens, estimated_output_tokens, reported, source,
  input_tokens, output_tokens, total_tokens, delta, cost_usd, price_id, status, error_code, prompt_hash, outcome, stop_reason, prompt_sketch, flags`;

/** A `usage_records` row as read back. */
export interface UsageRow {
  id: string;
  run_id: string;
  step: number;
  attempt: number;
  at: number;
  principal_id: string;
  team: string | null;
  skills: string;
  tools: string;
  trigger: UsageRecord['trigger'];
  provider: string;
  model: string;
  encoding: string;
  encoding_fidelity: UsageRecord['encodingFidelity'];
  formula_version: string;
  estimate: string;
  estimated_input_tokens: number;
  estimated_output_tokens: number;
  reported: string | null;
  source: UsageRecord['source'];
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  delta: string | null;
  cost_usd: number;
  price_id: string;
  status: UsageRecord['status'];
  error_code: string | null;
  prompt_hash: string | Buffer;
  outcome: string | null;
  prompt_sketch: string | null;
  flags: string | null;
}

// Rows are kept small because ingestion speed follows row size: an estimate with exactly the published categories
// is stored as an array in USAGE_CATEGORIES order, and a lowercase hex SHA-256 prompt hash as its 32 bytes.
const HEX_SHA256 = /^[0-9a-f]{64}$/;

function encodeEstimate(estimate: CategoryCounts): string {
  const standard =
    Object.keys(estimate).length === USAGE_CATEGORIES.length && USAGE_CATEGORIES.every((category) => Object.hasOwn(estimate, category));
  return JSON.stringify(standard ? USAGE_CATEGORIES.map((category) => estimate[category]) : estimate);
}

function decodeEstimate(text: string): CategoryCounts {
  const stored = parseJsonColumn<number[] | CategoryCounts>(text, 'usage estimate');
  if (!Array.isArray(stored)) return stored;
  return Object.fromEntries(USAGE_CATEGORIES.map((category, i) => [category, stored[i]!])) as CategoryCounts;
}

const encodeHash = (hash: string): string | Buffer => (HEX_SHA256.test(hash) ? Buffer.from(hash, 'hex') : hash);
const decodeHash = (stored: string | Buffer): string => (typeof stored === 'string' ? stored : stored.toString('hex'));

/** The report label of a record's skills: sorted and comma-joined, `(none)` when it has none. */
export function skillKey(skills: readonly string[]): string {
  return skills.length > 0 ? [...skills].sort().join(',') : '(none)';
}

/** Bind values for {@link USAGE_COLUMNS}. */
export function usageRowValues(r: UsageRecord): unknown[] {
  return [
    r.id, r.runId, r.step, r.attempt, r.at, Math.floor(r.at / DAY_MS), r.principalId, r.team ?? null,
    JSON.stringify(r.skills), skillKey(r.skills), JSON.stringify(r.tools), r.trigger, r.provider, r.model, r.encoding,
    r.encodingFidelity, r.formulaVersion, encodeEstimate(r.estimate), r.estimatedInputTokens, r.estimatedOutputTokens,
    r.reported ? JSON.stringify(r.reported) : null, r.source, r.inputTokens, r.outputTokens, r.totalTokens,
    r.delta ? JSON.stringify(r.delta) : null, r.costUsd, r.priceId, r.status, r.errorCode ?? null,
    typeof r.promptHash === 'string' ? encodeHash(r.promptHash) : null, r.outcome ? JSON.stringify(r.outcome) : null,
    r.outcome?.stopReason ?? null, r.promptSketch ?? null, r.flags ? JSON.stringify(r.flags) : null,
  ];
}

/** Rebuilds the record exactly as appended (optional fields absent, not undefined). */
export function usageRecordFromRow(row: UsageRow): UsageRecord {
  const record: UsageRecord = {
    id: row.id,
    runId: row.run_id,
    step: row.step,
    attempt: row.attempt,
    at: row.at,
    principalId: row.principal_id,
    skills: parseJsonColumn(row.skills, 'usage skills'),
    tools: parseJsonColumn(row.tools, 'usage tools'),
    trigger: row.trigger,
    provider: row.provider,
    model: row.model,
    encoding: row.encoding,
    encodingFidelity: row.encoding_fidelity,
    formulaVersion: row.formula_version,
    estimate: decodeEstimate(row.estimate),
    estimatedInputTokens: row.estimated_input_tokens,
    estimatedOutputTokens: row.estimated_output_tokens,
    source: row.source,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    totalTokens: row.total_tokens,
    costUsd: row.cost_usd,
    priceId: row.price_id,
    status: row.status,
    promptHash: decodeHash(row.prompt_hash),
  };
  if (row.team !== null) record.team = row.team;
  const reported = parseOptionalJsonColumn<UsageRecord['reported']>(row.reported, 'reported usage');
  if (reported) record.reported = reported;
  const delta = parseOptionalJsonColumn<UsageRecord['delta']>(row.delta, 'usage delta');
  if (delta) record.delta = delta;
  if (row.error_code !== null) record.errorCode = row.error_code;
  if (row.prompt_sketch !== null && row.prompt_sketch !== undefined) record.promptSketch = row.prompt_sketch;
  const flags = parseOptionalJsonColumn<UsageRecord['flags']>(row.flags ?? null, 'usage flags');
  if (flags) record.flags = flags;
  const outcome = parseOptionalJsonColumn<RunOutcome>(row.outcome, 'run outcome');
  if (outcome) record.outcome = outcome;
  return record;
}

/**
 * Checks the fields the ledger indexes and sums, before anything of a batch is written.
 * @throws InvalidArgumentError naming the record (by position) and what is wrong with it.
 */
export function assertUsageRecord(record: UsageRecord, index: number): void {
  const problem =
    record === null || typeof record !== 'object'
      ? 'is not an object'
      : typeof record.id !== 'string' || record.id === ''
        ? 'has no id'
        : typeof record.runId !== 'string' || typeof record.principalId !== 'string'
          ? 'needs string runId and principalId'
          : !Number.isFinite(record.at)
            ? 'needs a finite `at` (ms since the epoch)'
            : !Array.isArray(record.skills) || !Array.isArray(record.tools)
              ? 'needs skills and tools arrays'
              : ![record.inputTokens, record.outputTokens, record.totalTokens, record.costUsd].every(Number.isFinite)
                ? 'needs finite token counts and cost'
                : undefined;
  if (problem) {
    throw new InvalidArgumentError(`Usage record #${index} ${problem}. Nothing from this batch was stored; fix the record and append the batch again.`);
  }
}
