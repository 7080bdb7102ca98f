import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ModelError } from '../errors';
import type { AgentStreamEvent } from '../events/agent-events';
import { InMemoryUsageLedger } from '../metering/in-memory-usage-ledger';
import { Meter } from '../metering/meter';
import { ScriptedModel } from '../testing/scripted-model';
import { defineTool } from '../tools/define-tool';
import { Agent } from './agent';

const principal = { id: 'priya', managerId: 'raj' };

const add = defineTool({
  name: 'add',
  description: 'Add two numbers',
  input: z.object({ a: z.number(), b: z.number() }),
  scopes: [],
  unscoped: true,
  effect: 'read',
  execute: ({ a, b }) => ({ sum: a + b }),
});

describe('Agent loop', () => {
  it('loops model → tools → model until a final answer and reports steps, usage and stop reason', async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'add', input: { a: 2, b: 3 } }] },
      { text: 'The sum is 5.' },
    ]);
    const result = await new Agent({ model, tools: [add], principal }).run('What is 2 + 3?');
    expect(result.stopReason).toBe('final');
    expect(result.text).toBe('The sum is 5.');
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]!.toolResults[0]).toMatchObject({ status: 'ok', content: '{"sum":5}', isError: false });
    expect(result.usage.calls).toBe(2);
    expect(result.usage.totalTokens).toBeGreaterThan(0);
    const toolMessage = model.requests[1]!.messages.at(-1);
    expect(toolMessage).toMatchObject({ role: 'tool', toolName: 'add', content: '{"sum":5}' });
  });

  it('feeds invalid tool input back as an error the model corrects', async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'add', input: { a: 'two', b: 3 } }] },
      { toolCalls: [{ name: 'add', input: { a: 2, b: 3 } }] },
      { text: '5' },
    ]);
    const result = await new Agent({ model, tools: [add], principal }).run('2+3?');
    expect(result.steps[0]!.toolResults[0]).toMatchObject({ status: 'error', errorCode: 'TOOL_INPUT', isError: true });
    expect(model.requests[1]!.messages.at(-1)).toMatchObject({ role: 'tool', isError: true });
    expect((model.requests[1]!.messages.at(-1) as { content: string }).content).toContain('a: Invalid input');
    expect(result.steps[1]!.toolResults[0]).toMatchObject({ status: 'ok', content: '{"sum":5}' });
    expect(result.stopReason).toBe('final');
  });

  it('turns malformed JSON arguments and unknown tools into correctable errors', async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'add', inputText: '{"a": 2, "b":' }, { name: 'constructor', input: {} }] },
      { text: 'done' },
    ]);
    const result = await new Agent({ model, tools: [add], principal }).run('go');
    expect(result.steps[0]!.toolResults.map((r) => r.errorCode)).toEqual(['TOOL_INPUT', 'TOOL_NOT_FOUND']);
    expect(result.stopReason).toBe('final');
  });

  it('returns a throwing tool to the model as an error result', async () => {
    const broken = defineTool({ name: 'broken', description: 'fails', input: z.object({}), scopes: [], unscoped: true, effect: 'read', execute: () => { throw new Error('disk on fire'); } });
    const model = new ScriptedModel([{ toolCalls: [{ name: 'broken' }] }, { text: 'sorry' }]);
    const result = await new Agent({ model, tools: [broken], principal }).run('go');
    expect(result.steps[0]!.toolResults[0]).toMatchObject({ status: 'error', errorCode: 'TOOL_EXECUTION' });
    expect(result.steps[0]!.toolResults[0]!.content).toContain('disk on fire');
    expect(result.stopReason).toBe('final');
  });

  it('aborts a tool past its timeout through its signal', async () => {
    let sawAbort = false;
    const slow = defineTool({
      name: 'slow',
      description: 'never finishes',
      input: z.object({}),
      scopes: [],
      unscoped: true,
      effect: 'read',
      timeoutMs: 30,
      execute: (_input, ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => { sawAbort = true; resolve('late'); })),
    });
    const model = new ScriptedModel([{ toolCalls: [{ name: 'slow' }] }, { text: 'gave up' }]);
    const result = await new Agent({ model, tools: [slow], principal }).run('go');
    expect(result.steps[0]!.toolResults[0]).toMatchObject({ status: 'error', errorCode: 'TOOL_TIMEOUT' });
    expect(sawAbort).toBe(true);
  });

  it('stops with "aborted" when the signal fires mid-run, and records the aborted call', async () => {
    const ledger = new InMemoryUsageLedger();
    const controller = new AbortController();
    const model = new ScriptedModel([{ toolCalls: [{ name: 'add', input: { a: 1, b: 1 } }] }, { text: 'never', delayMs: 5_000 }]);
    const agent = new Agent({ model, tools: [add], principal, meter: new Meter({ ledger }) });
    agent.on('tool:result', () => setTimeout(() => controller.abort(), 10));
    const result = await agent.run('go', { signal: controller.signal });
    expect(result.stopReason).toBe('aborted');
    const records = await ledger.query({ runId: result.runId });
    expect(records.map((r) => r.status)).toEqual(['ok', 'aborted']);
    expect(records[1]!.inputTokens).toBeGreaterThan(0);
  });

  it('stops at maxSteps', async () => {
    const model = new ScriptedModel([{ toolCalls: [{ name: 'add', input: { a: 1, b: 1 } }] }], { whenExhausted: 'repeat-last' });
    const result = await new Agent({ model, tools: [add], principal, budget: { maxSteps: 3 } }).run('loop');
    expect(result.stopReason).toBe('max_steps');
    expect(result.steps).toHaveLength(3);
    expect(model.calls).toBe(3);
  });

  it('runs the tool calls of one step concurrently, bounded, and keeps results in call order', async () => {
    let running = 0;
    let peak = 0;
    const wait = defineTool({
      name: 'wait',
      description: 'waits',
      input: z.object({ ms: z.number() }),
      scopes: [],
      unscoped: true,
      effect: 'read',
      execute: async ({ ms }) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, ms));
        running--;
        return ms;
      },
    });
    const calls = [40, 10, 30, 20, 5, 15].map((ms) => ({ name: 'wait', input: { ms } }));
    const model = new ScriptedModel([{ toolCalls: calls }, { text: 'ok' }]);
    const result = await new Agent({ model, tools: [wait], principal, maxParallelTools: 3 }).run('go');
    expect(peak).toBe(3);
    expect(result.steps[0]!.toolResults.map((r) => r.content)).toEqual(['40', '10', '30', '20', '5', '15']);
    expect(model.requests[1]!.messages.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual(['40', '10', '30', '20', '5', '15']);
  });

  it('retries retryable model errors, then reports a non-retryable one as stopReason "error"', async () => {
    const ledger = new InMemoryUsageLedger();
    const model = new ScriptedModel([
      { error: new ModelError({ provider: 'x', kind: 'rate_limit', message: '429', retryAfterMs: 1 }) },
      { text: 'ok' },
      { error: new ModelError({ provider: 'x', kind: 'auth', message: 'bad key' }) },
    ]);
    const agent = new Agent({ model, principal, meter: new Meter({ ledger }), retry: { initialDelayMs: 1, jitter: false } });
    const first = await agent.run('hi');
    expect(first.text).toBe('ok');
    expect(first.steps[0]!.attempts).toBe(2);
    expect((await ledger.query({ runId: first.runId })).map((r) => [r.attempt, r.status])).toEqual([[1, 'error'], [2, 'ok']]);
    const second = await agent.run('hi again');
    expect(second.stopReason).toBe('error');
    expect(second.error).toMatchObject({ code: 'MODEL_ERROR', kind: 'auth' });
    expect(await ledger.query({ runId: second.runId })).toHaveLength(1);
  });

  it('isolates listener errors and reports them as error events', async () => {
    const model = new ScriptedModel([{ text: 'fine' }]);
    const agent = new Agent({ model, principal });
    const errors: Error[] = [];
    agent.on('step', () => { throw new Error('listener bug'); });
    agent.on('error', ({ error }) => errors.push(error));
    const result = await agent.run('hi');
    expect(result.stopReason).toBe('final');
    expect(errors.map((e) => e.message)).toEqual(['listener bug']);
  });

  it('streams the same events in order, ending with run:end', async () => {
    const model = new ScriptedModel([{ text: 'Let me add.', toolCalls: [{ name: 'add', input: { a: 1, b: 2 } }] }, { text: 'It is three.' }]);
    const agent = new Agent({ model, tools: [add], principal });
    const emitted: string[] = [];
    for (const name of ['run:start', 'model:request', 'model:response', 'tool:call', 'tool:result', 'step', 'usage', 'run:end'] as const) {
      agent.on(name, () => emitted.push(name));
    }
    const streamed: AgentStreamEvent[] = [];
    for await (const event of agent.stream('1+2?')) streamed.push(event);
    const types = streamed.map((e) => e.type);
    expect(types.filter((t) => t !== 'text:delta')).toEqual(emitted);
    expect(types).toEqual([
      'run:start', 'model:request', 'text:delta', 'text:delta', 'text:delta', 'usage', 'model:response', 'tool:call', 'tool:result', 'step',
      'model:request', 'text:delta', 'text:delta', 'text:delta', 'usage', 'model:response', 'step', 'run:end',
    ]);
    const end = streamed.at(-1)!;
    expect(end.type === 'run:end' && end.data.text).toBe('It is three.');
  });

  it('validates its options with clear errors', () => {
    const model = new ScriptedModel([]);
    expect(() => new Agent({ model, principal: { id: '' } })).toThrow(/principal/);
    expect(() => new Agent({ model: {} as never, principal })).toThrow(/ModelProvider/);
    expect(() => new Agent({ model, principal, environment: 'prod' as never })).toThrow(/sandbox/);
    expect(() => new Agent({ model, principal, tools: [add, add] })).toThrow(/already registered/);
  });

  it('rejects an empty input without losing anything', async () => {
    const agent = new Agent({ model: new ScriptedModel([]), principal });
    await expect(agent.run('  ')).rejects.toThrow(/non-empty input/);
  });

  it('lets a listener see every usage record before the run resolves', async () => {
    const model = new ScriptedModel([{ text: 'ok', usage: { inputTokens: 50, outputTokens: 2 } }]);
    const agent = new Agent({ model, principal });
    const seen = vi.fn();
    agent.on('usage', seen);
    const result = await agent.run('hi');
    expect(seen).toHaveBeenCalledOnce();
    expect(seen.mock.calls[0]![0]).toMatchObject({ source: 'reported', inputTokens: 50, outputTokens: 2, runId: result.runId });
  });

  it('stops with "budget" before a call the run budget cannot cover, and clamps the output limit before that', async () => {
    const model = new ScriptedModel([{ toolCalls: [{ name: 'add', input: { a: 1, b: 1 } }] }], { whenExhausted: 'repeat-last' });
    const result = await new Agent({ model, tools: [add], principal, budget: { maxTokens: 600, maxOutputTokens: 500 } }).run('loop');
    expect(result.stopReason).toBe('budget');
    expect(result.error).toMatchObject({ code: 'BUDGET_EXCEEDED' });
    expect(result.usage.totalTokens).toBeLessThanOrEqual(600);
    expect(model.requests[0]!.maxOutputTokens).toBeLessThan(500);
  });
});
