import { Agent, defineTool, InMemoryUsageLedger, Meter, type UsageRecord } from '@claw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropic } from '../src';
import { errorBody, startStandIn, type Reply, type StandIn } from './stand-in-server';
import { message, streamEvents, usage } from './wire';
import { z } from 'zod';

// The whole path: Agent → Meter → AnthropicProvider → official client → HTTP → stand-in, with the agent retrying
// a 429 and a 500 before the tool call, so the ledger must show every attempt.

const KEY = 'sk-ant-agent';
let server: StandIn;
beforeAll(async () => {
  server = await startStandIn({ apiKey: KEY });
});
afterAll(() => server.close());

const ticketLookup = defineTool({
  name: 'ticket_lookup',
  description: 'Find a ticket by id',
  input: z.object({ id: z.string() }),
  scopes: [],
  unscoped: true,
  effect: 'read',
  execute: ({ id }) => ({ id, status: 'open', title: 'Login page is slow' }),
});

const failures: Reply[] = [
  { type: 'json', status: 429, headers: { 'retry-after': '0' }, body: errorBody('rate_limit_error', 'Number of requests has exceeded your per-minute rate limit') },
  { type: 'json', status: 500, body: errorBody('api_error', 'Internal server error') },
];

function agentWith(ledger: InMemoryUsageLedger) {
  return new Agent({
    model: anthropic({ model: 'claude-sonnet-4-6', apiKey: KEY, baseURL: server.baseURL }),
    tools: [ticketLookup],
    principal: { id: 'priya', managerId: 'raj' },
    environment: 'production',
    meter: new Meter({ ledger, telemetry: false }),
    retry: { maxAttempts: 3, initialDelayMs: 1, jitter: false },
    budget: { maxTokens: 50_000, maxSteps: 4 },
  });
}

function expectLedger(records: UsageRecord[]) {
  const ordered = [...records].sort((a, b) => a.step - b.step || a.attempt - b.attempt);
  expect(ordered.map((r) => [r.step, r.attempt, r.status])).toEqual([
    [1, 1, 'error'],
    [1, 2, 'error'],
    [1, 3, 'ok'],
    [2, 1, 'ok'],
  ]);
  for (const failed of ordered.slice(0, 2)) expect(failed.reported).toBeUndefined();
  // Step 1 read 300 prompt tokens from the cache: the reported input is the whole prompt, 40 + 300.
  expect(ordered[2]).toMatchObject({ source: 'reported', inputTokens: 340, outputTokens: 25, reported: { inputTokens: 340, outputTokens: 25, cachedInputTokens: 300 } });
  expect(ordered[3]).toMatchObject({ source: 'reported', inputTokens: 395, outputTokens: 14, reported: { inputTokens: 395, outputTokens: 14, cachedInputTokens: 300 } });
  expect(ordered.map((r) => r.provider)).toEqual(Array(4).fill('anthropic'));
}

describe('Agent with AnthropicProvider against the stand-in', () => {
  it('retries 429 and 500, runs the tool, answers, and meters every attempt (generate)', async () => {
    server.reply(
      ...failures,
      { type: 'json', body: message({ content: [{ type: 'tool_use', id: 'toolu_t7', name: 'ticket_lookup', input: { id: 'T-7' } }], usage: usage(40, 25, { read: 300 }) }) },
      { type: 'json', body: message({ content: [{ type: 'text', text: 'T-7 is open: the login page is slow.' }], usage: usage(95, 14, { read: 300 }) }) },
    );
    const before = server.requests.length;
    const ledger = new InMemoryUsageLedger();
    const result = await agentWith(ledger).run('What is the status of T-7?');

    expect(result.stopReason).toBe('final');
    expect(result.text).toBe('T-7 is open: the login page is slow.');
    expect(server.requests.length - before).toBe(4);
    const last = server.requests.at(-1)!.body;
    expect(last.messages.at(-1)).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_t7', content: expect.stringContaining('"status":"open"') }],
    });
    expect(last.tools[0]).toMatchObject({ name: 'ticket_lookup', input_schema: { type: 'object', properties: { id: { type: 'string' } } } });
    expectLedger(await ledger.query({ runId: result.runId }));
  });

  it('does the same when the agent streams', async () => {
    server.reply(
      ...failures,
      {
        type: 'sse',
        events: streamEvents({
          blocks: [{ type: 'tool_use', id: 'toolu_t7', name: 'ticket_lookup', fragments: ['{"id":', '"T-7"}'] }],
          stopReason: 'tool_use',
          startUsage: usage(40, 1, { read: 300 }),
          outputTokens: 25,
        }),
      },
      {
        type: 'sse',
        events: streamEvents({ blocks: [{ type: 'text', deltas: ['T-7 is open: ', 'the login page is slow.'] }], startUsage: usage(95, 1, { read: 300 }), outputTokens: 14 }),
      },
    );
    const ledger = new InMemoryUsageLedger();
    const stream = agentWith(ledger).stream('What is the status of T-7?');
    let next = await stream.next();
    while (!next.done) next = await stream.next();
    const result = next.value;

    expect(result.stopReason).toBe('final');
    expect(result.text).toBe('T-7 is open: the login page is slow.');
    expect(server.requests.at(-1)!.body.stream).toBe(true);
    expectLedger(await ledger.query({ runId: result.runId }));
  });
});
