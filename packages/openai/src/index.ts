/**
 * @claw/openai — a Claw model provider for OpenAI and OpenAI-compatible servers (Ollama, vLLM, llama.cpp, LM Studio).
 * @packageDocumentation
 */
export { OpenAIProvider, openai, type OpenAIProviderOptions } from './openai-provider';
export type { MaxTokensField } from './to-openai-request';
