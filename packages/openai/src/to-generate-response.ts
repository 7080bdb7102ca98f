import { ModelError, type FinishReason, type GenerateResponse, type ProviderUsage } from '@claw/core';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { parseToolCalls } from './parse-tool-calls';

/**
 * Maps a Chat Completions `finish_reason` to ours. A turn that carries tool calls is `tool_calls` even when the
 * server says `stop`: Ollama and some llama.cpp builds do, and callers branch on the reason.
 */
export function toFinishReason(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'stop':
    case 'eos':
      return hasToolCalls ? 'tool_calls' : 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    default:
      return hasToolCalls ? 'tool_calls' : 'other';
  }
}

/**
 * Maps Chat Completions usage to {@link ProviderUsage}. `prompt_tokens` already includes cached tokens and
 * `completion_tokens` already includes reasoning tokens, which is what ProviderUsage expects. Returns `undefined`
 * when the server reported nothing (common for compatible servers), so the meter falls back to its estimate.
 */
export function toProviderUsage(usage: CompletionUsage | null | undefined): ProviderUsage | undefined {
  if (!usage || typeof usage.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') return undefined;
  const result: ProviderUsage = { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') result.cachedInputTokens = cached;
  const cacheWrite = usage.prompt_tokens_details?.cache_write_tokens;
  if (typeof cacheWrite === 'number') result.cacheWriteTokens = cacheWrite;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') result.reasoningTokens = reasoning;
  return result;
}

/**
 * Converts a non-streamed completion into a {@link GenerateResponse}.
 * @throws ModelError kind `invalid_response` when the completion has no choice to read.
 */
export function toGenerateResponse(
  completion: ChatCompletion,
  context: { provider: string; requestId?: string | null | undefined },
): GenerateResponse {
  const choice = completion.choices?.[0];
  if (!choice || !choice.message) {
    throw new ModelError({
      provider: context.provider,
      kind: 'invalid_response',
      retryable: false,
      ...(context.requestId ? { requestId: context.requestId } : {}),
      message: `The ${context.provider} server answered without any choice to read. Check that the base URL points at a Chat Completions endpoint.`,
    });
  }
  const toolCalls = parseToolCalls(choice.message.tool_calls);
  // A refusal arrives instead of content; surfacing it as the text lets the person see why nothing happened.
  const refusal = choice.message.refusal;
  const text = choice.message.content ?? refusal ?? '';
  const finishReason = !choice.message.content && refusal ? 'content_filter' : toFinishReason(choice.finish_reason, toolCalls.length > 0);
  const usage = toProviderUsage(completion.usage);
  return {
    text,
    toolCalls,
    finishReason,
    ...(usage ? { usage } : {}),
    ...(completion.model ? { model: completion.model } : {}),
    ...(context.requestId ? { requestId: context.requestId } : {}),
  };
}
