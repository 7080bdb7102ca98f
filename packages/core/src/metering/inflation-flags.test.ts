import { describe, expect, it } from 'vitest';
import { Agent } from '../agent/agent';
import { ScriptedModel } from '../testing/scripted-model';
import { isSubstantiveAnswer } from './answer-substance';
import { InMemoryUsageLedger } from './in-memory-usage-ledger';
import { inflationFlags } from './inflation-flags';
import { Meter } from './meter';
import { summariseOutcomes } from './outcome-summary';
import type { RunOutcome, UsageRecord } from './usage-record';

const T0 = Date.UTC(2026, 10, 2, 8);
const MINUTE = 60_000;

interface Prompt {
  text: string;
  at: number;
  outcome?: Partial<RunOutcome>;
  memory?: string;
}

/** Runs one metered opening call per prompt, at the given times, and sets each run's outcome. */
async function runs(principalId: string, prompts: readonly Prompt[]): Promise<UsageRecord[]> {
  const ledger = new InMemoryUsageLedger();
  let now = 0;
  const meter = new Meter({ ledger, clock: () => now, telemetry: false });
  const model = new ScriptedModel([{ text: 'Here is the summary you asked for.' }], { whenExhausted: 'repeat-last' });
  for (const [i, prompt] of prompts.entries()) {
    now = prompt.at;
    const runId = `${principalId}-${i}`;
    const messages = [
      { role: 'system' as const, part: 'system' as const, content: 'You are the inbox assistant.' },
      ...(prompt.memory ? [{ role: 'system' as const, part: 'memory' as const, content: prompt.memory }] : []),
      { role: 'user' as const, content: prompt.text },
    ];
    await meter.generate(model, { messages, tools: [] }, { runId, step: 1, attempt: 1, principal: { id: principalId }, trigger: 'user', skills: [] });
    await ledger.setOutcome(runId, { stopReason: 'final', actions: {}, answered: true, ...prompt.outcome });
  }
  return ledger.query({});
}

const every = (n: number, gapMs: number, text: (i: number) => string, extra: Partial<Prompt> = {}): Prompt[] =>
  Array.from({ length: n }, (_, i) => ({ text: text(i), at: T0 + i * gapMs, ...extra }));

describe('repeated requests', () => {
  const evasions: [string, (i: number) => string][] = [
    ['a #i suffix', (i) => `Summarise my inbox #${i}`],
    ['trailing spaces', (i) => `Summarise my inbox${' '.repeat(i)}`],
    ['zero-width spaces', (i) => `Summarise\u200b${'\u200b'.repeat(i)} my inbox`],
    ['a bracketed counter and punctuation', (i) => `Summarise my inbox (${i})${'!'.repeat(i % 3)}`],
    ['a few words of noise', (i) => `Summarise my inbox ${['please', 'now', 'thanks', 'asap', 'pls', 'today'][i % 6]}`],
  ];
  for (const [name, text] of evasions) {
    it(`are caught despite ${name}`, async () => {
      const flags = inflationFlags(await runs('gamer', every(6, 5 * MINUTE, text)));
      expect(flags.repeatedPrompts).toHaveLength(1);
      expect(flags.repeatedPrompts[0]!.runs).toBe(6);
      expect(flags.inflatedShare).toBe(1);
    });
  }

  it('are caught when spaced 31 minutes apart, or spread over a working day', async () => {
    expect(inflationFlags(await runs('gamer', every(8, 31 * MINUTE, () => 'Summarise my inbox'))).repeatedPrompts[0]!.runs).toBe(8);
    expect(inflationFlags(await runs('gamer', every(6, 2 * 60 * MINUTE, () => 'Summarise my inbox'))).repeatedPrompts[0]!.runs).toBe(6);
    expect(inflationFlags(await runs('normal', every(3, 2 * 60 * MINUTE, () => 'Summarise my inbox'))).repeatedPrompts).toEqual([]);
  });

  it('are the same request whatever memory was recalled into the prompt', async () => {
    const records = await runs('gamer', every(3, MINUTE, () => 'Summarise my inbox').map((p, i) => ({ ...p, memory: `fact number ${i}` })));
    expect(new Set(records.map((r) => r.promptHash)).size).toBe(1);
    expect(inflationFlags(records).repeatedPrompts).toHaveLength(1);
  });

  it('leave alone different requests, a daily routine, and repeats that act on something each time', async () => {
    const varied = ['Summarise my inbox', 'Draft a reply to Sam about the Q3 budget', 'Which deploys failed yesterday?', 'Find the Acme invoice'];
    expect(inflationFlags(await runs('normal', varied.map((text, i) => ({ text, at: T0 + i * MINUTE })))).repeatedPrompts).toEqual([]);
    expect(inflationFlags(await runs('normal', every(5, 24 * 60 * MINUTE + MINUTE, () => 'Summarise my inbox'))).repeatedPrompts).toEqual([]);
    const acting = every(4, MINUTE, (i) => `Close ticket #${i}`, { outcome: { actions: { ticket_close: 1 } } });
    expect(inflationFlags(await runs('normal', acting)).repeatedPrompts).toEqual([]);
  });

  it('are counted per person, so two people asking the same thing are not a repeat', async () => {
    const records = [
      ...(await runs('priya', [{ text: 'Summarise my inbox', at: T0 }, { text: 'Summarise my inbox', at: T0 + MINUTE }])),
      ...(await runs('sam', [{ text: 'Summarise my inbox', at: T0 + 2 * MINUTE }])),
    ];
    expect(inflationFlags(records).repeatedPrompts).toEqual([]);
  });
});

describe('answers that are not answers', () => {
  it('an answer of "." or whitespace is not an answer; "OK" and "42" are', () => {
    for (const text of ['', '.', ' … ', '\u200b', '?!', 'a']) expect(isSubstantiveAnswer(text), JSON.stringify(text)).toBe(false);
    for (const text of ['OK', '42', 'Done.', 'T-7 is open.']) expect(isSubstantiveAnswer(text), text).toBe(true);
  });

  it('a run the model answers with "." ends unanswered, so it is idle and counts against tokens per answer', async () => {
    const ledger = new InMemoryUsageLedger();
    const agent = new Agent({ model: new ScriptedModel([{ text: '.' }]), principal: { id: 'gamer' }, meter: new Meter({ ledger, telemetry: false }) });
    const result = await agent.run('Summarise my inbox');
    expect(result.text).toBe('.');
    const records = await ledger.query({});
    expect(records[0]!.outcome).toMatchObject({ stopReason: 'final', answered: false });
    expect(inflationFlags(records).idleRuns.runs).toBe(1);
    expect(summariseOutcomes(records).tokensPerAnsweredRun).toBeNull();
  });

  it('tokens per answered run favour the person whose runs answer something', async () => {
    const normal = await runs('normal', every(4, MINUTE, (i) => ['Summarise my inbox', 'Draft a reply to Sam', 'Which deploys failed?', 'Find the invoice'][i]!));
    const gamer = await runs('gamer', every(12, MINUTE, (i) => `Summarise my inbox #${i}`, { outcome: { answered: false } }).map((p, i) => (i < 2 ? { ...p, outcome: { answered: true } } : p)));
    const perAnswer = (records: UsageRecord[]) => summariseOutcomes(records).tokensPerAnsweredRun!;
    expect(perAnswer(gamer)).toBeGreaterThan(3 * perAnswer(normal));
  });
});
