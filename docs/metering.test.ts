import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Meter } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { workedAnswer, workedRequest } from './snippets/metering-worked-example';

const doc = readFileSync(fileURLToPath(new URL('./metering.md', import.meta.url)), 'utf8');

/** The number in the last column of the worked-example table row for a category. */
function docValue(label: string): number {
  const row = doc.split('\n').find((line) => line.startsWith(`| ${label} |`));
  if (!row) throw new Error(`docs/metering.md has no row "${label}"`);
  return Number(row.split('|').at(-2)!.replace(/\*/g, '').trim());
}

describe('docs/metering.md worked example', () => {
  it('matches what the meter computes', async () => {
    const model = new ScriptedModel([{ text: workedAnswer, usage: { inputTokens: 118, outputTokens: 8 } }]);
    const { record } = await new Meter().generate(model, workedRequest, { runId: 'run_1', step: 2, attempt: 1, principal: { id: 'priya' }, trigger: 'user', skills: [] });
    for (const category of ['system', 'skill_instructions', 'tool_schemas', 'conversation', 'tool_results', 'message_overhead', 'output_text'] as const) {
      expect(record.estimate[category], category).toBe(docValue(category));
    }
    expect(record.estimatedInputTokens).toBe(docValue('**estimated input**'));
    expect(record.estimatedOutputTokens).toBe(docValue('**estimated output**'));
    expect(record.delta).toEqual({ inputTokens: 27, outputTokens: 0 });
    expect(record.costUsd).toBeCloseTo(0.0000225, 12);
    expect(doc).toContain(`**Formula version \`${record.formulaVersion}\`.**`);
  });

  it('falls back to the estimate for the implausible reports the doc names', async () => {
    for (const usage of [{ inputTokens: 0, outputTokens: 0 }, { inputTokens: 40, outputTokens: 8 }]) {
      const model = new ScriptedModel([{ text: workedAnswer, usage }]);
      const { record } = await new Meter().generate(model, workedRequest, { runId: 'run_1', step: 2, attempt: 1, principal: { id: 'priya' }, trigger: 'user', skills: [] });
      expect(record).toMatchObject({ source: 'estimated', totalTokens: 99, flags: ['implausible-report'], reported: usage });
    }
    expect(doc).toContain('91 + 8 = 99 tokens');
  });
});
