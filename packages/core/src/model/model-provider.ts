import type { AssistantMessage, Message, ToolCall } from './messages';

/** JSON Schema object, as produced by zod 4's `z.toJSONSchema`. */
export type JsonSchema = Record<string, unknown>;

/** A tool as offered to the model: only granted tools ever reach this shape. */
export interface ModelToolSpec {
  name: string;
  description: string;
  inputSchema: JsonSchema;
}

/** One request to a model. */
export interface GenerateRequest {
  messages: Message[];
  tools: ModelToolSpec[];
  /** Upper bound on output tokens; the meter may clamp it to what the budget allows. */
  maxOutputTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

/** Token usage as the provider reported it for one call. */
export interface ProviderUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache (included in `inputTokens`). */
  cachedInputTokens?: number;
  /** Input tokens written to the provider's prompt cache (Anthropic). */
  cacheWriteTokens?: number;
  /** Reasoning tokens (included in `outputTokens`). */
  reasoningTokens?: number;
}

/** Why the model stopped. */
export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'error' | 'other';

/** A completed model call. */
export interface GenerateResponse {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage?: ProviderUsage;
  /** The model that actually answered, when the provider says. */
  model?: string;
  requestId?: string;
}

/** Incremental output of a streaming call; the last event is always `finish` (or the stream throws). */
export type ModelStreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; toolCall: ToolCall }
  | { type: 'finish'; response: GenerateResponse };

/**
 * A model backend. Implementations make exactly one attempt per call and throw a `ModelError`
 * classified as retryable or not: the agent owns retries, so that every attempt is metered.
 */
export interface ModelProvider {
  /** Provider family, e.g. `openai`, `anthropic`, `scripted`. */
  readonly provider: string;
  /** Model name, e.g. `gpt-4o-mini`; selects the tokenizer encoding. */
  readonly model: string;
  /** Makes one model call (no retries). Throws `ModelError`, marked retryable or not, when the call fails. */
  generate(request: GenerateRequest): Promise<GenerateResponse>;
  /** Optional streaming form; the agent falls back to `generate` when absent. */
  stream?(request: GenerateRequest): AsyncIterable<ModelStreamEvent>;
}

/** Converts a response into the assistant message that joins the conversation. */
export function toAssistantMessage(response: GenerateResponse): AssistantMessage {
  return response.toolCalls.length > 0
    ? { role: 'assistant', content: response.text, toolCalls: response.toolCalls }
    : { role: 'assistant', content: response.text };
}
