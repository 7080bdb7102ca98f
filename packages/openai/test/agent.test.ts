import { Agent, defineTool, InMemoryUsageLedger, Meter, type UsageRecord } from '@claw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openai } from '../src';
import { startStandIn, type Reply, type StandIn } from './stand-in-server';
import { chunk, completion, errorBody, toolCallDelta, usage, usageChunk } from './wire';
import { z } from 'zod';

// The whole path: Agent → Meter → OpenAIProvider → official client → HTTP → stand-in, with the agent retrying
// a 429 and a 500 before the tool call, so the ledger must show every attempt.

const KEY = 'sk-agent';
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
  { type: 'json', status: 429, headers: { 'retry-after': '0' }, body: errorBody('Rate limit reached for gpt-4o-mini on requests per min (RPM).', 'requests', 'rate_limit_exceeded') },
  { type: 'json', status: 500, body: errorBody('The server had an error while processing your request. Sorry about that!', 'server_error') },
];

function agentWith(ledger: InMemoryUsageLedger) {
  return new Agent({
    model: openai({ model: 'gpt-4o-mini', apiKey: KEY, baseURL: server.baseURL }),
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
  expect(ordered[2]).toMatchObject({ source: 'reported', inputTokens: 210, outputTokens: 19, reported: { inputTokens: 210, outputTokens: 19 } });
  expect(ordered[3]).toMatchObject({ source: 'reported', inputTokens: 260, outputTokens: 12, reported: { inputTokens: 260, outputTokens: 12 } });
  expect(ordered.map((r) => r.provider)).toEqual(Array(4).fill('openai-compatible'));
}

describe('Agent with OpenAIProvider against the stand-in', () => {
  it('retries 429 and 500, runs the tool, answers, and meters every attempt (generate)', async () => {
    server.reply(
      ...failures,
      { type: 'json', body: completion({ toolCalls: [{ id: 'call_t7', name: 'ticket_lookup', arguments: '{"id":"T-7"}' }], usage: usage(210, 19) }) },
      { type: 'json', body: completion({ text: 'T-7 is open: the login page is slow.', usage: usage(260, 12) }) },
    );
    const before = server.requests.length;
    const ledger = new InMemoryUsageLedger();
    const result = await agentWith(ledger).run('What is the status of T-7?');

    expect(result.stopReason).toBe('final');
    expect(result.text).toBe('T-7 is open: the login page is slow.');
    expect(server.requests.length - before).toBe(4);
    const last = server.requests.at(-1)!.body;
    expect(last.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_t7', content: expect.stringContaining('"status":"open"') });
    expect(last.tools[0].function).toMatchObject({ name: 'ticket_lookup', parameters: { type: 'object', properties: { id: { type: 'string' } } } });
    expectLedger(await ledger.query({ runId: result.runId }));
  });

  it('does the same when the agent streams', async () => {
    server.reply(
      ...failures,
      {
        type: 'sse',
        events: [
          chunk({ tool_calls: [toolCallDelta(0, { id: 'call_t7', name: 'ticket_lookup', arguments: '{"id":' })] }),
          chunk({ tool_calls: [toolCallDelta(0, { arguments: '"T-7"}' })] }),
          chunk({}, 'tool_calls'),
          usageChunk(210, 19),
        ],
      },
      { type: 'sse', events: [chunk({ content: 'T-7 is open: ' }), chunk({ content: 'the login page is slow.' }), chunk({}, 'stop'), usageChunk(260, 12)] },
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

  it('keeps a streamed answer and its usage when the connection drops before [DONE], and does not retry it', async () => {
    const sent = [chunk({ content: 'T-7 is open.' }), chunk({}, 'stop'), usageChunk(180, 9)];
    server.reply({ type: 'sse', dropAfter: sent.length, events: sent });
    const before = server.requests.length;
    const ledger = new InMemoryUsageLedger();
    const stream = agentWith(ledger).stream('What is the status of T-7?');
    let next = await stream.next();
    while (!next.done) next = await stream.next();
    expect(next.value).toMatchObject({ stopReason: 'final', text: 'T-7 is open.' });
    expect(server.requests.length - before).toBe(1);
    const records = await ledger.query({ runId: next.value.runId });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'ok', source: 'reported', inputTokens: 180, outputTokens: 9 });
    expect(records[0]!.costUsd).toBeGreaterThan(0);
  });

  it('hands malformed tool arguments back to the model as a tool error it corrects, without failing the run', async () => {
    server.reply(
      { type: 'json', body: completion({ toolCalls: [{ id: 'call_bad', name: 'ticket_lookup', arguments: '{"id": "T-7"' }] }) },
      { type: 'json', body: completion({ toolCalls: [{ id: 'call_good', name: 'ticket_lookup', arguments: '{"id":"T-7"}' }] }) },
      { type: 'json', body: completion({ text: 'T-7 is open.' }) },
    );
    const result = await agentWith(new InMemoryUsageLedger()).run('Status of T-7?');
    expect(result.stopReason).toBe('final');
    expect(result.text).toBe('T-7 is open.');
    const [corrected, final] = server.requests.slice(-2).map((r) => r.body.messages);
    expect(corrected.at(-2).tool_calls[0]).toMatchObject({ id: 'call_bad', function: { arguments: '{}' } });
    expect(corrected.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_bad', content: expect.stringMatching(/not valid JSON/) });
    expect(final.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_good', content: expect.stringContaining('"status":"open"') });
  });
});
