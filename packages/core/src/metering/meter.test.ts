import { describe, expect, it } from 'vitest';
import { BudgetExceededError, ModelError } from '../errors';
import type { Message } from '../model/messages';
import type { GenerateRequest } from '../model/model-provider';
import { ScriptedModel } from '../testing/scripted-model';
import { ConversationCounter, FORMULA_VERSION } from './conversation-counter';
import { InMemoryUsageLedger } from './in-memory-usage-ledger';
import { Meter } from './meter';
import { tokenCounter, TokenCounter } from './tokenizer';
import { USAGE_CATEGORIES } from './usage-record';

const principal = { id: 'priya', team: 'payments' };
const attribution = (step = 1, attempt = 1) => ({ runId: 'run-1', step, attempt, principal, trigger: 'user' as const, skills: ['tickets'] });

const request: GenerateRequest = {
  messages: [
    { role: 'system', part: 'system', content: 'You are helpful.' },
    { role: 'system', part: 'skill_instructions', content: 'Skill tickets: close resolved tickets.' },
    { role: 'system', part: 'memory', content: 'Priya prefers short answers.' },
    { role: 'user', content: 'Close ticket T-1.' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'ticket_close', input: { id: 'T-1' } }] },
    { role: 'tool', toolCallId: 'c1', toolName: 'ticket_close', content: '{"closed":true}' },
  ],
  tools: [{ name: 'ticket_close', description: 'Close a ticket', inputSchema: { type: 'object', properties: { id: { type: 'string' } } } }],
};

describe('Meter', () => {
  it('splits every call into categories that add up to the total, by the published formula', async () => {
    const ledger = new InMemoryUsageLedger();
    const meter = new Meter({ ledger });
    const model = new ScriptedModel([{ text: 'Closed T-1.' }]);
    const { record } = await meter.generate(model, request, attribution());
    const o200k = tokenCounter('o200k_base');
    expect(record.estimate).toEqual({
      system: o200k.count('You are helpful.'),
      skill_instructions: o200k.count('Skill tickets: close resolved tickets.'),
      memory: o200k.count('Priya prefers short answers.'),
      tool_schemas: o200k.count(JSON.stringify({ name: 'ticket_close', description: 'Close a ticket', parameters: request.tools[0]!.inputSchema })),
      conversation: o200k.count('Close ticket T-1.') + o200k.count('') + o200k.count('ticket_close') + o200k.count('{"id":"T-1"}'),
      tool_results: o200k.count('{"closed":true}'),
      // The three system parts go out as one system message, then user, assistant and tool: 4 messages, plus priming.
      message_overhead: 4 * 3 + 3,
      output_text: o200k.count('Closed T-1.'),
      output_tool_calls: 0,
    });
    const sum = USAGE_CATEGORIES.reduce((n, c) => n + record.estimate[c], 0);
    expect(record.estimatedInputTokens + record.estimatedOutputTokens).toBe(sum);
    expect(record).toMatchObject({
      id: 'run-1:1:1', source: 'estimated', encoding: 'o200k_base', encodingFidelity: 'exact', formulaVersion: FORMULA_VERSION,
      status: 'ok', skills: ['tickets'], team: 'payments', totalTokens: sum, priceId: '2026-11-01/gpt-4o-mini',
    });
    expect(record.costUsd).toBeCloseTo((record.inputTokens * 0.15 + record.outputTokens * 0.6) / 1e6, 12);
    expect(await ledger.query({})).toHaveLength(1);
  });

  it('uses provider-reported usage when present and records the difference from the estimate', async () => {
    const meter = new Meter();
    const model = new ScriptedModel([{ text: 'ok', usage: { inputTokens: 120, outputTokens: 3, cachedInputTokens: 100 } }]);
    const { record } = await meter.generate(model, request, attribution());
    expect(record.source).toBe('reported');
    expect(record.inputTokens).toBe(120);
    expect(record.delta).toEqual({ inputTokens: 120 - record.estimatedInputTokens, outputTokens: 3 - record.estimatedOutputTokens });
    expect(record.costUsd).toBeCloseTo((20 * 0.15 + 100 * 0.075 + 3 * 0.6) / 1e6, 12);
  });

  it('labels models without a public tokenizer as approximate', async () => {
    const model = new ScriptedModel([{ text: 'ok' }], { model: 'claude-sonnet-4-5' });
    const { record } = await new Meter().generate(model, request, attribution());
    expect(record).toMatchObject({ encoding: 'o200k_base', encodingFidelity: 'approximate', source: 'estimated', priceId: '2026-11-01/claude-sonnet-4' });
  });

  it('records failed calls (input counted, no cost) and rethrows', async () => {
    const ledger = new InMemoryUsageLedger();
    const model = new ScriptedModel([{ error: new ModelError({ provider: 'x', kind: 'server', message: '500' }) }]);
    await expect(new Meter({ ledger }).generate(model, request, attribution())).rejects.toThrow('500');
    const [record] = await ledger.query({});
    expect(record).toMatchObject({ status: 'error', errorCode: 'MODEL_ERROR', outputTokens: 0, costUsd: 0 });
    expect(record!.inputTokens).toBe(record!.estimatedInputTokens);
  });

  it('stores an appended record once however often it is appended', async () => {
    const ledger = new InMemoryUsageLedger();
    const { record } = await new Meter({ ledger }).generate(new ScriptedModel([{ text: 'x' }]), request, attribution());
    await ledger.append([record, record]);
    expect(await ledger.query({})).toHaveLength(1);
  });

  it('explains each number of a record in words', async () => {
    const meter = new Meter();
    const { record } = await meter.generate(new ScriptedModel([{ text: 'ok', usage: { inputTokens: 200, outputTokens: 1 } }]), request, attribution());
    const text = meter.explain(record);
    expect(text).toContain(`Counting rule ${FORMULA_VERSION}`);
    expect(text).toContain(`${record.estimate.tool_results} for tool results`);
    expect(text).toContain('reported 200 input and 1 output tokens');
    expect(text).toContain('2026-11-01/gpt-4o-mini');
  });
});

