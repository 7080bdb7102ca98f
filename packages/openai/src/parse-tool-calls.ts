import type { ToolCall } from '@claw/core';
import type { ChatCompletionMessageToolCall } from 'openai/resources/chat/completions';

/** One tool call as it came off the wire, before its arguments are parsed. */
export interface RawToolCall {
  id: string | undefined;
  name: string;
  /** The arguments as the model wrote them: normally JSON text, but some compatible servers send an object. */
  arguments: unknown;
}

/**
 * Turns the raw arguments of one tool call into a {@link ToolCall}. Never throws: arguments that are not valid
 * JSON become `input: undefined` with the raw `inputText` and a `parseError`, which the agent hands back to the
 * model as a tool error it can correct. An empty string means "no arguments" (`{}`), which models emit for
 * tools without parameters.
 */
export function parseToolCall(raw: RawToolCall, position: number): ToolCall {
  // Some servers (older llama.cpp builds) leave ids empty; the id only has to round-trip within one conversation.
  const id = raw.id && raw.id.length > 0 ? raw.id : `call_${position + 1}`;
  if (raw.arguments !== null && typeof raw.arguments === 'object') return { id, name: raw.name, input: raw.arguments };
  const text = typeof raw.arguments === 'string' ? raw.arguments : '';
  if (text.trim() === '') return { id, name: raw.name, input: {} };
  try {
    return { id, name: raw.name, input: JSON.parse(text) };
  } catch (error) {
    return {
      id,
      name: raw.name,
      input: undefined,
      inputText: text,
      parseError: `The arguments are not valid JSON (${(error as Error).message}).`,
    };
  }
}

/** Parses every tool call of a non-streamed assistant message, in order. Never throws. */
export function parseToolCalls(toolCalls: readonly ChatCompletionMessageToolCall[] | null | undefined): ToolCall[] {
  return (toolCalls ?? []).map((call, position) =>
    call.type === 'custom'
      ? parseToolCall({ id: call.id, name: call.custom.name, arguments: call.custom.input }, position)
      : parseToolCall({ id: call.id, name: call.function.name, arguments: call.function.arguments }, position),
  );
}
