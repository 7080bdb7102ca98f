import { ModelError, type GenerateRequest, type ModelStreamEvent } from '@claw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openai } from '../src';
import { startStandIn, type StandIn } from './stand-in-server';
import { chunk, toolCallDelta, usageChunk } from './wire';

let server: StandIn;
beforeAll(async () => {
  server = await startStandIn({ apiKey: 'sk-stream' });
});
afterAll(() => server.close());

const request: GenerateRequest = { messages: [{ role: 'user', content: 'Look up T-1 and T-2' }], tools: [], maxOutputTokens: 100 };
const provider = () => openai({ model: 'gpt-4o-mini', apiKey: 'sk-stream', baseURL: server.baseURL, maxTokensField: 'max_completion_tokens' });

async function collect(events: AsyncIterable<ModelStreamEvent>): Promise<ModelStreamEvent[]> {
  const seen: ModelStreamEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

async function failure(events: AsyncIterable<ModelStreamEvent>, seen: ModelStreamEvent[] = []): Promise<ModelError> {
  try {
    for await (const event of events) seen.push(event);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return error as ModelError;
  }
  throw new Error('the stream was expected to fail');
}

describe('OpenAIProvider.stream', () => {
  it('streams text, assembles tool calls split across chunks, and finishes with the usage chunk', async () => {
    server.reply({
      type: 'sse',
      events: [
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: 'Looking ' }),
        chunk({ content: 'them up.' }),
        chunk({ tool_calls: [toolCallDelta(0, { id: 'call_1', name: 'ticket_lookup' })] }),
        chunk({ tool_calls: [toolCallDelta(0, { arguments: '{"i' })] }),
        chunk({ tool_calls: [toolCallDelta(0, { arguments: 'd":"T-1"}' })] }),
        chunk({ tool_calls: [toolCallDelta(1, { id: 'call_2', name: 'ticket_lookup', arguments: '{"id":' })] }),
        chunk({ tool_calls: [toolCallDelta(1, { arguments: '"T-2"}' })] }),
        chunk({}, 'tool_calls'),
        usageChunk(40, 22, { cached: 0, reasoning: 0 }),
      ],
    });
    const events = await collect(provider().stream(request));

    expect(server.requests.at(-1)!.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, max_completion_tokens: 100 });
    const calls = [
      { id: 'call_1', name: 'ticket_lookup', input: { id: 'T-1' } },
      { id: 'call_2', name: 'ticket_lookup', input: { id: 'T-2' } },
    ];
    expect(events).toEqual([
      { type: 'text-delta', text: 'Looking ' },
      { type: 'text-delta', text: 'them up.' },
      { type: 'tool-call', toolCall: calls[0] },
      { type: 'tool-call', toolCall: calls[1] },
      {
        type: 'finish',
        response: {
          text: 'Looking them up.',
          toolCalls: calls,
          finishReason: 'tool_calls',
          usage: { inputTokens: 40, outputTokens: 22, cachedInputTokens: 0, reasoningTokens: 0 },
          model: 'gpt-4o-mini-2024-07-18',
          requestId: expect.stringMatching(/^req_/),
        },
      },
    ]);
  });

  it('yields a malformed streamed tool call with its raw text and parse error', async () => {
    server.reply({
      type: 'sse',
      events: [
        chunk({ tool_calls: [toolCallDelta(0, { id: 'call_x', name: 'ticket_lookup', arguments: '{"id": T-1' })] }),
        chunk({ tool_calls: [toolCallDelta(0, { arguments: '}' })] }),
        chunk({}, 'tool_calls'),
        usageChunk(10, 5),
      ],
    });
    const events = await collect(provider().stream(request));
    const call = events.find((e) => e.type === 'tool-call');
    expect(call).toMatchObject({ toolCall: { id: 'call_x', input: undefined, inputText: '{"id": T-1}', parseError: expect.stringMatching(/not valid JSON/) } });
    expect(events.at(-1)).toMatchObject({ type: 'finish', response: { finishReason: 'tool_calls' } });
  });

  it('throws a retryable connection error when the connection drops mid-stream', async () => {
    server.reply({ type: 'sse', dropAfter: 2, events: [chunk({ content: 'Half ' }), chunk({ content: 'an ' }), chunk({ content: 'answer' }, 'stop')] });
    const seen: ModelStreamEvent[] = [];
    const error = await failure(provider().stream(request), seen);
    expect(error).toMatchObject({ kind: 'connection', retryable: true, provider: 'openai-compatible', message: expect.stringMatching(/dropped before the answer finished/) });
    expect(seen.map((e) => e.type)).not.toContain('finish');
  });

  it('keeps the answer and the reported usage when the connection drops after the usage chunk, before [DONE]', async () => {
    const sent = [chunk({ content: 'The answer ' }), chunk({ content: 'is 5.' }), chunk({}, 'stop'), usageChunk(180, 9)];
    server.reply({ type: 'sse', dropAfter: sent.length, events: sent });
    const seen = await collect(provider().stream(request));
    expect(seen.at(-1)).toMatchObject({
      type: 'finish',
      response: { text: 'The answer is 5.', finishReason: 'stop', usage: { inputTokens: 180, outputTokens: 9 } },
    });
  });

  it('keeps a finished answer without usage when the connection drops between finish_reason and the usage chunk', async () => {
    server.reply({ type: 'sse', dropAfter: 2, events: [chunk({ content: 'Done.' }), chunk({}, 'stop'), usageChunk(180, 9)] });
    const seen = await collect(provider().stream(request));
    expect(seen.at(-1)).toEqual({ type: 'finish', response: expect.objectContaining({ text: 'Done.', finishReason: 'stop' }) });
    expect((seen.at(-1) as { response: { usage?: unknown } }).response.usage).toBeUndefined();
  });

  it('throws a connection error when the stream ends cleanly but before any finish_reason', async () => {
    server.reply({ type: 'sse', done: false, events: [chunk({ content: 'Cut' })] });
    const error = await failure(provider().stream(request));
    expect(error).toMatchObject({ kind: 'connection', retryable: true, message: expect.stringMatching(/ended before the model finished/) });
  });

  it('maps an error event inside the stream to a retryable server error', async () => {
    server.reply({ type: 'sse', events: [chunk({ content: 'Hi' }), { error: { message: 'The server had an error', type: 'server_error', code: null } }] });
    const error = await failure(provider().stream(request));
    expect(error).toMatchObject({ kind: 'server', retryable: true });
  });

  it('stops with kind aborted when the signal fires mid-stream', async () => {
    server.reply({ type: 'sse', events: [chunk({ content: 'One ' }), chunk({ content: 'two ' }), chunk({ content: 'three' }, 'stop'), usageChunk(3, 3)] });
    const controller = new AbortController();
    const seen: ModelStreamEvent[] = [];
    const stream = provider().stream({ ...request, signal: controller.signal });
    const error = await (async () => {
      try {
        for await (const event of stream) {
          seen.push(event);
          controller.abort();
        }
      } catch (caught) {
        return caught as ModelError;
      }
    })();
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ kind: 'aborted', retryable: false });
    expect(seen.some((e) => e.type === 'finish')).toBe(false);
  });

  it('passes HTTP errors before the stream starts through the same classification', async () => {
    server.reply({ type: 'json', status: 429, headers: { 'retry-after': '3' }, body: { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } } });
    const error = await failure(provider().stream(request));
    expect(error).toMatchObject({ kind: 'rate_limit', status: 429, retryAfterMs: 3000, retryable: true });
  });
});