describe('ConversationCounter', () => {
  it('tokenizes each message once as the conversation grows, and recounts if the history is replaced', () => {
    const seen: string[] = [];
    const counter = new (class extends TokenCounter {
      override count(text: string): number {
        seen.push(text);
        return super.count(text);
      }
    })('o200k_base');
    const conversation = new ConversationCounter(counter);
    const messages: Message[] = [{ role: 'user', content: 'first' }];
    const a = conversation.measure(messages, []);
    messages.push({ role: 'assistant', content: 'second' }, { role: 'user', content: 'third' });
    const b = conversation.measure(messages, []);
    expect(seen).toEqual(['first', 'second', 'third']);
    expect(b.counts.conversation).toBe(a.counts.conversation + counter.count('second') + counter.count('third'));
    // The prompt hash names the opening prompt, so every step of a run (and a repeat of the run) shares it.
    expect(b.promptHash).toBe(a.promptHash);
    seen.length = 0;
    const other = conversation.measure([{ role: 'user', content: 'other' }], []);
    expect(seen).toEqual(['other']);
    expect(other.promptHash).not.toBe(a.promptHash);
  });
});

describe('budgets', () => {
  const bigRequest = { ...request, maxOutputTokens: 1000 };

  it('clamps the output limit to what remains and refuses when even the input does not fit', async () => {
    const ledger = new InMemoryUsageLedger();
    const input = (await new Meter().generate(new ScriptedModel([{ text: '' }]), request, attribution())).record.estimatedInputTokens;
    const meter = new Meter({ ledger, budgets: [{ per: 'principal', windowMs: 60_000, maxTokens: input + 50 }] });
    const model = new ScriptedModel([{ text: 'ok' }, { text: 'never' }]);
    await meter.generate(model, bigRequest, attribution(1));
    expect(model.requests[0]!.maxOutputTokens).toBe(50);
    await expect(meter.generate(model, bigRequest, attribution(2))).rejects.toBeInstanceOf(BudgetExceededError);
    expect(model.calls).toBe(1);
    const records = await ledger.query({});
    expect(records.map((r) => r.status)).toEqual(['ok', 'refused']);
    expect(records[1]!.totalTokens).toBe(0);
  });

  it('releases the unused part of a reservation after the call', async () => {
    const meter = new Meter({ budgets: [{ per: 'principal', windowMs: 60_000, maxTokens: 5_000 }] });
    const model = new ScriptedModel([{ text: 'a' }], { whenExhausted: 'repeat-last' });
    for (let step = 1; step <= 10; step++) await meter.generate(model, bigRequest, attribution(step));
    expect(model.requests.at(-1)!.maxOutputTokens).toBe(1000);
  });

  it('never lets concurrent calls overspend a shared budget', async () => {
    const limit = 5_000;
    const ledger = new InMemoryUsageLedger();
    const meter = new Meter({ ledger, budgets: [{ per: 'team', windowMs: 60_000, maxTokens: limit }] });
    const model = new ScriptedModel([{ text: 'x'.repeat(400), delayMs: 5 }], { whenExhausted: 'repeat-last' });
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => meter.generate(model, { ...request, maxOutputTokens: 200 }, { ...attribution(1), runId: `run-${i}` })),
    );
    const records = await ledger.query({});
    const used = records.reduce((n, r) => n + r.totalTokens, 0);
    expect(used).toBeLessThanOrEqual(limit);
    expect(results.some((r) => r.status === 'rejected')).toBe(true);
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    for (const r of model.requests) expect(r.maxOutputTokens).toBeLessThanOrEqual(200);
  });

  it('gives background triggers their own budget', async () => {
    const meter = new Meter({ budgets: [{ per: 'trigger', match: 'dream', windowMs: 60_000, maxTokens: 10 }] });
    const model = new ScriptedModel([{ text: 'ok' }]);
    await expect(meter.generate(model, request, { ...attribution(), trigger: 'dream' })).rejects.toBeInstanceOf(BudgetExceededError);
    await expect(meter.generate(model, request, attribution())).resolves.toBeDefined();
  });
});

describe('minimum output', () => {
  it('refuses a call when the budget leaves less output than the caller can use', async () => {
    const probe = (await new Meter().generate(new ScriptedModel([{ text: '' }]), request, attribution())).record.estimatedInputTokens;
    const meter = new Meter({ budgets: [{ per: 'principal', windowMs: 60_000, maxTokens: probe + 20 }] });
    const model = new ScriptedModel([{ text: 'ok' }]);
    await expect(meter.generate(model, { ...request, maxOutputTokens: 500 }, attribution(), { minOutputTokens: 100 })).rejects.toBeInstanceOf(BudgetExceededError);
    expect(model.calls).toBe(0);
    await expect(meter.generate(model, { ...request, maxOutputTokens: 500 }, attribution(2), { minOutputTokens: 10 })).resolves.toBeDefined();
    expect(model.requests[0]!.maxOutputTokens).toBe(20);
  });
});
