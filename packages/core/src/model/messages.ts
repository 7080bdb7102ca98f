/**
 * Provider-neutral conversation types. Providers translate these to and from their wire formats,
 * so an agent's history can move between providers unchanged.
 */

/**
 * What part of the prompt a system message is. The meter counts each part under its own category;
 * providers join system messages into the single system prompt their API takes.
 */
export type SystemPart = 'system' | 'skill_instructions' | 'memory';

/**
 * Who a message's content comes from, as far as the security checks are concerned. `trusted`: the person, the
 * operator or a skill author wrote it; `untrusted`: outside content (email, chat, web pages, memories made from
 * them) that may try to steer the agent; `derived`: produced by the model or a tool from other content, counted as
 * neither. A call whose sensitive arguments repeat text found only in untrusted messages needs a human.
 */
export type MessageTrust = 'trusted' | 'untrusted' | 'derived';

/** Where a message's content came from and how far it is trusted. Set by the agent on every message it builds. */
export interface MessageOrigin {
  /** Missing on messages built elsewhere: then it follows from the role (see `trustOf` in the policy module). */
  trust?: MessageTrust;
  /** What produced the content: `user`, `operator`, `skill:<name>`, `memory`, `tool:<name>`, `model`. */
  source?: string;
}

/** Instructions from the operator, skills or recalled memory. */
export interface SystemMessage extends MessageOrigin {
  role: 'system';
  content: string;
  part?: SystemPart;
}

/** A message from the person the agent acts for. */
export interface UserMessage extends MessageOrigin {
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
export interface AssistantMessage extends MessageOrigin {
  role: 'assistant';
  content: string;
  toolCalls?: ToolCall[];
}

/** The result of one tool call, as sent back to the model. */
export interface ToolMessage extends MessageOrigin {
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
