import type { GenerateRequest, ModelStreamEvent } from '@claw/core';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openai } from '../src';
import { startStandIn, type StandIn } from './stand-in-server';
import { chunk, completion, toolCallDelta } from './wire';

// Each block runs the exact option combination the README recipe for that server gives, against a stand-in
// answering the way that server does (no key, no usage chunk, `stop` with tool calls, usage inside the last chunk).

let keyless: StandIn;
let keyed: StandIn;
beforeAll(async () => {
  keyless = await startStandIn();
  keyed = await startStandIn({ apiKey: 'vllm-secret' });
});
afterAll(async () => {
  await keyless.close();
  await keyed.close();
});

const weatherTool = { name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const request: GenerateRequest = { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Weather in Oslo?' }], tools: [weatherTool], maxOutputTokens: 64 };

async function collect(events: AsyncIterable<ModelStreamEvent>) {
  const seen: ModelStreamEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}
const finishOf = (events: ModelStreamEvent[]) => (events.at(-1) as Extract<ModelStreamEvent, { type: 'finish' }>).response;

describe('recipe: OpenAI (api.openai.com)', () => {
  it('sends max_completion_tokens and the bearer key', async () => {
    keyless.reply({ type: 'json', body: completion({ text: 'Cold.' }) });
    const client = new OpenAI({
      apiKey: 'sk-real-looking',
      baseURL: 'https://api.openai.com/v1',
      fetch: (url, init) => fetch(String(url).replace('https://api.openai.com/v1', keyless.baseURL), init),
    });
    const model = openai({ model: 'gpt-4o-mini', client });
    expect((await model.generate(request)).text).toBe('Cold.');
    const sent = keyless.requests.at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer sk-real-looking');
    expect(sent.body.max_completion_tokens).toBe(64);
    expect(sent.body).not.toHaveProperty('max_tokens');
  });
});

describe('recipe: Ollama', () => {
  it('needs no key, sends max_tokens, and reads a whole tool call that ends with finish_reason "stop"', async () => {
    keyless.reply({
      type: 'sse',
      events: [
        chunk({ role: 'assistant', content: '', tool_calls: [toolCallDelta(0, { id: 'call_k2x9', name: 'get_weather', arguments: '{"city":"Oslo"}' })] }),
        chunk({ role: 'assistant', content: '' }, 'stop'),
        { id: 'chatcmpl-459', object: 'chat.completion.chunk', created: 1, model: 'llama3.2', system_fingerprint: 'fp_ollama', choices: [], usage: { prompt_tokens: 150, completion_tokens: 18, total_tokens: 168 } },
      ],
    });
    const ollama = openai({ model: 'llama3.2', baseURL: keyless.baseURL });
    const events = await collect(ollama.stream(request));
    const sent = keyless.requests.at(-1)!;
    expect(sent.headers).not.toHaveProperty('authorization');
    expect(sent.body).toMatchObject({ model: 'llama3.2', max_tokens: 64, stream: true, stream_options: { include_usage: true } });
    expect(sent.body).not.toHaveProperty('max_completion_tokens');
    expect(finishOf(events)).toMatchObject({
      toolCalls: [{ id: 'call_k2x9', name: 'get_weather', input: { city: 'Oslo' } }],
      finishReason: 'tool_calls',
      usage: { inputTokens: 150, outputTokens: 18 },
    });
  });
});

describe('recipe: vLLM', () => {
  it('sends the --api-key as a bearer token and reads split arguments and the trailing usage chunk', async () => {
    const fragment = (delta: Record<string, unknown>, finish: string | null = null) => ({ ...chunk(delta, finish), model: 'Qwen/Qwen2.5-7B-Instruct', usage: null });
    keyed.reply({
      type: 'sse',
      events: [
        fragment({ role: 'assistant', content: '' }),
        fragment({ tool_calls: [toolCallDelta(0, { id: 'chatcmpl-tool-5f1c', name: 'get_weather' })] }),
        fragment({ tool_calls: [toolCallDelta(0, { arguments: '{"city": ' })] }),
        fragment({ tool_calls: [toolCallDelta(0, { arguments: '"Oslo"}' })] }),
        fragment({ content: '' }, 'tool_calls'),
        { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'Qwen/Qwen2.5-7B-Instruct', choices: [], usage: { prompt_tokens: 201, completion_tokens: 21, total_tokens: 222, prompt_tokens_details: null } },
      ],
    });
    const vllm = openai({ model: 'Qwen/Qwen2.5-7B-Instruct', baseURL: keyed.baseURL, apiKey: 'vllm-secret' });
    const events = await collect(vllm.stream(request));
    expect(keyed.requests.at(-1)!.headers.authorization).toBe('Bearer vllm-secret');
    expect(events.filter((e) => e.type === 'tool-call')).toHaveLength(1);
    expect(finishOf(events)).toMatchObject({
      toolCalls: [{ id: 'chatcmpl-tool-5f1c', input: { city: 'Oslo' } }],
      finishReason: 'tool_calls',
      usage: { inputTokens: 201, outputTokens: 21 },
      model: 'Qwen/Qwen2.5-7B-Instruct',
    });
  });
});

describe('recipe: llama.cpp server', () => {
  it('reads usage sent inside the finishing chunk and names a tool call that came without an id', async () => {
    keyless.reply({
      type: 'sse',
      events: [
        chunk({ role: 'assistant', content: null, tool_calls: [toolCallDelta(0, { id: '', name: 'get_weather', arguments: '{"city":"Oslo"}' })] }),
        chunk({}, 'tool_calls', { usage: { completion_tokens: 12, prompt_tokens: 97, total_tokens: 109 }, timings: { prompt_n: 97, predicted_n: 12 } }),
      ],
    });
    const llamaCpp = openai({ model: 'qwen2.5-7b-instruct', baseURL: keyless.baseURL });
    const response = finishOf(await collect(llamaCpp.stream(request)));
    expect(response.toolCalls).toEqual([{ id: 'call_1', name: 'get_weather', input: { city: 'Oslo' } }]);
    expect(response.usage).toEqual({ inputTokens: 97, outputTokens: 12 });
  });
});

describe('recipe: LM Studio', () => {
  it('finishes without usage when the server sends no usage chunk, so the meter estimates', async () => {
    keyless.reply({ type: 'sse', events: [chunk({ role: 'assistant', content: 'Oslo: 4 °C' }), chunk({}, 'stop')] });
    const lmStudio = openai({ model: 'qwen2.5-7b-instruct', baseURL: keyless.baseURL });
    const events = await collect(lmStudio.stream(request));
    expect(finishOf(events)).toMatchObject({ text: 'Oslo: 4 °C', finishReason: 'stop' });
    expect(finishOf(events).usage).toBeUndefined();
  });

  it('reads whole tool calls from servers that leave out the fragment index', async () => {
    keyless.reply({
      type: 'sse',
      events: [
        chunk({ tool_calls: [{ id: '365174485', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] }),
        chunk({ tool_calls: [{ id: '365174486', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Bergen"}' } }] }),
        chunk({}, 'tool_calls'),
      ],
    });
    const response = finishOf(await collect(openai({ model: 'm', baseURL: keyless.baseURL }).stream(request)));
    expect(response.toolCalls.map((c) => [c.id, c.input])).toEqual([
      ['365174485', { city: 'Oslo' }],
      ['365174486', { city: 'Bergen' }],
    ]);
  });
});

describe('servers that reject stream_options', () => {
  it('leaves stream_options out with streamUsage: false', async () => {
    keyless.reply({ type: 'sse', events: [chunk({ content: 'ok' }, 'stop')] });
    await collect(openai({ model: 'm', baseURL: keyless.baseURL, streamUsage: false }).stream(request));
    const sent = keyless.requests.at(-1)!.body;
    expect(sent.stream).toBe(true);
    expect(sent).not.toHaveProperty('stream_options');
  });
});
