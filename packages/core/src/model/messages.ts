/**
 * Provider-neutral conversation types. Providers translate these to and from their wire formats,
 * so an agent's history can move between providers unchanged.
 */

/**
 * What part of the prompt a system message is. The meter counts each part under its own category;
 * providers join system messages into the single system prompt their API takes.
 */
export type SystemPart = 'system' | 'skill_instructions' | 'memory';

/** Instructions from the operator, skills or recalled memory. */
export interface SystemMessage {
  role: 'system';
  content: string;
  part?: SystemPart;
}

/** A message from the person the agent acts for. */
export interface UserMessage {
  role: 'user';
  content: string;
}

/** A model-requested tool invocation. `input` is parsed JSON; `inputText` keeps the raw arguments when parsing failed. */
export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
  /** Raw argument text as the model produced it, kept when it was not valid JSON. */
  inputText?: string;
  /** Why `inputText` could not be parsed; the agent returns this to the model as a correctable tool error. */
  parseError?: string;
}

/** What the model said: text, tool calls, or both. */
export interface AssistantMessage {
  role: 'assistant';
  content: string;
  toolCalls?: ToolCall[];
}

/** The result of one tool call, as sent back to the model. */
export interface ToolMessage {
  role: 'tool';
  toolCallId: string;
  toolName: string;
  content: string;
  isError?: boolean;
  /** The content came from outside (email, Slack, web) and is data, never instructions. */
  untrusted?: boolean;
}

/** One message of a conversation. */
export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;
