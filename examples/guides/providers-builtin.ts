/** docs/providers.md: the built-in providers. Constructing one makes no network call. */
import { anthropic } from '@claw/anthropic';
import { openai } from '@claw/openai';

/** OpenAI; without `apiKey` the key is read from OPENAI_API_KEY. */
export const hostedOpenAI = () => openai({ model: 'gpt-4o-mini', timeoutMs: 60_000 });

/** A local Ollama server: no key is sent, and the output limit goes in `max_tokens`. */
export const localOllama = () => openai({ model: 'llama3.2', baseURL: 'http://127.0.0.1:11434/v1' });

/** Anthropic; without `apiKey` the key is read from ANTHROPIC_API_KEY. */
export const hostedClaude = () => anthropic({ model: 'claude-sonnet-4-6', defaultMaxOutputTokens: 2048 });
