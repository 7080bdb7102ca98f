import { ModelError, type GenerateRequest, type ModelStreamEvent } from '@claw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropic } from '../src';
import { startStandIn, type StandIn } from './stand-in-server';
import { streamEvents, usage } from './wire';

const KEY = 'sk-ant-stream';
let server: StandIn;
beforeAll(async () => {
  server = await startStandIn({ apiKey: KEY });
});
afterAll(() => server.close());

const request: GenerateRequest = { messages: [{ role: 'user', content: 'Look up T-1 and T-2' }], tools: [] };
const provider = () => anthropic({ model: 'claude-sonnet-4-6', apiKey: KEY, baseURL: server.baseURL });

async function run(events: AsyncIterable<ModelStreamEvent>): Promise<{ seen: ModelStreamEvent[]; error?: ModelError }> {
  const seen: ModelStreamEvent[] = [];
  try {
    for await (const event of events) seen.push(event);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return { seen, error: error as ModelError };
  }
  return { seen };
}

describe('AnthropicProvider.stream', () => {
  it('streams text, yields each tool call when its block closes, and finishes with merged usage', async () => {
    server.reply({
      type: 'sse',
      events: streamEvents({
        blocks: [
          { type: 'text', deltas: ['Looking ', 'them up.'] },
          { type: 'tool_use', id: 'toolu_1', name: 'ticket_lookup', fragments: ['', '{"id": "T', '-1"}'] },
          { type: 'tool_use', id: 'toolu_2', name: 'ticket_lookup', fragments: ['{"id":"T-2"}'] },
        ],
        stopReason: 'tool_use',
        startUsage: usage(30, 1, { read: 500, write: 0 }),
        outputTokens: 61,
      }),
    });
    const { seen, error } = await run(provider().stream({ ...request, maxOutputTokens: 200 }));
    expect(error).toBeUndefined();
    expect(server.requests.at(-1)!.body).toMatchObject({ stream: true, max_tokens: 200 });
    const calls = [
      { id: 'toolu_1', name: 'ticket_lookup', input: { id: 'T-1' } },
      { id: 'toolu_2', name: 'ticket_lookup', input: { id: 'T-2' } },
    ];
    expect(seen).toEqual([
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
          usage: { inputTokens: 530, outputTokens: 61, cachedInputTokens: 500, cacheWriteTokens: 0 },
          model: 'claude-sonnet-4-6-20260101',
          requestId: expect.stringMatching(/^req_stand_in_/),
        },
      },
    ]);
  });

  it('yields a tool call whose streamed input is not valid JSON with its raw text and parse error', async () => {
    server.reply({
      type: 'sse',
      events: streamEvents({ blocks: [{ type: 'tool_use', id: 'toolu_x', name: 'ticket_lookup', fragments: ['{"id": "T-', '1", "note": "unterminated'] }], stopReason: 'max_tokens' }),
    });
    const { seen } = await run(provider().stream(request));
    expect(seen.find((e) => e.type === 'tool-call')).toMatchObject({
      toolCall: { id: 'toolu_x', input: undefined, inputText: '{"id": "T-1", "note": "unterminated', parseError: expect.stringMatching(/not valid JSON/) },
    });
    expect(seen.at(-1)).toMatchObject({ type: 'finish', response: { finishReason: 'length' } });
  });

  it('gives a tool without input fragments an empty input object', async () => {
    server.reply({ type: 'sse', events: streamEvents({ blocks: [{ type: 'tool_use', id: 'toolu_now', name: 'clock_now', fragments: [] }], stopReason: 'tool_use' }) });
    const { seen } = await run(provider().stream(request));
    expect(seen.find((e) => e.type === 'tool-call')).toEqual({ type: 'tool-call', toolCall: { id: 'toolu_now', name: 'clock_now', input: {} } });
  });

  it('throws a retryable connection error when the connection drops mid-stream', async () => {
    server.reply({ type: 'sse', dropAfter: 4, events: streamEvents({ blocks: [{ type: 'text', deltas: ['Half ', 'an ', 'answer'] }] }) });
    const { seen, error } = await run(provider().stream(request));
    expect(error).toMatchObject({ provider: 'anthropic', kind: 'connection', retryable: true, message: expect.stringMatching(/dropped before the answer finished/) });
    expect(seen).toEqual([{ type: 'text-delta', text: 'Half ' }]);
  });

  it('keeps the answer and the reported usage when the connection drops after message_delta, before message_stop', async () => {
    const events = streamEvents({ blocks: [{ type: 'text', deltas: ['The answer ', 'is 5.'] }], startUsage: usage(180, 1), outputTokens: 9 });
    // Everything up to and including message_delta arrives; message_stop never does.
    server.reply({ type: 'sse', dropAfter: events.length - 1, events });
    const { seen, error } = await run(provider().stream(request));
    expect(error).toBeUndefined();
    expect(seen.at(-1)).toMatchObject({
      type: 'finish',
      response: { text: 'The answer is 5.', finishReason: 'stop', usage: { inputTokens: 180, outputTokens: 9 } },
    });
  });

  it('throws a connection error when the stream ends cleanly before the message finished', async () => {
    const events = streamEvents({ blocks: [{ type: 'text', deltas: ['Cut'] }] });
    server.reply({ type: 'sse', events: events.slice(0, 4) });
    const { error } = await run(provider().stream(request));
    expect(error).toMatchObject({ kind: 'connection', retryable: true, message: expect.stringMatching(/ended before the message was finished/) });
  });

  it('maps an overloaded_error event mid-stream to a retryable server error', async () => {
    const events = streamEvents({ blocks: [{ type: 'text', deltas: ['Hi'] }] }).slice(0, 4);
    events.push({ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
    server.reply({ type: 'sse', events });
    const { error } = await run(provider().stream(request));
    expect(error).toMatchObject({ kind: 'server', retryable: true, message: expect.stringMatching(/overloaded_error: Overloaded/) });
  });

  it('stops with kind aborted when the signal fires mid-stream', async () => {
    server.reply({ type: 'sse', events: streamEvents({ blocks: [{ type: 'text', deltas: ['One ', 'two ', 'three'] }] }) });
    const controller = new AbortController();
    const seen: ModelStreamEvent[] = [];
    let caught: unknown;
    try {
      for await (const event of provider().stream({ ...request, signal: controller.signal })) {
        seen.push(event);
        controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ModelError);
    expect(caught).toMatchObject({ kind: 'aborted', retryable: false });
    expect(seen.some((e) => e.type === 'finish')).toBe(false);
  });
});
