import type { GenerateRequest } from '@claw/core';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { toAnthropicConversation, toAnthropicTools } from './to-anthropic-messages';

/** Output limit sent when the request names none: the Messages API requires `max_tokens` on every call. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

/** Builds the Messages API body for one request (the caller adds `stream`). */
export function toMessageCreateParams(
  request: GenerateRequest,
  settings: { model: string; defaultMaxOutputTokens: number },
): MessageCreateParamsNonStreaming {
  const { system, messages } = toAnthropicConversation(request.messages);
  return {
    model: settings.model,
    max_tokens: request.maxOutputTokens ?? settings.defaultMaxOutputTokens,
    messages,
    ...(system !== undefined ? { system } : {}),
    ...(request.tools.length > 0 ? { tools: toAnthropicTools(request.tools) } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  };
}
