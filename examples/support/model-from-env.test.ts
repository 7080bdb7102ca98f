import { AnthropicProvider } from '@claw/anthropic';
import { InvalidArgumentError, ModelError, type ModelProvider } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { OpenAIProvider } from '@claw/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../packages/openai/test/stand-in-server';
import { completion } from '../../packages/openai/test/wire';
import { modelFromEnv } from './model-from-env';

function pick(env: Record<string, string>) {
  let fallbackCalls = 0;
  const model = modelFromEnv(() => {
    fallbackCalls++;
    return new ScriptedModel([{ text: 'offline' }]);
  }, env);
  return { model, fallbackCalls };
}

function errorOf(env: Record<string, string>): unknown {
  try {
    pick(env);
  } catch (error) {
    return error;
  }
  throw new Error(`expected CLAW_MODEL="${env['CLAW_MODEL']}" to be refused`);
}

describe('modelFromEnv', () => {
  it('uses the fallback when CLAW_MODEL is unset, empty or "scripted", even with API keys present', () => {
    const envs: Record<string, string>[] = [{}, { CLAW_MODEL: '' }, { CLAW_MODEL: 'scripted' }, { OPENAI_API_KEY: 'sk-x' }];
    for (const env of envs) {
      const { model, fallbackCalls } = pick(env);
      expect(model).toBeInstanceOf(ScriptedModel);
      expect(fallbackCalls).toBe(1);
    }
  });

  it('builds OpenAI from openai:<model> with OPENAI_API_KEY', () => {
    const { model, fallbackCalls } = pick({ CLAW_MODEL: 'openai:gpt-4o-mini', OPENAI_API_KEY: 'sk-x' });
    expect(model).toBeInstanceOf(OpenAIProvider);
    expect([model.provider, model.model, (model as OpenAIProvider).baseURL]).toEqual(['openai', 'gpt-4o-mini', 'https://api.openai.com/v1']);
    expect(fallbackCalls).toBe(0);
    expect(pick({ CLAW_MODEL: 'openai:ft:gpt-4o-mini:acme::abc123', OPENAI_API_KEY: 'sk-x' }).model.model).toBe('ft:gpt-4o-mini:acme::abc123');
  });

  it('builds Anthropic from anthropic:<model> with ANTHROPIC_API_KEY', () => {
    const { model } = pick({ CLAW_MODEL: 'anthropic:claude-sonnet-4-5', ANTHROPIC_API_KEY: 'sk-ant-x' });
    expect(model).toBeInstanceOf(AnthropicProvider);
    expect([model.provider, model.model]).toEqual(['anthropic', 'claude-sonnet-4-5']);
  });

  it('builds an OpenAI-compatible provider from openai-compatible:<baseURL>#<model> without any key', () => {
    const { model } = pick({ CLAW_MODEL: 'openai-compatible:http://127.0.0.1:11434/v1#llama3.2' });
    expect(model).toBeInstanceOf(OpenAIProvider);
    expect([model.provider, model.model, (model as OpenAIProvider).baseURL]).toEqual(['openai-compatible', 'llama3.2', 'http://127.0.0.1:11434/v1']);
    expect(pick({ CLAW_MODEL: 'openai-compatible:http://gpu-box:8000/v1#qwen2.5:7b' }).model.model).toBe('qwen2.5:7b');
  });

  it('refuses a malformed CLAW_MODEL with the accepted forms in the message', () => {
    for (const spec of ['gpt-4o-mini', 'mistral:large', 'openai:', 'anthropic: ', 'openai-compatible:http://127.0.0.1:11434/v1', 'openai-compatible:127.0.0.1:11434/v1#llama3.2', 'openai-compatible:#llama3.2']) {
      const error = errorOf({ CLAW_MODEL: spec, OPENAI_API_KEY: 'sk-x', ANTHROPIC_API_KEY: 'sk-ant-x' });
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toContain(`CLAW_MODEL="${spec.trim()}" is not understood`);
      expect((error as Error).message).toContain('openai-compatible:<baseURL>#<model>');
    }
    expect(errorOf({ CLAW_MODEL: 'openai:gpt-4o-mini', OPENAI_API_KEY: 'sk-x', CLAW_MODEL_TIMEOUT_MS: 'soon' })).toBeInstanceOf(InvalidArgumentError);
  });

  it('says which key variable is missing', () => {
    const openaiError = errorOf({ CLAW_MODEL: 'openai:gpt-4o-mini' });
    expect(openaiError).toBeInstanceOf(ModelError);
    expect(openaiError).toMatchObject({ kind: 'auth', retryable: false, message: expect.stringContaining('needs OPENAI_API_KEY') });
    expect(errorOf({ CLAW_MODEL: 'anthropic:claude-sonnet-4-5' })).toMatchObject({ kind: 'auth', message: expect.stringContaining('needs ANTHROPIC_API_KEY') });
  });

  describe('against a local compatible server', () => {
    let server: StandIn;
    beforeAll(async () => {
      server = await startStandIn();
    });
    afterAll(() => server.close());

    it('answers through the server, sending CLAW_MODEL_API_KEY only when set', async () => {
      const ask = (model: ModelProvider) => model.generate({ messages: [{ role: 'user', content: 'hi' }], tools: [] });
      server.reply({ type: 'json', body: completion({ text: 'Hello from the local model.' }) }, { type: 'json', body: completion({ text: 'Keyed.' }) });
      const keyless = pick({ CLAW_MODEL: `openai-compatible:${server.baseURL}#llama3.2`, OPENAI_API_KEY: 'sk-must-not-leak' }).model;
      expect((await ask(keyless)).text).toBe('Hello from the local model.');
      expect(server.requests.at(-1)!.headers).not.toHaveProperty('authorization');
      expect(server.requests.at(-1)!.body.model).toBe('llama3.2');
      const keyed = pick({ CLAW_MODEL: `openai-compatible:${server.baseURL}#llama3.2`, CLAW_MODEL_API_KEY: 'vllm-secret' }).model;
      expect((await ask(keyed)).text).toBe('Keyed.');
      expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer vllm-secret');
    });
  });
});
