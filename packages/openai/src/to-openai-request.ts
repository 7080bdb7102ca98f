import type { GenerateRequest } from '@claw/core';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { toOpenAIMessages, toOpenAITools } from './to-openai-messages';

/**
 * Which body field carries the output limit. OpenAI deprecated `max_tokens` and its reasoning models reject it,
 * so `max_completion_tokens` is right for api.openai.com; Ollama and LM Studio only read `max_tokens` and
 * silently ignore the newer name (an unlimited answer), while vLLM and llama.cpp accept both.
 */
export type MaxTokensField = 'max_completion_tokens' | 'max_tokens';

/** Builds the Chat Completions body for one request (the caller adds the streaming fields). */
export function toChatCompletionParams(
  request: GenerateRequest,
  settings: { model: string; maxTokensField: MaxTokensField },
): ChatCompletionCreateParamsNonStreaming {
  return {
    model: settings.model,
    messages: toOpenAIMessages(request.messages),
    // OpenAI rejects an empty `tools` array, so a request without tools leaves the field out.
    ...(request.tools.length > 0 ? { tools: toOpenAITools(request.tools) } : {}),
    ...(request.maxOutputTokens !== undefined ? { [settings.maxTokensField]: request.maxOutputTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  };
}
