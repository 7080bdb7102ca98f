import { ModelError, type FinishReason, type GenerateResponse, type ProviderUsage, type ToolCall } from '@claw/core';
import type { Message } from '@anthropic-ai/sdk/resources/messages';

/** Maps an Anthropic `stop_reason` to ours. */
export function toFinishReason(stopReason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return hasToolCalls ? 'tool_calls' : 'stop';
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'refusal':
      return 'content_filter';
    default:
      // `pause_turn` (a server tool paused the turn) and reasons added after this was written.
      return hasToolCalls ? 'tool_calls' : 'other';
  }
}

/** The usage counters Anthropic sends, in a message and (cumulatively) in the stream's `message_delta`. */
export interface AnthropicUsageCounters {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/**
 * Normalises Anthropic usage to {@link ProviderUsage}. Anthropic's `input_tokens` counts only the uncached part
 * of the prompt; cache reads and cache writes are reported beside it. ProviderUsage's `inputTokens` is the whole
 * prompt, so it is the sum of all three, with the cached and cache-written parts also given on their own.
 * Returns `undefined` when no counts arrived.
 */
export function toProviderUsage(usage: AnthropicUsageCounters | null | undefined): ProviderUsage | undefined {
  if (!usage || typeof usage.input_tokens !== 'number' || typeof usage.output_tokens !== 'number') return undefined;
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const result: ProviderUsage = { inputTokens: usage.input_tokens + cacheRead + cacheWrite, outputTokens: usage.output_tokens };
  if (typeof usage.cache_read_input_tokens === 'number') result.cachedInputTokens = cacheRead;
  if (typeof usage.cache_creation_input_tokens === 'number') result.cacheWriteTokens = cacheWrite;
  return result;
}

/**
 * Converts a Messages API response into a {@link GenerateResponse}: text blocks joined, `tool_use` blocks as tool
 * calls (their input is already parsed JSON), thinking blocks left out.
 * @throws ModelError kind `invalid_response` when the body is not a message.
 */
export function toGenerateResponse(message: Message, context: { requestId?: string | null | undefined }): GenerateResponse {
  if (!message || !Array.isArray(message.content)) {
    throw new ModelError({
      provider: 'anthropic',
      kind: 'invalid_response',
      retryable: false,
      ...(context.requestId ? { requestId: context.requestId } : {}),
      message: 'Anthropic answered with something that is not a message. Check that baseURL points at the Messages API.',
    });
  }
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'tool_use') toolCalls.push({ id: block.id, name: block.name, input: block.input });
  }
  const usage = toProviderUsage(message.usage);
  return {
    text,
    toolCalls,
    finishReason: toFinishReason(message.stop_reason, toolCalls.length > 0),
    ...(usage ? { usage } : {}),
    ...(message.model ? { model: message.model } : {}),
    ...(context.requestId ? { requestId: context.requestId } : {}),
  };
}
