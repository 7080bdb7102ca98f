import { ModelError, type ModelStreamEvent, type ToolCall } from '@claw/core';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { parseToolCall } from './parse-tool-calls';
import { toFinishReason, toProviderUsage } from './to-generate-response';

/** What {@link toModelStream} needs besides the chunks. */
export interface StreamContext {
  provider: string;
  baseURL: string;
  requestId?: string | null | undefined;
  signal?: AbortSignal | undefined;
}

interface PendingToolCall {
  id: string | undefined;
  name: string;
  argumentsText: string;
  /** Set when a non-conformant server sends the arguments as an object instead of JSON text. */
  argumentsObject?: unknown;
}

/**
 * Turns Chat Completions chunks into Claw stream events: `text-delta` as text arrives, one `tool-call` per call
 * once its arguments are complete (they arrive split across chunks, so that is when the choice's `finish_reason`
 * arrives), and a final `finish` carrying the whole response and the usage chunk sent after it.
 *
 * A stream cut after the answer finished (after `finish_reason`, and the usage chunk when it came) still finishes,
 * with what arrived: the answer is complete and the provider has billed it.
 *
 * @throws ModelError kind `aborted` when the signal fired (the SDK ends the iteration quietly on abort), or kind
 *   `connection` when the stream ended before the server said the answer was finished.
 */
export async function* toModelStream(chunks: AsyncIterable<ChatCompletionChunk>, context: StreamContext): AsyncGenerator<ModelStreamEvent> {
  let text = '';
  let refused = false;
  let finishReason: string | null = null;
  let usage: ChatCompletionChunk['usage'];
  let model: string | undefined;
  const pending = new Map<number, PendingToolCall>();
  let toolCalls: ToolCall[] = [];

  try {
    for await (const chunk of chunks) {
      if (chunk.model) model = chunk.model;
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const delta = choice.delta ?? {};
      const piece = delta.content ?? delta.refusal;
      if (delta.refusal) refused = true;
      if (piece) {
        text += piece;
        yield { type: 'text-delta', text: piece };
      }
      for (const part of delta.tool_calls ?? []) accumulate(pending, part);
      if (choice.finish_reason && finishReason === null) {
        finishReason = choice.finish_reason;
        toolCalls = [...pending.entries()]
          .sort(([a], [b]) => a - b)
          .map(([, call], position) =>
            parseToolCall({ id: call.id, name: call.name, arguments: call.argumentsObject ?? call.argumentsText }, position),
          );
        for (const toolCall of toolCalls) yield { type: 'tool-call', toolCall };
      }
    }
  } catch (error) {
    // Once `finish_reason` has arrived the answer is complete, and the usage chunk (when asked for) comes right
    // after it: a connection cut after that loses only the end-of-stream marker. The answer and the usage that
    // arrived are kept, rather than failing a call the provider has billed and making the agent pay for it twice.
    if (finishReason === null || context.signal?.aborted) throw error;
  }

  if (context.signal?.aborted) {
    throw new ModelError({ provider: context.provider, kind: 'aborted', message: `The ${context.provider} stream was aborted by its AbortSignal.` });
  }
  if (finishReason === null) {
    throw new ModelError({
      provider: context.provider,
      kind: 'connection',
      ...(context.requestId ? { requestId: context.requestId } : {}),
      message: `The stream from ${context.baseURL} ended before the model finished its answer. The connection was probably cut; retrying usually helps.`,
    });
  }
  const providerUsage = toProviderUsage(usage);
  yield {
    type: 'finish',
    response: {
      text,
      toolCalls,
      finishReason: refused ? 'content_filter' : toFinishReason(finishReason, toolCalls.length > 0),
      ...(providerUsage ? { usage: providerUsage } : {}),
      ...(model ? { model } : {}),
      ...(context.requestId ? { requestId: context.requestId } : {}),
    },
  };
}

type ToolCallDelta = NonNullable<ChatCompletionChunk.Choice.Delta['tool_calls']>[number];

function accumulate(pending: Map<number, PendingToolCall>, part: ToolCallDelta): void {
  const index = slotOf(pending, part);
  const call = pending.get(index) ?? { id: undefined, name: '', argumentsText: '' };
  if (part.id) call.id ??= part.id;
  // The name arrives whole in the first fragment; servers that repeat it in later fragments must not double it.
  if (part.function?.name && call.name === '') call.name = part.function.name;
  const args: unknown = part.function?.arguments;
  if (typeof args === 'string') call.argumentsText += args;
  else if (args !== null && typeof args === 'object') call.argumentsObject = args;
  pending.set(index, call);
}

/** OpenAI always sends `index`; a few compatible servers omit it and send each call whole, with its own id. */
function slotOf(pending: Map<number, PendingToolCall>, part: ToolCallDelta): number {
  if (typeof part.index === 'number') return part.index;
  const isNewCall = part.id !== undefined && ![...pending.values()].some((call) => call.id === part.id);
  return isNewCall || pending.size === 0 ? pending.size : pending.size - 1;
}
