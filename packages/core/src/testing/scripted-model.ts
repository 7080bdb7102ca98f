import { AbortedError, InvalidArgumentError, ModelError, sleep, type ToolCall } from '@claw/core';
import type {
  FinishReason,
  GenerateRequest,
  GenerateResponse,
  ModelProvider,
  ModelStreamEvent,
  ProviderUsage,
} from '@claw/core';

/** A scripted tool call; `id` defaults to `call_<step>_<index>`, `inputText` simulates malformed JSON arguments. */
export type ScriptedToolCall = { id?: string; name: string; input?: unknown; inputText?: string };

/** One scripted model turn. */
export type ScriptedTurn =
  | {
      text?: string;
      toolCalls?: readonly ScriptedToolCall[];
      usage?: ProviderUsage;
      finishReason?: FinishReason;
      /** Wait this long before answering (aborts cut it short). */
      delayMs?: number;
    }
  | { error: Error; delayMs?: number };

/** A turn, or a function computing one from the request (to react to tool results). */
export type ScriptStep = ScriptedTurn | ((request: GenerateRequest, index: number) => ScriptedTurn);

/** Options for {@link ScriptedModel}. */
export interface ScriptedModelOptions {
  /** Model name reported to the meter (selects the encoding). Default `gpt-4o-mini`. */
  model?: string;
  provider?: string;
  /** When the script runs out: `error` (default) throws, `repeat-last` repeats the last step. */
  whenExhausted?: 'error' | 'repeat-last';
}

/**
 * A deterministic model for tests and offline examples: answers from a script of turns (text, tool calls,
 * usage, errors, delays) and records every request it was sent in `requests`.
 */
export class ScriptedModel implements ModelProvider {
  readonly provider: string;
  readonly model: string;
  /** Every request received, in order (messages are copied, so later mutation does not show here). */
  readonly requests: GenerateRequest[] = [];
  private readonly steps: readonly ScriptStep[];
  private readonly whenExhausted: 'error' | 'repeat-last';
  private index = 0;

  constructor(steps: readonly ScriptStep[], options: ScriptedModelOptions = {}) {
    if (!Array.isArray(steps)) throw new InvalidArgumentError('ScriptedModel needs an array of script steps.');
    this.steps = steps;
    this.model = options.model ?? 'gpt-4o-mini';
    this.provider = options.provider ?? 'scripted';
    this.whenExhausted = options.whenExhausted ?? 'error';
  }

  /** How many turns have been answered. */
  get calls(): number {
    return this.index;
  }

  async generate(request: GenerateRequest): Promise<GenerateResponse> {
    const index = this.index++;
    this.requests.push({ ...request, messages: [...request.messages], tools: [...request.tools] });
    let step = this.steps[index];
    if (step === undefined) {
      if (this.whenExhausted === 'repeat-last' && this.steps.length > 0) step = this.steps[this.steps.length - 1]!;
      else {
        throw new ModelError({
          provider: this.provider,
          kind: 'invalid_response',
          retryable: false,
          message: `ScriptedModel has no step ${index + 1} (script has ${this.steps.length}). Add steps to the script.`,
        });
      }
    }
    const turn = typeof step === 'function' ? step(request, index) : step;
    if (turn.delayMs) await sleep(turn.delayMs, request.signal);
    if (request.signal?.aborted) throw new AbortedError();
    if ('error' in turn) throw turn.error;
    const toolCalls: ToolCall[] = (turn.toolCalls ?? []).map((call, i) => {
      const id = call.id ?? `call_${index + 1}_${i + 1}`;
      if (call.inputText !== undefined) {
        try {
          return { id, name: call.name, input: JSON.parse(call.inputText) };
        } catch (error) {
          return { id, name: call.name, input: undefined, inputText: call.inputText, parseError: (error as Error).message };
        }
      }
      return { id, name: call.name, input: call.input ?? {} };
    });
    let text = turn.text ?? '';
    if (request.maxOutputTokens !== undefined && request.maxOutputTokens < text.length / 2) {
      text = text.slice(0, Math.max(0, request.maxOutputTokens * 2));
    }
    return {
      text,
      toolCalls,
      finishReason: turn.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      ...(turn.usage ? { usage: turn.usage } : {}),
      model: this.model,
    };
  }

  async *stream(request: GenerateRequest): AsyncIterable<ModelStreamEvent> {
    const response = await this.generate(request);
    for (const piece of response.text.match(/\S+\s*/g) ?? []) yield { type: 'text-delta', text: piece };
    for (const toolCall of response.toolCalls) yield { type: 'tool-call', toolCall };
    yield { type: 'finish', response };
  }
}
