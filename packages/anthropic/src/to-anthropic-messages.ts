import type { Message, ModelToolSpec, ToolCall } from '@claw/core';
import type { ContentBlockParam, MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';

/** The Messages API form of a conversation: one system prompt plus alternating user/assistant turns. */
export interface AnthropicConversation {
  /** All system messages joined with blank lines; `undefined` when there are none. */
  system: string | undefined;
  messages: MessageParam[];
}

/**
 * Translates a Claw conversation into the Messages API form.
 *
 * System messages (operator prompt, skill instructions, memory) become the single `system` prompt, joined with
 * blank lines in order. Tool results become `tool_result` blocks of a user turn, and consecutive messages of one
 * role are merged into one turn: the API wants all results of one assistant turn in the user message right after
 * it, before any text.
 */
export function toAnthropicConversation(conversation: readonly Message[]): AnthropicConversation {
  const system: string[] = [];
  const messages: MessageParam[] = [];
  const append = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = messages.at(-1);
    if (last && last.role === role) (last.content as ContentBlockParam[]).push(...blocks);
    else messages.push({ role, content: blocks });
  };

  for (const message of conversation) {
    switch (message.role) {
      case 'system':
        system.push(message.content);
        break;
      case 'user':
        // The API rejects empty text blocks, so an empty user message adds nothing.
        append('user', message.content === '' ? [] : [{ type: 'text', text: message.content }]);
        break;
      case 'assistant':
        append('assistant', [
          ...(message.content === '' ? [] : [{ type: 'text' as const, text: message.content }]),
          ...(message.toolCalls ?? []).map(toToolUseBlock),
        ]);
        break;
      case 'tool':
        append('user', [
          {
            type: 'tool_result',
            tool_use_id: message.toolCallId,
            content: message.content,
            ...(message.isError ? { is_error: true } : {}),
          },
        ]);
        break;
    }
  }
  return { system: system.length > 0 ? system.join('\n\n') : undefined, messages };
}

/**
 * Replays an earlier tool call. `input` must be an object on this API, so a call whose arguments did not parse
 * (or were not an object) is replayed as `{}`; the tool error that follows tells the model what went wrong.
 */
function toToolUseBlock(call: ToolCall): ContentBlockParam {
  const input = call.parseError === undefined && call.input !== null && typeof call.input === 'object' && !Array.isArray(call.input) ? call.input : {};
  return { type: 'tool_use', id: call.id, name: call.name, input };
}

/** Translates the granted tools into Messages API tool definitions. */
export function toAnthropicTools(tools: readonly ModelToolSpec[]): Tool[] {
  return tools.map((tool) => {
    // zod stamps `$schema` on the root; the API validates `input_schema` as a schema object and needs no dialect.
    const { $schema: _dialect, ...schema } = tool.inputSchema;
    return { name: tool.name, description: tool.description, input_schema: schema as Tool['input_schema'] };
  });
}
