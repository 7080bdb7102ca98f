import type { Message, ToolCall } from '../model/messages';
import type { ModelToolSpec } from '../model/model-provider';
import { sha256 } from '../internal/canonical-json';
import { normalisePrompt, promptSketch } from './prompt-fingerprint';
import type { TokenCounter } from './tokenizer';
import type { CategoryCounts, UsageCategory } from './usage-record';

/** Tokens of chat formatting per message sent; changing any formula constant changes {@link FORMULA_VERSION}. */
export const MESSAGE_OVERHEAD_TOKENS = 3;
/** Tokens added once per conversation to start the assistant's reply. */
export const REPLY_PRIMING_TOKENS = 3;

/** Version of the published counting formula (`docs/metering.md`). */
export const FORMULA_VERSION = 'claw-tokens/2';

/** Zeroed category counts. */
export function emptyCategoryCounts(): CategoryCounts {
  return {
    system: 0,
    skill_instructions: 0,
    memory: 0,
    tool_schemas: 0,
    conversation: 0,
    tool_results: 0,
    message_overhead: 0,
    output_text: 0,
    output_tool_calls: 0,
  };
}

/** The category a message's content is counted under. */
export function messageCategory(message: Message): UsageCategory {
  switch (message.role) {
    case 'system':
      return message.part ?? 'system';
    case 'tool':
      return 'tool_results';
    default:
      return 'conversation';
  }
}

/**
 * Tokens of a message's content by the formula: text, plus each earlier tool call's name and JSON arguments as
 * sent back to the provider (arguments that did not parse are sent, and counted, as `{}`).
 */
export function messageContentTokens(counter: TokenCounter, message: Message): number {
  // System parts recur across runs unchanged, so they are counted once per process by content.
  if (message.role === 'system') return counter.countRecurring(message.content);
  let n = counter.count(message.content);
  if (message.role === 'assistant' && message.toolCalls) {
    for (const call of message.toolCalls) n += toolCallTokens(counter, call.name, replayedArguments(call));
  }
  return n;
}

/** The arguments of an earlier tool call as providers replay them: its JSON, or `{}` when it did not parse. */
export function replayedArguments(call: ToolCall): string {
  return call.parseError !== undefined || call.input === undefined ? '{}' : JSON.stringify(call.input);
}

/** The arguments of a tool call in the answer as the model wrote them: the raw text when it did not parse. */
export function answeredArguments(call: ToolCall): string {
  return call.inputText ?? JSON.stringify(call.input ?? {});
}

/** Tokens of one tool call by the formula: its name plus its JSON arguments. */
export function toolCallTokens(counter: TokenCounter, name: string, argumentsJson: string): number {
  return counter.count(name) + counter.count(argumentsJson);
}

/** Tokens of one tool's schema by the formula: the JSON of `{ name, description, parameters }`. */
export function toolSchemaTokens(counter: TokenCounter, tool: ModelToolSpec): number {
  return counter.count(JSON.stringify({ name: tool.name, description: tool.description, parameters: tool.inputSchema }));
}

/** What one counted message looked like, to notice when it is replaced or edited in place. */
interface Seen {
  message: Message;
  role: Message['role'];
  content: string;
  part: string | undefined;
  toolCalls: readonly ToolCall[] | undefined;
  category: UsageCategory;
  tokens: number;
}

/** The fingerprints of a run's opening prompt (see {@link ConversationCounter.measure}). */
export interface OpeningPrompt {
  /** SHA-256 of the normalised opening prompt: system parts except recalled memory, then the first user message. */
  promptHash: string;
  /** Similarity sketch of the normalised first user message ({@link promptSketch}). */
  promptSketch: string;
}

/**
 * Counts a growing conversation incrementally: each message is tokenized once, when first seen, and the running
 * category sums are kept, so metering step n costs the new messages only, not the whole history. A message that
 * was replaced or edited in place (its content, role, part or tool calls changed) is recounted, and only it.
 */
export class ConversationCounter {
  private readonly counter: TokenCounter;
  private seen: Seen[] = [];
  private sums = emptyCategoryCounts();
  private systemMessages = 0;
  private opening: OpeningPrompt | undefined;
  private readonly toolCache = new WeakMap<object, number>();

  constructor(counter: TokenCounter) {
    this.counter = counter;
  }

  /**
   * Category counts of the request's input (messages, overhead and tool schemas), and the fingerprints of the
   * opening prompt: the messages up to and including the first user message, which is what a repeated run repeats.
   * Recalled memory is left out of them, so what was recalled never makes the same request look new.
   */
  measure(messages: readonly Message[], tools: readonly ModelToolSpec[]): { counts: CategoryCounts } & OpeningPrompt {
    let openingChanged = this.opening === undefined;
    let firstUser = -1;
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!;
      const before = this.seen[i];
      if (firstUser < 0 && message.role === 'user') firstUser = i;
      if (before && sameMessage(before, message)) continue;
      if (before) this.forget(before);
      this.seen[i] = this.count(message);
      if (firstUser < 0 || i <= firstUser) openingChanged = true;
    }
    for (let i = messages.length; i < this.seen.length; i++) {
      this.forget(this.seen[i]!);
      openingChanged = true;
    }
    this.seen.length = messages.length;
    if (openingChanged) this.opening = openingOf(messages, firstUser);
    // Every system part is joined into one system message on the wire, so they share one message's overhead.
    const wireMessages = messages.length - this.systemMessages + (this.systemMessages > 0 ? 1 : 0);
    const counts = { ...this.sums, message_overhead: wireMessages * MESSAGE_OVERHEAD_TOKENS + REPLY_PRIMING_TOKENS };
    for (const tool of tools) {
      let n = this.toolCache.get(tool.inputSchema);
      if (n === undefined) {
        n = toolSchemaTokens(this.counter, tool);
        this.toolCache.set(tool.inputSchema, n);
      }
      counts.tool_schemas += n;
    }
    return { counts, ...this.opening! };
  }

  private count(message: Message): Seen {
    const category = messageCategory(message);
    const tokens = messageContentTokens(this.counter, message);
    this.sums[category] += tokens;
    if (message.role === 'system') this.systemMessages++;
    return {
      message,
      role: message.role,
      content: message.content,
      part: message.role === 'system' ? message.part : undefined,
      toolCalls: message.role === 'assistant' ? message.toolCalls : undefined,
      category,
      tokens,
    };
  }

  private forget(seen: Seen): void {
    this.sums[seen.category] -= seen.tokens;
    if (seen.role === 'system') this.systemMessages--;
  }
}

function sameMessage(seen: Seen, message: Message): boolean {
  return (
    seen.message === message &&
    seen.role === message.role &&
    seen.content === message.content &&
    seen.part === (message.role === 'system' ? message.part : undefined) &&
    seen.toolCalls === (message.role === 'assistant' ? message.toolCalls : undefined)
  );
}

function openingOf(messages: readonly Message[], firstUser: number): OpeningPrompt {
  const end = firstUser < 0 ? messages.length : firstUser + 1;
  let text = '';
  for (let i = 0; i < end; i++) {
    const message = messages[i]!;
    if (message.role === 'system' && message.part === 'memory') continue;
    text += `${message.role}\u0000${normalisePrompt(message.content)}\u0000`;
  }
  return { promptHash: sha256(text), promptSketch: promptSketch(firstUser < 0 ? '' : messages[firstUser]!.content) };
}
