import { type CategoryCounts, type UsageRecord } from '@claw/core';

/** 2026-11-01T09:00:00Z: a fixed clock so day grouping and windows are deterministic in every time zone. */
export const FIXTURE_TIME = Date.UTC(2026, 10, 1, 9, 0, 0);

const zeroCounts = (): CategoryCounts => ({
  system: 0,
  skill_instructions: 0,
  memory: 0,
  tool_schemas: 0,
  conversation: 0,
  tool_results: 0,
  message_overhead: 0,
  output_text: 0,
  output_tool_calls: 0,
});

/**
 * Builds a complete, self-consistent {@link UsageRecord} for tests and benchmarks. `id` defaults to
 * `runId:step:attempt` as the meter makes it; token totals are derived from `inputTokens` / `outputTokens`
 * unless given.
 */
export function usageRecordFixture(overrides: Partial<UsageRecord> = {}): UsageRecord {
  const runId = overrides.runId ?? 'run-1';
  const step = overrides.step ?? 1;
  const attempt = overrides.attempt ?? 1;
  const inputTokens = overrides.inputTokens ?? 100;
  const outputTokens = overrides.outputTokens ?? 20;
  const estimate = { ...zeroCounts(), system: 40, conversation: inputTokens - 40, output_text: outputTokens };
  return {
    id: `${runId}:${step}:${attempt}`,
    runId,
    step,
    attempt,
    at: FIXTURE_TIME,
    principalId: 'priya',
    team: 'platform',
    skills: ['email'],
    tools: ['email_search'],
    trigger: 'user',
    provider: 'openai',
    model: 'gpt-4o-mini',
    encoding: 'o200k_base',
    encodingFidelity: 'exact',
    formulaVersion: '1',
    estimate,
    estimatedInputTokens: inputTokens,
    estimatedOutputTokens: outputTokens,
    source: 'estimated',
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    costUsd: 0.25,
    priceId: 'openai/gpt-4o-mini@2026-11-01',
    status: 'ok',
    promptHash: 'a'.repeat(64),
    ...overrides,
  };
}
