import { describe, expect, it } from 'vitest';
import { AbortedError, ModelError } from '../errors';
import type { Message } from '../model/messages';
import type { GenerateRequest, GenerateResponse, ModelProvider } from '../model/model-provider';
import { ScriptedModel } from '../testing/scripted-model';
import { ConversationCounter } from './conversation-counter';
import { InMemoryBudgetStore } from './in-memory-budget-store';
import { Meter } from './meter';
import { encodingForModel } from './model-encodings';
import { DEFAULT_PRICE_TABLE, findPrice } from './price-table';
import { tokenCounter } from './tokenizer';
import { usageAlerts } from './usage-alerts';

const principal = { id: 'priya', team: 'payments' };
const attribution = (step = 1) => ({ runId: 'run-1', step, attempt: 1, principal, trigger: 'user' as const, skills: [] });
const question = 'Summarise the incident report from last night and list the three follow-ups the on-call engineer proposed, with owners.';
const request: GenerateRequest = {
  messages: [
    { role: 'system', part: 'system', content: 'You are a careful assistant for the payments team. Answer briefly and cite the ticket ids you used.' },
    { role: 'user', content: question },
  ],
  tools: [],
};
const o200k = tokenCounter('o200k_base');

describe('implausible provider reports', () => {
  it('counts the estimate when a provider reports 0/0, flags the record and still consumes the budget', async () => {
    const store = new InMemoryBudgetStore();
    const meter = new Meter({ budgets: [{ per: 'principal', windowMs: 60_000, maxTokens: 10_000 }], budgetStore: store, clock: () => 1_000 });
    const model = new ScriptedModel([{ text: 'The report lists three follow-ups.', usage: { inputTokens: 0, outputTokens: 0 } }]);
    const { record } = await meter.generate(model, request, attribution());
    expect(record).toMatchObject({ source: 'estimated', flags: ['implausible-report'], reported: { inputTokens: 0, outputTokens: 0 } });
    expect(record.totalTokens).toBe(record.estimatedInputTokens + record.estimatedOutputTokens);
    expect(record.totalTokens).toBeGreaterThan(30);
    expect(record.costUsd).toBeGreaterThan(0);
    expect(await store.usage('principal:priya', 60_000, 1_000)).toEqual({ tokens: record.totalTokens, costUsd: record.costUsd });
    expect(usageAlerts(record).map((a) => a.kind)).toEqual(['usage-implausible-report']);
    expect(meter.explain(record)).toContain('not believable');
  });

  it('counts the estimate when the report is far below it, and believes a report close to it', async () => {
    const estimate = (await new Meter().generate(new ScriptedModel([{ text: '' }]), request, attribution())).record.estimatedInputTokens;
    const low = await new Meter().generate(new ScriptedModel([{ text: 'ok', usage: { inputTokens: Math.floor(estimate / 3), outputTokens: 1 } }]), request, attribution());
    expect(low.record).toMatchObject({ source: 'estimated', inputTokens: estimate, flags: ['implausible-report'] });
    const fair = await new Meter().generate(new ScriptedModel([{ text: 'ok', usage: { inputTokens: estimate - 5, outputTokens: 1 } }]), request, attribution());
    expect(fair.record).toMatchObject({ source: 'reported', inputTokens: estimate - 5 });
    expect(fair.record.flags).toBeUndefined();
  });
});

describe('usage beyond the reservation', () => {
  it('records an over-report honestly, counts it against the budget and flags it for an alert', async () => {
    const store = new InMemoryBudgetStore();
    const probe = (await new Meter().generate(new ScriptedModel([{ text: '' }]), request, attribution())).record.estimatedInputTokens;
    const meter = new Meter({ budgets: [{ per: 'principal', windowMs: 60_000, maxTokens: probe + 203 }], budgetStore: store, clock: () => 5 });
    const model = new ScriptedModel([{ text: 'a long answer', usage: { inputTokens: probe, outputTokens: 5_000 } }]);
    const { record } = await meter.generate(model, { ...request, maxOutputTokens: 4_000 }, attribution());
    expect(model.requests[0]!.maxOutputTokens).toBe(203);
    expect(record).toMatchObject({ source: 'reported', outputTokens: 5_000, totalTokens: probe + 5_000, flags: ['over-output-limit', 'over-reservation'] });
    expect((await store.usage('principal:priya', 60_000, 5)).tokens).toBe(probe + 5_000);
    const [alert] = usageAlerts(record);
    expect(alert).toMatchObject({ kind: 'usage-over-reservation', details: { countedTokens: probe + 5_000 } });
    expect(meter.explain(record)).toMatch(/more than the call was allowed.*more output than the limit/);
  });

  it('flags nothing when the call stays within its input estimate and output limit', async () => {
    const { record } = await new Meter().generate(new ScriptedModel([{ text: 'fine' }]), { ...request, maxOutputTokens: 50 }, attribution());
    expect(record.flags).toBeUndefined();
    expect(usageAlerts(record)).toEqual([]);
  });
});

