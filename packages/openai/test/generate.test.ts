import { InvalidArgumentError, ModelError, type GenerateRequest, type Message } from '@claw/core';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openai, OpenAIProvider } from '../src';
import { startStandIn, type StandIn } from './stand-in-server';
import { completion, usage } from './wire';

const KEY = 'sk-test-stand-in';
let server: StandIn;
beforeAll(async () => {
  server = await startStandIn({ apiKey: KEY });
});
afterAll(() => server.close());

const lookupTool = {
  name: 'ticket_lookup',
  description: 'Find a ticket by id',
  inputSchema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { id: { type: 'string' } },
    required: ['id'],
    additionalProperties: false,
  },
};

function provider() {
  // baseURL points at the stand-in, so this is 'openai-compatible'; the field choice is pinned to OpenAI's.
  return openai({ model: 'gpt-4o-mini', apiKey: KEY, baseURL: server.baseURL, maxTokensField: 'max_completion_tokens' });
}

describe('OpenAIProvider.generate', () => {
  it('sends messages, tools and limits in the Chat Completions shape and reads the answer', async () => {
    server.reply({
      type: 'json',
      body: completion({
        text: null,
        toolCalls: [{ id: 'call_a1', name: 'ticket_lookup', arguments: '{"id":"T-7"}' }],
        usage: usage(120, 30, { cached: 64, reasoning: 8 }),
      }),
    });
    const messages: Message[] = [
      { role: 'system', content: 'You are Claw.' },
      { role: 'system', content: 'Tickets skill: look tickets up.', part: 'skill_instructions' },
      { role: 'user', content: 'What is T-6?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_0', name: 'ticket_lookup', input: { id: 'T-6' } }] },
      { role: 'tool', toolCallId: 'call_0', toolName: 'ticket_lookup', content: '{"status":"open"}' },
      { role: 'assistant', content: 'T-6 is open.' },
      { role: 'user', content: 'And T-7?' },
    ];
    const response = await provider().generate({ messages, tools: [lookupTool], maxOutputTokens: 256, temperature: 0.2 });

    const sent = server.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are Claw.\n\nTickets skill: look tickets up.' },
        { role: 'user', content: 'What is T-6?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'ticket_lookup', arguments: '{"id":"T-6"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_0', content: '{"status":"open"}' },
        { role: 'assistant', content: 'T-6 is open.' },
        { role: 'user', content: 'And T-7?' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'ticket_lookup',
            description: 'Find a ticket by id',
            parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'], additionalProperties: false },
          },
        },
      ],
      max_completion_tokens: 256,
      temperature: 0.2,
    });
    expect(response).toEqual({
      text: '',
      toolCalls: [{ id: 'call_a1', name: 'ticket_lookup', input: { id: 'T-7' } }],
      finishReason: 'tool_calls',
      usage: { inputTokens: 120, outputTokens: 30, cachedInputTokens: 64, reasoningTokens: 8 },
      model: 'gpt-4o-mini-2024-07-18',
      requestId: expect.stringMatching(/^req_\d+$/),
    });
  });

  it('turns malformed tool-call JSON into a ToolCall with the raw text and a parse error instead of failing', async () => {
    server.reply({
      type: 'json',
      body: completion({
        toolCalls: [
          { id: 'call_bad', name: 'ticket_lookup', arguments: '{"id": "T-7"' },
          { id: 'call_ok', name: 'ticket_lookup', arguments: '{"id":"T-8"}' },
        ],
      }),
    });
    const response = await provider().generate({ messages: [{ role: 'user', content: 'look up' }], tools: [lookupTool] });
    expect(response.toolCalls[0]).toMatchObject({ id: 'call_bad', name: 'ticket_lookup', input: undefined, inputText: '{"id": "T-7"' });
    expect(response.toolCalls[0]!.parseError).toMatch(/not valid JSON/);
    expect(response.toolCalls[1]).toEqual({ id: 'call_ok', name: 'ticket_lookup', input: { id: 'T-8' } });
  });

  it('replays a malformed call as {} on the next turn so the server can render the history', async () => {
    server.reply({ type: 'json', body: completion({ text: 'Sorry, retrying.' }) });
    const request: GenerateRequest = {
      messages: [
        { role: 'user', content: 'look up' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'ticket_lookup', input: undefined, inputText: '{"id":', parseError: 'bad' }] },
        { role: 'tool', toolCallId: 'c1', toolName: 'ticket_lookup', content: 'arguments were not valid JSON', isError: true },
      ],
      tools: [lookupTool],
    };
    await provider().generate(request);
    expect(server.requests.at(-1)!.body.messages[1].tool_calls[0].function.arguments).toBe('{}');
  });

  it('leaves out tools, the output limit and temperature when the request has none', async () => {
    server.reply({ type: 'json', body: completion({ text: 'Hello.', usage: null }) });
    const response = await provider().generate({ messages: [{ role: 'user', content: 'hi' }], tools: [] });
    expect(server.requests.at(-1)!.body).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(response.text).toBe('Hello.');
    expect(response.finishReason).toBe('stop');
    expect(response.usage).toBeUndefined();
  });

  it('maps length and content-filter endings and surfaces a refusal as the text', async () => {
    server.reply(
      { type: 'json', body: completion({ text: 'Partial answ', finishReason: 'length' }) },
      { type: 'json', body: completion({ text: null, refusal: 'I cannot help with that.', finishReason: 'stop' }) },
    );
    const request: GenerateRequest = { messages: [{ role: 'user', content: 'x' }], tools: [] };
    expect((await provider().generate(request)).finishReason).toBe('length');
    const refused = await provider().generate(request);
    expect(refused).toMatchObject({ text: 'I cannot help with that.', finishReason: 'content_filter' });
  });

  it('makes exactly one attempt even with a caller-supplied client configured to retry', async () => {
    const client = new OpenAI({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 5 });
    const before = server.requests.length;
    server.reply({ type: 'json', status: 503, body: { error: { message: 'overloaded', type: 'server_error', param: null, code: null } } });
    const error = await openai({ model: 'gpt-4o-mini', client }).generate({ messages: [{ role: 'user', content: 'x' }], tools: [] }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ kind: 'server', status: 503, retryable: true });
    expect(server.requests.length - before).toBe(1);
  });

  it('uses max_completion_tokens for api.openai.com and max_tokens for compatible servers by default', () => {
    const official = new OpenAIProvider({ model: 'gpt-4o-mini', apiKey: 'sk-x' });
    expect(official.provider).toBe('openai');
    expect(official.baseURL).toBe('https://api.openai.com/v1');
    const local = openai({ model: 'llama3.2', baseURL: 'http://127.0.0.1:11434/v1/' });
    expect(local.provider).toBe('openai-compatible');
    expect(local.model).toBe('llama3.2');
    expect(local.baseURL).toBe('http://127.0.0.1:11434/v1');
  });

  it('refuses bad options with errors that say what to do', () => {
    const saved = process.env['OPENAI_API_KEY'];
    delete process.env['OPENAI_API_KEY'];
    try {
      const missingKey = (() => {
        try {
          openai({ model: 'gpt-4o-mini' });
        } catch (error) {
          return error;
        }
      })();
      expect(missingKey).toBeInstanceOf(ModelError);
      expect(missingKey).toMatchObject({ kind: 'auth', retryable: false, message: expect.stringContaining('OPENAI_API_KEY') });
    } finally {
      if (saved !== undefined) process.env['OPENAI_API_KEY'] = saved;
    }
    expect(() => openai({ model: '' })).toThrow(InvalidArgumentError);
    expect(() => openai({ model: 'm', baseURL: 'localhost:11434' })).toThrow(/baseURL must be an http\(s\) URL/);
    expect(() => openai({ model: 'm', baseURL: 'http://127.0.0.1:1/v1', timeoutMs: 0 })).toThrow(InvalidArgumentError);
  });
});
