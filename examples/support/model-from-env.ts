import { anthropic } from '@claw/anthropic';
import { InvalidArgumentError, ModelError, type ModelProvider } from '@claw/core';
import { openai } from '@claw/openai';

const FORMS = [
  'openai:<model>                       e.g. openai:gpt-4o-mini (needs OPENAI_API_KEY)',
  'anthropic:<model>                    e.g. anthropic:claude-sonnet-4-6 (needs ANTHROPIC_API_KEY)',
  'openai-compatible:<baseURL>#<model>  e.g. openai-compatible:http://127.0.0.1:11434/v1#llama3.2 (key optional: CLAW_MODEL_API_KEY)',
];

/**
 * Picks the model an example runs on from the environment, so every example works offline by default and
 * against a real model when asked:
 *
 * - `CLAW_MODEL` unset, empty or `scripted` → `fallback()` (a ScriptedModel).
 * - `CLAW_MODEL=openai:gpt-4o-mini` → OpenAI, key from `OPENAI_API_KEY`.
 * - `CLAW_MODEL=anthropic:claude-sonnet-4-6` → Anthropic, key from `ANTHROPIC_API_KEY`.
 * - `CLAW_MODEL=openai-compatible:http://127.0.0.1:11434/v1#llama3.2` → Ollama, vLLM, llama.cpp or LM Studio; no key
 *   unless `CLAW_MODEL_API_KEY` is set (a vLLM or llama.cpp server started with `--api-key`).
 *
 * The model name is everything after the first `:` (or `#`), so names containing colons (`ft:gpt-4o-mini:acme::x`,
 * `qwen2.5:7b`) work. `CLAW_MODEL_TIMEOUT_MS` sets the per-attempt timeout.
 *
 * @throws InvalidArgumentError when `CLAW_MODEL` is set but malformed (the message lists the accepted forms).
 * @throws ModelError kind `auth` when the chosen provider's API key variable is not set.
 */
export function modelFromEnv(fallback: () => ModelProvider, env: NodeJS.ProcessEnv = process.env): ModelProvider {
  const spec = env['CLAW_MODEL']?.trim();
  if (!spec || spec === 'scripted') return fallback();
  const timeoutMs = readTimeout(env['CLAW_MODEL_TIMEOUT_MS']);
  const colon = spec.indexOf(':');
  const family = colon === -1 ? '' : spec.slice(0, colon);
  const rest = colon === -1 ? '' : spec.slice(colon + 1).trim();

  switch (family) {
    case 'openai':
      if (!rest) throw malformed(spec, 'no model name after "openai:"');
      return openai({ model: rest, apiKey: requiredKey(env, 'OPENAI_API_KEY', spec), ...timeoutMs });
    case 'anthropic':
      if (!rest) throw malformed(spec, 'no model name after "anthropic:"');
      return anthropic({ model: rest, apiKey: requiredKey(env, 'ANTHROPIC_API_KEY', spec), ...timeoutMs });
    case 'openai-compatible': {
      const hash = rest.indexOf('#');
      const baseURL = hash === -1 ? '' : rest.slice(0, hash).trim();
      const model = hash === -1 ? '' : rest.slice(hash + 1).trim();
      if (!baseURL || !model) throw malformed(spec, 'expected "<baseURL>#<model>" after "openai-compatible:"');
      if (!/^https?:\/\/[^/\s]+/.test(baseURL)) throw malformed(spec, `"${baseURL}" is not an http(s) URL`);
      return openai({ model, baseURL, ...keyFrom(env, 'CLAW_MODEL_API_KEY'), ...timeoutMs });
    }
    default:
      throw malformed(spec, colon === -1 ? 'it names no provider' : `unknown provider "${family}"`);
  }
}

function requiredKey(env: NodeJS.ProcessEnv, name: string, spec: string): string {
  const value = env[name]?.trim();
  if (value) return value;
  const provider = spec.slice(0, spec.indexOf(':'));
  throw new ModelError({
    provider,
    kind: 'auth',
    retryable: false,
    message: `CLAW_MODEL="${spec}" needs ${name}, which is not set. Export it, or unset CLAW_MODEL to run offline.`,
  });
}

function keyFrom(env: NodeJS.ProcessEnv, name: string): { apiKey?: string } {
  const value = env[name]?.trim();
  return value ? { apiKey: value } : {};
}

function readTimeout(value: string | undefined): { timeoutMs?: number } {
  if (value === undefined || value.trim() === '') return {};
  const timeoutMs = Number(value);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidArgumentError(`CLAW_MODEL_TIMEOUT_MS must be a positive whole number of milliseconds; got "${value}".`);
  }
  return { timeoutMs };
}

function malformed(spec: string, why: string): InvalidArgumentError {
  return new InvalidArgumentError(`CLAW_MODEL="${spec}" is not understood: ${why}. Use one of:\n  ${FORMS.join('\n  ')}\nor leave it unset to run offline.`);
}