describe('calls the signal ended', () => {
  /** A provider that ignores the signal, then fails the way a cut stream does once it has been aborted. */
  const stalled = (fail: () => Error): ModelProvider => ({
    provider: 'stalled',
    model: 'gpt-4o-mini',
    generate: (r: GenerateRequest) =>
      new Promise<GenerateResponse>((_, reject) => r.signal!.addEventListener('abort', () => reject(fail()), { once: true })),
  });

  for (const [name, fail] of [
    ['a stream that ends without finishing', () => new ModelError({ provider: 'stalled', kind: 'invalid_response', message: 'stream ended without a finish event' })],
    ['a provider error of kind aborted', () => new ModelError({ provider: 'stalled', kind: 'aborted', message: 'aborted' })],
    ['an AbortedError', () => new AbortedError()],
  ] as const) {
    it(`records ABORTED, not MODEL_ERROR, for ${name}`, async () => {
      const controller = new AbortController();
      const meter = new Meter();
      const pending = meter.generate(stalled(fail), { ...request, signal: controller.signal }, attribution(), {
        onRecord: (record) => records.push(record),
      });
      const records: { status: string; errorCode?: string }[] = [];
      setTimeout(() => controller.abort(), 5);
      await expect(pending).rejects.toBeInstanceOf(Error);
      expect(records).toMatchObject([{ status: 'aborted', errorCode: 'ABORTED' }]);
    });
  }
});

describe('model names', () => {
  it('ignores case and a router prefix, and matches only whole name parts', () => {
    for (const name of ['gpt-4o', 'GPT-4o', 'openai/gpt-4o', 'OpenAI/GPT-4o-2024-08-06', 'gpt-4.5-preview', 'gpt-4.1-mini']) {
      expect(encodingForModel(name), name).toEqual({ encoding: 'o200k_base', fidelity: 'exact' });
    }
    expect(encodingForModel('gpt-4-turbo')).toEqual({ encoding: 'cl100k_base', fidelity: 'exact' });
    expect(encodingForModel('gpt-4o1')).toEqual({ encoding: 'o200k_base', fidelity: 'approximate' });
    expect(encodingForModel('Qwen/Qwen2.5-7B-Instruct')).toEqual({ encoding: 'o200k_base', fidelity: 'approximate' });
    expect(findPrice(DEFAULT_PRICE_TABLE, 'openai/GPT-4o-mini-2024-07-18')?.id).toBe('2026-11-01/gpt-4o-mini');
    expect(findPrice(DEFAULT_PRICE_TABLE, 'gpt-4.5-preview')).toBeUndefined();
    expect(findPrice(DEFAULT_PRICE_TABLE, 'gpt-4o1')).toBeUndefined();
    expect(findPrice(DEFAULT_PRICE_TABLE, 'gpt-5-nano')?.id).toBe('2026-11-01/gpt-5-nano');
  });
});

describe('tool call arguments that did not parse', () => {
  it('counts the raw text the model wrote in the answer, and `{}` when the call is sent back', async () => {
    const raw = '{"id": T-1, "reason": "resolved by the customer"';
    const model = new ScriptedModel([{ toolCalls: [{ name: 'ticket_close', inputText: raw }] }]);
    const { record, response } = await new Meter().generate(model, request, attribution());
    expect(record.estimate.output_tool_calls).toBe(o200k.count('ticket_close') + o200k.count(raw));
    const replay: Message[] = [...request.messages, { role: 'assistant', content: '', toolCalls: response.toolCalls }];
    const { counts } = new ConversationCounter(o200k).measure(replay, []);
    expect(counts.conversation).toBe(o200k.count(question) + o200k.count('ticket_close') + o200k.count('{}'));
  });
});

describe('ConversationCounter', () => {
  it('recounts a message edited in place or replaced, and only that message', () => {
    const seen: string[] = [];
    const counter = Object.assign(Object.create(o200k) as typeof o200k, {
      count: (text: string) => (seen.push(text), o200k.count(text)),
    });
    const conversation = new ConversationCounter(counter);
    const messages: Message[] = [
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'short' },
      { role: 'user', content: 'follow-up' },
    ];
    conversation.measure(messages, []);
    seen.length = 0;
    messages[1]!.content = 'a much longer answer than the one counted before';
    const edited = conversation.measure(messages, []);
    expect(seen).toEqual(['a much longer answer than the one counted before']);
    expect(edited.counts.conversation).toBe(o200k.count('first question') + o200k.count(messages[1]!.content) + o200k.count('follow-up'));
    messages[2] = { role: 'user', content: 'another follow-up entirely' };
    const replaced = conversation.measure(messages, []);
    expect(replaced.counts.conversation).toBe(o200k.count('first question') + o200k.count(messages[1]!.content) + o200k.count('another follow-up entirely'));
    const fresh = new ConversationCounter(o200k).measure(messages, []);
    expect(replaced.counts).toEqual(fresh.counts);
  });

  it('gives the same prompt hash whatever memory was recalled and however the question was spaced', () => {
    const opening = (memory: string, text: string) =>
      new ConversationCounter(o200k).measure(
        [
          { role: 'system', part: 'system', content: 'You are helpful.' },
          { role: 'system', part: 'memory', content: memory },
          { role: 'user', content: text },
        ],
        [],
      );
    const a = opening('Priya prefers short answers.', 'Check my inbox');
    expect(opening('The deploy freeze ends Friday.', 'Check my inbox').promptHash).toBe(a.promptHash);
    expect(opening('', '  check\u200b my   inbox \u00a0').promptHash).toBe(a.promptHash);
    expect(opening('', 'Check my calendar').promptHash).not.toBe(a.promptHash);
    // An edit of the opening in place changes the hash too.
    const messages: Message[] = [{ role: 'user', content: 'Check my inbox' }];
    const counter = new ConversationCounter(o200k);
    const before = counter.measure(messages, []).promptHash;
    messages[0]!.content = 'Delete my inbox';
    expect(counter.measure(messages, []).promptHash).not.toBe(before);
  });
});
