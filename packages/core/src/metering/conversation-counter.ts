import type { Message } from '../model/messages';
import type { ModelToolSpec } from '../model/model-provider';
import { sha256 } from '../internal/canonical-json';
import type { TokenCounter } from './tokenizer';
import type { CategoryCounts, UsageCategory } from './usage-record';

/** Formula constants; changing any of them changes {@link FORMULA_VERSION}. */
export const MESSAGE_OVERHEAD_TOKENS = 3;
/** Tokens added once per conversation to start the assistant's reply. */
export const REPLY_PRIMING_TOKENS = 3;

/** Version of the published counting formula (`docs/metering.md`). */
export const FORMULA_VERSION = 'claw-tokens/1';

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

/** Tokens of a message's content by the formula: text, plus each tool call's name and JSON arguments. */
export function messageContentTokens(counter: TokenCounter, message: Message): number {
  // System parts recur across runs unchanged, so they are counted once per process by content.
  if (message.role === 'system') return counter.countRecurring(message.content);
  let n = counter.count(message.content);
  if (message.role === 'assistant' && message.toolCalls) {
    for (const call of message.toolCalls) n += toolCallTokens(counter, call.name, call.inputText ?? JSON.stringify(call.input ?? {}));
  }
  return n;
}

/** Tokens of one tool call by the formula: its name plus its JSON arguments. */
export function toolCallTokens(counter: TokenCounter, name: string, argumentsJson: string): number {
  return counter.count(name) + counter.count(argumentsJson);
}

/** Tokens of one tool's schema by the formula: the JSON of `{ name, description, parameters }`. */
export function toolSchemaTokens(counter: TokenCounter, tool: ModelToolSpec): number {
  return counter.count(JSON.stringify({ name: tool.name, description: tool.description, parameters: tool.inputSchema }));
}

/**
 * Counts a growing conversation incrementally: each message is tokenized once, when first seen, and the running
 * category sums are kept, so metering step n costs the new messages only, not the whole history. If the message
 * list is replaced rather than appended to, it recounts from the start.
 */
export class ConversationCounter {
  private readonly counter: TokenCounter;
  private counted = 0;
  private last: Message | undefined;
  private sums = emptyCategoryCounts();
  private chain = '';
  private opening = '';
  private opened = false;
  private readonly toolCache = new WeakMap<object, number>();

  constructor(counter: TokenCounter) {
    this.counter = counter;
  }

  /**
   * Category counts of the request's input (messages, overhead and tool schemas), and the hash of the opening prompt:
   * the messages up to and including the first user message, which is what a repeated run repeats.
   */
  measure(messages: readonly Message[], tools: readonly ModelToolSpec[]): { counts: CategoryCounts; promptHash: string } {
    if (this.counted > messages.length || (this.counted > 0 && messages[this.counted - 1] !== this.last)) this.reset();
    for (let i = this.counted; i < messages.length; i++) {
      const message = messages[i]!;
      this.sums[messageCategory(message)] += messageContentTokens(this.counter, message);
      this.sums.message_overhead += MESSAGE_OVERHEAD_TOKENS;
      if (!this.opened) {
        this.opening += `${message.role}\u0000${message.content}\u0000`;
        if (message.role === 'user') {
          this.chain = sha256(this.opening);
          this.opened = true;
        }
      }
      this.last = message;
    }
    if (!this.opened) this.chain = sha256(this.opening);
    this.counted = messages.length;
    const counts = { ...this.sums, message_overhead: this.sums.message_overhead + REPLY_PRIMING_TOKENS };
    for (const tool of tools) {
      let n = this.toolCache.get(tool.inputSchema);
      if (n === undefined) {
        n = toolSchemaTokens(this.counter, tool);
        this.toolCache.set(tool.inputSchema, n);
      }
      counts.tool_schemas += n;
    }
    return { counts, promptHash: this.chain };
  }

  private reset(): void {
    this.counted = 0;
    this.last = undefined;
    this.sums = emptyCategoryCounts();
    this.chain = '';
    this.opening = '';
    this.opened = false;
  }
}
