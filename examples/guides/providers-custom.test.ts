/** docs/providers.md: the provider of providers-custom.ts against a local stand-in of the gateway. */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, defineTool, Meter, type UsageRecord } from '@claw/core';
import { GatewayModel } from './providers-custom';

const clock = defineTool({ name: 'clock_now', description: 'The time', input: z.object({ zone: z.string() }), scopes: [], unscoped: true, effect: 'read', execute: () => '12:00' });

describe('providers-custom: GatewayModel against a local gateway', () => {
  let server: Server;
  let baseURL: string;
  const answers: ((res: ServerResponse) => void)[] = [];
  const bodies: Record<string, unknown>[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        bodies.push(JSON.parse(body) as Record<string, unknown>);
        const answer = answers.shift();
        if (answer) answer(res);
        else res.writeHead(500).end('script exhausted');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const json = (body: unknown) => (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  it('retries a 429 after Retry-After, runs the tool, and meters every attempt', async () => {
    answers.push(
      (res) => res.writeHead(429, { 'retry-after-ms': '5' }).end('slow down'),
      json({ text: '', tool_calls: [{ id: 'c1', name: 'clock_now', arguments: '{"zone":"UTC"}' }], stop: 'tools', usage: { input_tokens: 120, output_tokens: 9 } }),
      json({ text: 'It is noon UTC.', tool_calls: [], stop: 'end', usage: { input_tokens: 150, output_tokens: 6 } }),
    );
    const records: UsageRecord[] = [];
    const agent = new Agent({
      model: new GatewayModel('acme-large', baseURL),
      tools: [clock],
      principal: { id: 'priya' },
      meter: new Meter(),
      retry: { initialDelayMs: 1, jitter: false },
    });
    agent.on('usage', (record) => records.push(record));
    const result = await agent.run('What time is it in UTC?');

    expect(result.stopReason).toBe('final');
    expect(result.text).toBe('It is noon UTC.');
    expect(records.map((r) => [r.status, r.source, r.inputTokens, r.outputTokens])).toEqual([
      ['error', 'estimated', records[0]!.inputTokens, 0],
      ['ok', 'reported', 120, 9],
      ['ok', 'reported', 150, 6],
    ]);
    expect(bodies.at(-1)).toMatchObject({ model: 'acme-large', max_output_tokens: expect.any(Number) });
  });

  it('hands malformed arguments back to the model as a correctable input error', async () => {
    answers.push(
      json({ text: '', tool_calls: [{ id: 'c1', name: 'clock_now', arguments: '{"zone": UTC}' }], stop: 'tools' }),
      json({ text: 'Sorry.', tool_calls: [], stop: 'end' }),
    );
    const result = await new Agent({ model: new GatewayModel('acme-large', baseURL), tools: [clock], principal: { id: 'priya' } }).run('Time?');
    expect(result.steps[0]!.toolResults[0]).toMatchObject({ status: 'error', errorCode: 'TOOL_INPUT' });
  });

  it('classifies a refused key as auth, not retryable', async () => {
    answers.push((res) => res.writeHead(401).end('bad key'));
    const result = await new Agent({ model: new GatewayModel('acme-large', baseURL), principal: { id: 'priya' } }).run('Hi');
    expect(result.stopReason).toBe('error');
    expect(result.error).toMatchObject({ code: 'MODEL_ERROR', kind: 'auth', status: 401, retryable: false });
  });
});
