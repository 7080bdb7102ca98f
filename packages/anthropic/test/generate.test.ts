import { InvalidArgumentError, ModelError, type Message } from '@claw/core';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropic, AnthropicProvider } from '../src';
import { errorBody, startStandIn, type StandIn } from './stand-in-server';
import { message, usage } from './wire';

const KEY = 'sk-ant-stand-in';
let server: StandIn;
beforeAll(async () => {
  server = await startStandIn({ apiKey: KEY });
});
afterAll(() => server.close());

const lookupTool = {
  name: 'ticket_lookup',
  description: 'Find a ticket by id',
  inputSchema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
};
const provider = () => anthropic({ model: 'claude-sonnet-4-6', apiKey: KEY, baseURL: server.baseURL });

describe('AnthropicProvider.generate', () => {
  it('sends one system prompt, tool_use/tool_result blocks and max_tokens, and reads the answer', async () => {
    server.reply({
      type: 'json',
      body: message({
        content: [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_use', id: 'toolu_03', name: 'ticket_lookup', input: { id: 'T-9' } },
        ],
        usage: usage(50, 40, { read: 1000, write: 200 }),
      }),
    });
    const messages: Message[] = [
      { role: 'system', content: 'You are Claw.' },
      { role: 'system', content: 'Tickets skill: look tickets up.', part: 'skill_instructions' },
      { role: 'system', content: 'Priya prefers short answers.', part: 'memory' },
      { role: 'user', content: 'Status of T-1 and T-2?' },
      {
        role: 'assistant',
        content: 'Looking.',
        toolCalls: [
          { id: 'toolu_01', name: 'ticket_lookup', input: { id: 'T-1' } },
          { id: 'toolu_02', name: 'ticket_lookup', input: { id: 'T-2' } },
        ],
      },
      { role: 'tool', toolCallId: 'toolu_01', toolName: 'ticket_lookup', content: '{"status":"open"}' },
      { role: 'tool', toolCallId: 'toolu_02', toolName: 'ticket_lookup', content: 'Ticket T-2 does not exist', isError: true },
      { role: 'user', content: 'And T-9?' },
    ];
    const response = await provider().generate({ messages, tools: [lookupTool], maxOutputTokens: 300, temperature: 0 });

    const sent = server.requests.at(-1)!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['anthropic-version']).toBeDefined();
    expect(sent.body).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 300,
      system: 'You are Claw.\n\nTickets skill: look tickets up.\n\nPriya prefers short answers.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Status of T-1 and T-2?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Looking.' },
            { type: 'tool_use', id: 'toolu_01', name: 'ticket_lookup', input: { id: 'T-1' } },
            { type: 'tool_use', id: 'toolu_02', name: 'ticket_lookup', input: { id: 'T-2' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01', content: '{"status":"open"}' },
            { type: 'tool_result', tool_use_id: 'toolu_02', content: 'Ticket T-2 does not exist', is_error: true },
            { type: 'text', text: 'And T-9?' },
          ],
        },
      ],
      tools: [
        { name: 'ticket_lookup', description: 'Find a ticket by id', input_schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
      ],
      temperature: 0,
    });
    expect(response).toEqual({
      text: 'Checking both.',
      toolCalls: [{ id: 'toolu_03', name: 'ticket_lookup', input: { id: 'T-9' } }],
      finishReason: 'tool_calls',
      // input_tokens (50) excludes the 1000 cache reads and 200 cache writes; ours is the whole prompt.
      usage: { inputTokens: 1250, outputTokens: 40, cachedInputTokens: 1000, cacheWriteTokens: 200 },
      model: 'claude-sonnet-4-6-20260101',
      requestId: expect.stringMatching(/^req_stand_in_\d+$/),
    });
  });

  it('sends max_tokens 4096 when the request names no limit, and leaves out system and tools when there are none', async () => {
    server.reply({ type: 'json', body: message({ content: [{ type: 'text', text: 'Hi.' }] }) });
    await provider().generate({ messages: [{ role: 'user', content: 'hi' }], tools: [] });
    expect(server.requests.at(-1)!.body).toEqual({ model: 'claude-sonnet-4-6', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
    server.reply({ type: 'json', body: message({ content: [{ type: 'text', text: 'Hi.' }] }) });
    await anthropic({ model: 'claude-haiku-4-5', apiKey: KEY, baseURL: server.baseURL, defaultMaxOutputTokens: 1024 }).generate({ messages: [{ role: 'user', content: 'hi' }], tools: [] });
    expect(server.requests.at(-1)!.body.max_tokens).toBe(1024);
  });

  it('maps stop reasons', async () => {
    const cases: [string, string][] = [
      ['end_turn', 'stop'],
      ['stop_sequence', 'stop'],
      ['max_tokens', 'length'],
      ['refusal', 'content_filter'],
      ['pause_turn', 'other'],
    ];
    for (const [stopReason, expected] of cases) {
      server.reply({ type: 'json', body: message({ content: [{ type: 'text', text: 'x' }], stopReason }) });
      const response = await provider().generate({ messages: [{ role: 'user', content: 'x' }], tools: [] });
      expect([stopReason, response.finishReason]).toEqual([stopReason, expected]);
    }
  });

  it('replays a call whose arguments did not parse with an empty input object', async () => {
    server.reply({ type: 'json', body: message({ content: [{ type: 'text', text: 'Fixed.' }] }) });
    await provider().generate({
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'toolu_bad', name: 'ticket_lookup', input: undefined, inputText: '{"id":', parseError: 'bad' }] },
        { role: 'tool', toolCallId: 'toolu_bad', toolName: 'ticket_lookup', content: 'invalid JSON', isError: true },
      ],
      tools: [lookupTool],
    });
    expect(server.requests.at(-1)!.body.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_bad', name: 'ticket_lookup', input: {} }] });
  });

  it('makes exactly one attempt even with a caller-supplied client configured to retry', async () => {
    const client = new Anthropic({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 4 });
    const before = server.requests.length;
    server.reply({ type: 'json', status: 529, body: errorBody('overloaded_error', 'Overloaded') });
    const error = await anthropic({ model: 'claude-sonnet-4-6', client }).generate({ messages: [{ role: 'user', content: 'x' }], tools: [] }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ provider: 'anthropic', kind: 'server', status: 529, retryable: true, message: expect.stringMatching(/overloaded/) });
    expect(server.requests.length - before).toBe(1);
  });

  it('refuses bad options with errors that say what to do', () => {
    const saved = process.env['ANTHROPIC_API_KEY'];
    delete process.env['ANTHROPIC_API_KEY'];
    try {
      let caught: unknown;
      try {
        anthropic({ model: 'claude-sonnet-4-6' });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ModelError);
      expect(caught).toMatchObject({ kind: 'auth', retryable: false, message: expect.stringContaining('ANTHROPIC_API_KEY') });
    } finally {
      if (saved !== undefined) process.env['ANTHROPIC_API_KEY'] = saved;
    }
    expect(() => anthropic({ model: ' ' })).toThrow(InvalidArgumentError);
    expect(() => anthropic({ model: 'm', apiKey: 'k', baseURL: 'api.anthropic.com' })).toThrow(/baseURL must be an http\(s\) URL/);
    expect(() => anthropic({ model: 'm', apiKey: 'k', defaultMaxOutputTokens: 0 })).toThrow(InvalidArgumentError);
    const made = new AnthropicProvider({ model: 'claude-sonnet-4-6', apiKey: 'k' });
    expect([made.provider, made.model, made.baseURL]).toEqual(['anthropic', 'claude-sonnet-4-6', 'https://api.anthropic.com']);
  });
});
