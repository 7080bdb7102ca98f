import { ModelError, type GenerateRequest } from '@claw/core';
import { createServer } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openai } from '../src';
import { startStandIn, type StandIn } from './stand-in-server';
import { completion, errorBody } from './wire';

const KEY = 'sk-errors';
let server: StandIn;
beforeAll(async () => {
  server = await startStandIn({ apiKey: KEY });
});
afterAll(() => server.close());

const request: GenerateRequest = { messages: [{ role: 'user', content: 'hi' }], tools: [] };

async function failureOf(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

function provider(options: { apiKey?: string; timeoutMs?: number; baseURL?: string } = {}) {
  return openai({ model: 'gpt-4o-mini', apiKey: options.apiKey ?? KEY, baseURL: options.baseURL ?? server.baseURL, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
}

describe('OpenAIProvider errors', () => {
  it('classifies 429 as a retryable rate limit carrying Retry-After, the status and request id, after one attempt', async () => {
    const before = server.requests.length;
    server.reply({ type: 'json', status: 429, headers: { 'retry-after': '2' }, body: errorBody('Rate limit reached for gpt-4o-mini on tokens per min (TPM). Please try again in 2s.', 'tokens', 'rate_limit_exceeded') });
    const error = await failureOf(provider().generate(request));
    expect(error).toMatchObject({ code: 'MODEL_ERROR', provider: 'openai-compatible', kind: 'rate_limit', status: 429, retryable: true, retryAfterMs: 2000 });
    expect(error.requestId).toMatch(/^req_\d+$/);
    expect(server.requests.length - before).toBe(1);
  });

  it('reads Retry-After as an HTTP date and prefers retry-after-ms', async () => {
    const inFiveSeconds = new Date(Date.now() + 5_000).toUTCString();
    server.reply(
      { type: 'json', status: 429, headers: { 'retry-after': inFiveSeconds }, body: errorBody('slow down', 'requests', 'rate_limit_exceeded') },
      { type: 'json', status: 429, headers: { 'retry-after': '9', 'retry-after-ms': '250' }, body: errorBody('slow down', 'requests', 'rate_limit_exceeded') },
    );
    const byDate = await failureOf(provider().generate(request));
    expect(byDate.retryAfterMs).toBeGreaterThan(2_000);
    expect(byDate.retryAfterMs).toBeLessThanOrEqual(5_000);
    expect((await failureOf(provider().generate(request))).retryAfterMs).toBe(250);
  });

  it('does not retry an exhausted quota', async () => {
    server.reply({ type: 'json', status: 429, body: errorBody('You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota') });
    const error = await failureOf(provider().generate(request));
    expect(error).toMatchObject({ kind: 'rate_limit', retryable: false, message: expect.stringMatching(/quota/) });
  });

  it('classifies 500 as a retryable server error', async () => {
    server.reply({ type: 'json', status: 500, body: errorBody('The server had an error while processing your request. Sorry about that!', 'server_error') });
    expect(await failureOf(provider().generate(request))).toMatchObject({ kind: 'server', status: 500, retryable: true });
  });

  it('honours x-should-retry: false on a server error', async () => {
    server.reply({ type: 'json', status: 500, headers: { 'x-should-retry': 'false' }, body: errorBody('broken', 'server_error') });
    expect(await failureOf(provider().generate(request))).toMatchObject({ kind: 'server', retryable: false });
  });

  it('classifies an invalid API key as auth, never retryable, and says which variable to check', async () => {
    const error = await failureOf(provider({ apiKey: 'sk-wrong' }).generate(request));
    expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(error.message).toMatch(/Incorrect API key provided: sk-wrong/);
    expect(error.message).toMatch(/--api-key/);
  });

  it('says "check OPENAI_API_KEY" when api.openai.com rejects the key', async () => {
    // A client whose fetch reroutes api.openai.com to the stand-in, so the provider really is 'openai'.
    const client = new OpenAI({
      apiKey: 'sk-wrong',
      baseURL: 'https://api.openai.com/v1',
      fetch: (url, init) => fetch(String(url).replace('https://api.openai.com/v1', server.baseURL), init),
    });
    const model = openai({ model: 'gpt-4o-mini', client });
    expect(model.provider).toBe('openai');
    const error = await failureOf(model.generate(request));
    expect(error).toMatchObject({ provider: 'openai', kind: 'auth', status: 401, retryable: false, message: expect.stringContaining('Check OPENAI_API_KEY') });
    expect(error.requestId).toMatch(/^req_/);
  });

  it('classifies 404 as not_found and 400 context overflow as bad_request', async () => {
    server.reply(
      { type: 'json', status: 404, body: errorBody('The model `gpt-9` does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found') },
      { type: 'json', status: 400, body: errorBody("This model's maximum context length is 128000 tokens.", 'invalid_request_error', 'context_length_exceeded') },
    );
    expect(await failureOf(provider().generate(request))).toMatchObject({ kind: 'not_found', status: 404, retryable: false });
    const overflow = await failureOf(provider().generate(request));
    expect(overflow).toMatchObject({ kind: 'bad_request', status: 400, retryable: false, message: expect.stringMatching(/context window/) });
  });

  it('classifies a response slower than timeoutMs as a retryable timeout', async () => {
    server.reply({ type: 'json', delayMs: 3_000, body: completion({ text: 'too late' }) });
    const error = await failureOf(provider({ timeoutMs: 150 }).generate(request));
    expect(error).toMatchObject({ kind: 'timeout', retryable: true, message: expect.stringMatching(/within 150 ms/) });
  });

  it('classifies an aborted call as aborted, not retryable', async () => {
    server.reply({ type: 'json', delayMs: 3_000, body: completion({ text: 'too late' }) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await failureOf(provider().generate({ ...request, signal: controller.signal }))).toMatchObject({ kind: 'aborted', retryable: false });
    expect(await failureOf(provider().generate({ ...request, signal: AbortSignal.abort() }))).toMatchObject({ kind: 'aborted' });
  });

  it('classifies a refused connection and a dropped one as retryable connection errors', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const refused = await failureOf(provider({ baseURL: `http://127.0.0.1:${closedPort}/v1` }).generate(request));
    expect(refused).toMatchObject({ kind: 'connection', retryable: true });
    server.reply({ type: 'drop' });
    expect(await failureOf(provider().generate(request))).toMatchObject({ kind: 'connection', retryable: true });
  });

  it('classifies a 200 that is not a completion as invalid_response', async () => {
    server.reply({ type: 'json', body: { object: 'list', data: [] } }, { type: 'text', body: '<html>proxy login</html>', contentType: 'text/html' });
    expect(await failureOf(provider().generate(request))).toMatchObject({ kind: 'invalid_response', retryable: false });
    expect(await failureOf(provider().generate(request))).toMatchObject({ kind: 'invalid_response', retryable: false });
  });
});
