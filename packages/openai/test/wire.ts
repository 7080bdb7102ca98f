/** Builders for Chat Completions wire objects, shaped like what api.openai.com sends. */

export interface WireToolCall {
  id: string;
  name: string;
  arguments: string;
}

export function completion(options: {
  text?: string | null;
  toolCalls?: WireToolCall[];
  finishReason?: string;
  usage?: Record<string, unknown> | null;
  model?: string;
  refusal?: string | null;
}) {
  return {
    id: 'chatcmpl-stand-in',
    object: 'chat.completion',
    created: 1_760_000_000,
    model: options.model ?? 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: options.text === undefined ? null : options.text,
          refusal: options.refusal ?? null,
          ...(options.toolCalls
            ? { tool_calls: options.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) }
            : {}),
        },
        logprobs: null,
        finish_reason: options.finishReason ?? (options.toolCalls ? 'tool_calls' : 'stop'),
      },
    ],
    ...(options.usage === null ? {} : { usage: options.usage ?? usage(12, 5) }),
  };
}

export function usage(prompt: number, completion: number, details: { cached?: number; reasoning?: number } = {}) {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: details.cached ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: details.reasoning ?? 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** One streamed chunk with a single choice delta. */
export function chunk(delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-stand-in',
    object: 'chat.completion.chunk',
    created: 1_760_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...extra,
  };
}

/** The usage chunk OpenAI sends last when `stream_options.include_usage` is set: no choices, just usage. */
export function usageChunk(prompt: number, completionTokens: number, details: { cached?: number; reasoning?: number } = {}) {
  return { id: 'chatcmpl-stand-in', object: 'chat.completion.chunk', created: 1_760_000_000, model: 'gpt-4o-mini-2024-07-18', choices: [], usage: usage(prompt, completionTokens, details) };
}

/** A tool-call fragment as it appears inside `delta.tool_calls`. */
export function toolCallDelta(index: number, fragment: { id?: string; name?: string; arguments?: string }) {
  return {
    index,
    ...(fragment.id ? { id: fragment.id, type: 'function' } : {}),
    function: { ...(fragment.name ? { name: fragment.name } : {}), arguments: fragment.arguments ?? '' },
  };
}

/** OpenAI's error body. */
export function errorBody(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}
