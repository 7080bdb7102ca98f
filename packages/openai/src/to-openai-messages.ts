import type { JsonSchema, Message, ModelToolSpec, ToolCall } from '@claw/core';
import type {
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';

/**
 * Translates a Claw conversation into Chat Completions messages.
 *
 * All system messages (operator prompt, skill instructions, recalled memory) are joined with blank lines into one
 * leading system message: OpenAI accepts several, but the chat templates of many compatible servers (llama.cpp,
 * vLLM, LM Studio) reject a system message anywhere but first, and one prompt reads the same everywhere.
 */
export function toOpenAIMessages(messages: readonly Message[]): ChatCompletionMessageParam[] {
  const system = messages.flatMap((message) => (message.role === 'system' ? [message.content] : []));
  const result: ChatCompletionMessageParam[] = system.length > 0 ? [{ role: 'system', content: system.join('\n\n') }] : [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        break;
      case 'user':
        result.push({ role: 'user', content: message.content });
        break;
      case 'assistant':
        result.push(
          message.toolCalls && message.toolCalls.length > 0
            ? {
                role: 'assistant',
                // `null` rather than '' is what the API documents for a turn that only calls tools.
                content: message.content === '' ? null : message.content,
                tool_calls: message.toolCalls.map(toOpenAIToolCall),
              }
            : { role: 'assistant', content: message.content },
        );
        break;
      case 'tool':
        result.push({ role: 'tool', tool_call_id: message.toolCallId, content: message.content });
        break;
    }
  }
  return result;
}

/**
 * Replays a tool call the model made earlier. Arguments that did not parse are replayed as `{}`: compatible
 * servers parse the arguments of past calls to render their chat templates and fail the whole request on invalid
 * JSON, and the tool error that follows already tells the model what was wrong with what it wrote.
 */
function toOpenAIToolCall(call: ToolCall): ChatCompletionMessageFunctionToolCall {
  const argumentsText = call.parseError !== undefined || call.input === undefined ? '{}' : JSON.stringify(call.input);
  return { id: call.id, type: 'function', function: { name: call.name, arguments: argumentsText } };
}

/** Translates the granted tools into Chat Completions function tools. */
export function toOpenAITools(tools: readonly ModelToolSpec[]): ChatCompletionFunctionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: withoutSchemaDialect(tool.inputSchema) },
  }));
}

/**
 * zod's `toJSONSchema` stamps `$schema` on the root; function parameters are a schema fragment, and some
 * compatible servers' grammar converters choke on keywords they do not know, so it is dropped.
 */
export function withoutSchemaDialect(schema: JsonSchema): JsonSchema {
  if (!('$schema' in schema)) return schema;
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}
