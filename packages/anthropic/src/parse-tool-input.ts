import type { ToolCall } from '@claw/core';

/**
 * Builds a {@link ToolCall} from the `input_json_delta` fragments of a streamed `tool_use` block. Never throws:
 * JSON that does not parse (an answer cut off by `max_tokens` ends mid-object) becomes `input: undefined` with the
 * raw `inputText` and a `parseError`, which the agent hands back to the model as a tool error it can correct.
 * No fragments at all means the tool takes no input (`{}`).
 */
export function parseToolInput(id: string, name: string, inputJson: string): ToolCall {
  if (inputJson.trim() === '') return { id, name, input: {} };
  try {
    return { id, name, input: JSON.parse(inputJson) };
  } catch (error) {
    return { id, name, input: undefined, inputText: inputJson, parseError: `The tool input is not valid JSON (${(error as Error).message}).` };
  }
}
