/**
 * The baseline: the inflation flags and outcome figures as they were before prompts were normalised — the exact
 * SHA-256 of the raw opening prompt (recalled memory included), repeats counted within one hour, and any
 * non-empty answer counting as an answer — reimplemented here so both are measured on the same records.
 */
import { createHash } from 'node:crypto';
import type { UsageRecord } from '@claw/core';

/** The old prompt hash: role and raw content of every message up to the first user message. */
export function rawOpeningHash(messages: readonly { role: string; content: string }[]): string {
  let opening = '';
  for (const message of messages) {
    opening += `${message.role}\u0000${message.content}\u0000`;
    if (message.role === 'user') break;
  }
  return createHash('sha256').update(opening).digest('hex');
}

/** The old rule: an answer is any non-empty text. */
export const oldAnswered = (answer: string) => answer.trim() !== '';

/** Share of tokens in runs the old rules flag (the same prompt hash 3+ times in an hour, or idle runs). */
export function oldInflatedShare(records: readonly UsageRecord[]): number {
  const total = records.reduce((n, r) => n + r.totalTokens, 0);
  const byHash = new Map<string, UsageRecord[]>();
  for (const record of records) {
    if (record.step !== 1 || record.attempt !== 1) continue;
    byHash.set(record.promptHash, [...(byHash.get(record.promptHash) ?? []), record]);
  }
  const flagged = new Set<string>();
  for (const list of byHash.values()) {
    const times = list.map((r) => r.at).sort((a, b) => a - b);
    if (times.some((t, i) => i + 2 < times.length && times[i + 2]! - t <= 3_600_000)) for (const r of list) flagged.add(r.runId);
  }
  for (const record of records) {
    if (record.outcome && !record.outcome.answered && Object.keys(record.outcome.actions).length === 0) flagged.add(record.runId);
  }
  const inflated = records.filter((r) => flagged.has(r.runId)).reduce((n, r) => n + r.totalTokens, 0);
  return total === 0 ? 0 : inflated / total;
}

/** The old tokens per answered run: only the answered runs' tokens, divided by their number. */
export function oldTokensPerAnsweredRun(records: readonly UsageRecord[]): number | null {
  const runs = new Map<string, { tokens: number; answered: boolean }>();
  for (const r of records) {
    const run = runs.get(r.runId) ?? { tokens: 0, answered: r.outcome?.answered === true };
    run.tokens += r.totalTokens;
    runs.set(r.runId, run);
  }
  const answered = [...runs.values()].filter((r) => r.answered);
  return answered.length === 0 ? null : answered.reduce((n, r) => n + r.tokens, 0) / answered.length;
}
