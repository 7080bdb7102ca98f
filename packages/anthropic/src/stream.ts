import { ModelError, type ModelStreamEvent, type ToolCall } from '@claw/core';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { parseToolInput } from './parse-tool-input';
import { toFinishReason, toProviderUsage, type AnthropicUsageCounters } from './to-generate-response';

/** What {@link toModelStream} needs besides the events. */
export interface StreamContext {
  baseURL: string;
  requestId?: string | null | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Turns Messages API stream events into Claw stream events: `text-delta` per text delta, one `tool-call` per
 * `tool_use` block when its `content_block_stop` arrives (its input comes as JSON fragments until then), and a
 * final `finish` with usage merged from `message_start` (input, cache) and `message_delta` (cumulative output).
 *
 * A stream cut after `message_delta` (which carries the stop reason and final usage) still finishes, with what
 * arrived: the answer is complete and the provider has billed it.
 *
 * @throws ModelError kind `aborted` when the signal fired (the SDK ends the iteration quietly on abort), or kind
 *   `connection` when the stream ended before the message was finished.
 */
export async function* toModelStream(events: AsyncIterable<RawMessageStreamEvent>, context: StreamContext): AsyncGenerator<ModelStreamEvent> {
  let text = '';
  let model: string | undefined;
  let stopReason: string | null = null;
  let stopped = false;
  const usage: AnthropicUsageCounters = {};
  const openToolBlocks = new Map<number, { id: string; name: string; inputJson: string }>();
  const toolCalls: ToolCall[] = [];

  try {
    for await (const event of events) {
      switch (event.type) {
        case 'message_start':
          model = event.message.model;
          mergeUsage(usage, event.message.usage);
          break;
        case 'content_block_start':
          if (event.content_block.type === 'tool_use') {
            openToolBlocks.set(event.index, { id: event.content_block.id, name: event.content_block.name, inputJson: '' });
          } else if (event.content_block.type === 'text' && event.content_block.text) {
            text += event.content_block.text;
            yield { type: 'text-delta', text: event.content_block.text };
          }
          break;
        case 'content_block_delta':
          if (event.delta.type === 'text_delta') {
            text += event.delta.text;
            yield { type: 'text-delta', text: event.delta.text };
          } else if (event.delta.type === 'input_json_delta') {
            const block = openToolBlocks.get(event.index);
            if (block) block.inputJson += event.delta.partial_json;
          }
          break;
        case 'content_block_stop': {
          const block = openToolBlocks.get(event.index);
          if (!block) break;
          openToolBlocks.delete(event.index);
          const toolCall = parseToolInput(block.id, block.name, block.inputJson);
          toolCalls.push(toolCall);
          yield { type: 'tool-call', toolCall };
          break;
        }
        case 'message_delta':
          stopReason = event.delta.stop_reason ?? stopReason;
          mergeUsage(usage, event.usage);
          break;
        case 'message_stop':
          stopped = true;
          break;
      }
    }
  } catch (error) {
    // `message_delta` carries the stop reason and the final usage after the last block closed: a connection cut
    // after it loses only `message_stop`. The answer and the usage are kept, rather than failing a call the
    // provider has billed and making the agent pay for it twice.
    if ((stopReason === null && !stopped) || context.signal?.aborted) throw error;
  }

  if (context.signal?.aborted) {
    throw new ModelError({ provider: 'anthropic', kind: 'aborted', message: 'The Anthropic stream was aborted by its AbortSignal.' });
  }
  if (!stopped && stopReason === null) {
    throw new ModelError({
      provider: 'anthropic',
      kind: 'connection',
      ...(context.requestId ? { requestId: context.requestId } : {}),
      message: `The stream from ${context.baseURL} ended before the message was finished. The connection was probably cut; retrying usually helps.`,
    });
  }
  // A block the server never closed is still a call the model made; hand it over rather than drop it.
  for (const block of openToolBlocks.values()) {
    const toolCall = parseToolInput(block.id, block.name, block.inputJson);
    toolCalls.push(toolCall);
    yield { type: 'tool-call', toolCall };
  }
  const providerUsage = toProviderUsage(usage);
  yield {
    type: 'finish',
    response: {
      text,
      toolCalls,
      finishReason: toFinishReason(stopReason, toolCalls.length > 0),
      ...(providerUsage ? { usage: providerUsage } : {}),
      ...(model ? { model } : {}),
      ...(context.requestId ? { requestId: context.requestId } : {}),
    },
  };
}

/** Later events repeat counters cumulatively or leave them null; a null never erases a count already seen. */
function mergeUsage(target: AnthropicUsageCounters, source: AnthropicUsageCounters | null | undefined): void {
  if (!source) return;
  for (const key of ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'] as const) {
    const value = source[key];
    if (typeof value === 'number') target[key] = value;
  }
}
