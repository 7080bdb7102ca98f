import { ModelError, type GenerateRequest } from '@claw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropic } from '../src';
import { errorBody, startStandIn, type StandIn } from './stand-in-server';
import { message } from './wire';

const KEY = 'sk-ant-errors';
let server: StandIn;
beforeAll(async () => {
  server = await startStandIn({ apiKey: KEY });
});
afterAll(() => server.close());

const request: GenerateRequest = { messages: [{ role: 'user', content: 'hi' }], tools: [] };
const provider = (options: { apiKey?: string; timeoutMs?: number } = {}) =>
  anthropic({ model: 'claude-sonnet-4-6', apiKey: options.apiKey ?? KEY, baseURL: server.baseURL, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });

async function failureOf(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

describe('AnthropicProvider errors', () => {
  it('classifies 429 as a retryable rate limit with Retry-After, status and request id, after one attempt', async () => {
    const before = server.requests.length;
    server.reply({ type: 'json', status: 429, headers: { 'retry-after': '4' }, body: errorBody('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit') });
    const error = await failureOf(provider().generate(request));
    expect(error).toMatchObject({ code: 'MODEL_ERROR', provider: 'anthropic', kind: 'rate_limit', status: 429, retryable: true, retryAfterMs: 4000 });
    expect(error.requestId).toMatch(/^req_stand_in_\d+$/);
    expect(server.requests.length - before).toBe(1);
  });

  it('classifies 500 as a retryable server error', async () => {
    server.reply({ type: 'json', status: 500, body: errorBody('api_error', 'Internal server error') });
    expect(await failureOf(provider().generate(request))).toMatchObject({ kind: 'server', status: 500, retryable: true });
  });

  it('classifies an invalid API key as auth, never retryable, and says which variable to check', async () => {
    const error = await failureOf(provider({ apiKey: 'sk-ant-wrong' }).generate(request));
    expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(error.message).toMatch(/invalid x-api-key/);
    expect(error.message).toMatch(/Check ANTHROPIC_API_KEY/);
  });

  it('keeps auth non-retryable even when the server says x-should-retry: true', async () => {
    server.reply({ type: 'json', status: 403, headers: { 'x-should-retry': 'true' }, body: errorBody('permission_error', 'Your API key does not have permission to use the specified resource.') });
    expect(await failureOf(provider().generate(request))).toMatchObject({ kind: 'auth', status: 403, retryable: false });
  });

  it('classifies 404, 400 and 413 as non-retryable request errors', async () => {
    server.reply(
      { type: 'json', status: 404, body: errorBody('not_found_error', 'model: claude-nonexistent') },
      { type: 'json', status: 400, body: errorBody('invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum') },
      { type: 'json', status: 413, body: errorBody('request_too_large', 'Request exceeds the maximum allowed number of bytes.') },
    );
    expect(await failureOf(provider().generate(request))).toMatchObject({ kind: 'not_found', status: 404, retryable: false });
    expect(await failureOf(provider().generate(request))).toMatchObject({ kind: 'bad_request', status: 400, retryable: false, message: expect.stringMatching(/Shorten the history/) });
    expect(await failureOf(provider().generate(request))).toMatchObject({ kind: 'bad_request', status: 413, retryable: false });
  });

  it('classifies a response slower than timeoutMs as a retryable timeout', async () => {
    server.reply({ type: 'json', delayMs: 3_000, body: message({ content: [{ type: 'text', text: 'too late' }] }) });
    expect(await failureOf(provider({ timeoutMs: 150 }).generate(request))).toMatchObject({ kind: 'timeout', retryable: true, message: expect.stringMatching(/within 150 ms/) });
  });

  it('classifies an aborted call as aborted', async () => {
    server.reply({ type: 'json', delayMs: 3_000, body: message({ content: [{ type: 'text', text: 'too late' }] }) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await failureOf(provider().generate({ ...request, signal: controller.signal }))).toMatchObject({ kind: 'aborted', retryable: false });
  });

  it('classifies a dropped connection as a retryable connection error', async () => {
    server.reply({ type: 'drop' });
    expect(await failureOf(provider().generate(request))).toMatchObject({ kind: 'connection', retryable: true });
  });

  it('classifies a 200 that is not a message as invalid_response', async () => {
    server.reply({ type: 'text', body: '<html>captive portal</html>', contentType: 'text/html' });
    expect(await failureOf(provider().generate(request))).toMatchObject({ kind: 'invalid_response', retryable: false });
  });
});
