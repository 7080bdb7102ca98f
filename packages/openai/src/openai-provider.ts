import { InvalidArgumentError, ModelError, type GenerateRequest, type GenerateResponse, type ModelProvider, type ModelStreamEvent } from '@claw/core';
import OpenAI from 'openai';
import { toModelError, type OpenAIErrorContext } from './map-error';
import { toModelStream } from './stream';
import { toGenerateResponse } from './to-generate-response';
import { toChatCompletionParams, type MaxTokensField } from './to-openai-request';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** Options for {@link openai} / {@link OpenAIProvider}. */
export interface OpenAIProviderOptions {
  /** Model name, e.g. `gpt-4o-mini`, or the name a compatible server knows (`llama3.2`, `Qwen/Qwen2.5-7B-Instruct`). */
  model: string;
  /**
   * API key. Defaults to `OPENAI_API_KEY` for api.openai.com only: a compatible server gets a key solely when you
   * pass one, so your OpenAI key never leaves for a local server, and without one no Authorization header is sent.
   */
  apiKey?: string;
  /** Base URL of an OpenAI-compatible server, e.g. `http://127.0.0.1:11434/v1`; makes `provider` `openai-compatible`. */
  baseURL?: string;
  /** Per-attempt limit on waiting for the server to start answering, in ms (the SDK's `timeout`). Default 10 minutes. */
  timeoutMs?: number;
  /** A preconfigured client (proxy, custom fetch, Azure). Its own retries are bypassed: each call is one attempt. */
  client?: OpenAI;
  /** Body field for the output limit; defaults to `max_completion_tokens` for OpenAI and `max_tokens` otherwise. */
  maxTokensField?: MaxTokensField;
  /** Ask for the usage chunk when streaming (`stream_options.include_usage`). Default true; servers that reject it need false. */
  streamUsage?: boolean;
}

/**
 * A {@link ModelProvider} on the official `openai` client and the Chat Completions API, for OpenAI and any
 * OpenAI-compatible server (Ollama, vLLM, llama.cpp server, LM Studio).
 *
 * Each `generate`/`stream` call makes exactly one HTTP attempt (`maxRetries: 0`) and throws a classified
 * {@link ModelError} on failure; the agent owns retries so that every attempt is metered.
 */
export class OpenAIProvider implements ModelProvider {
  readonly provider: 'openai' | 'openai-compatible';
  readonly model: string;
  /** Where requests go, e.g. `https://api.openai.com/v1`. */
  readonly baseURL: string;
  private readonly client: OpenAI;
  private readonly timeoutMs: number | undefined;
  private readonly maxTokensField: MaxTokensField;
  private readonly streamUsage: boolean;

  /**
   * @throws InvalidArgumentError for an empty model name, a malformed baseURL or a non-positive timeoutMs.
   * @throws ModelError kind `auth` when talking to api.openai.com without a key (none passed, no OPENAI_API_KEY).
   */
  constructor(options: OpenAIProviderOptions) {
    if (typeof options?.model !== 'string' || options.model.trim() === '') {
      throw new InvalidArgumentError('openai() needs a model name, e.g. openai({ model: "gpt-4o-mini" }).');
    }
    if (options.timeoutMs !== undefined && !(Number.isInteger(options.timeoutMs) && options.timeoutMs > 0)) {
      throw new InvalidArgumentError(`timeoutMs must be a positive whole number of milliseconds; got ${String(options.timeoutMs)}.`);
    }
    this.model = options.model;
    this.baseURL = options.client?.baseURL ?? normaliseBaseURL(options.baseURL ?? OPENAI_BASE_URL);
    this.provider = new URL(this.baseURL).hostname === 'api.openai.com' ? 'openai' : 'openai-compatible';
    this.timeoutMs = options.timeoutMs;
    this.maxTokensField = options.maxTokensField ?? (this.provider === 'openai' ? 'max_completion_tokens' : 'max_tokens');
    this.streamUsage = options.streamUsage ?? true;
    this.client = options.client ?? this.createClient(options.apiKey);
  }

  /**
   * Sends one Chat Completions request and returns the whole answer.
   * @throws ModelError classified by `kind` (auth, rate_limit, server, connection, timeout, bad_request, not_found, aborted, invalid_response).
   */
  async generate(request: GenerateRequest): Promise<GenerateResponse> {
    const context = this.errorContext(request.signal, 'request');
    try {
      const { data, request_id } = await this.client.chat.completions
        .create(this.params(request), this.requestOptions(request.signal))
        .withResponse();
      return toGenerateResponse(data, { provider: this.provider, requestId: request_id });
    } catch (error) {
      throw toModelError(error, context);
    }
  }

  /**
   * Streams one Chat Completions request: text deltas, each tool call once its arguments are complete, then `finish`
   * with usage (when the server sends a usage chunk).
   * @throws ModelError as {@link generate}; a connection cut mid-stream is kind `connection` (retryable).
   */
  async *stream(request: GenerateRequest): AsyncGenerator<ModelStreamEvent> {
    const context = this.errorContext(request.signal, 'request');
    let started;
    try {
      started = await this.client.chat.completions
        .create(
          { ...this.params(request), stream: true, ...(this.streamUsage ? { stream_options: { include_usage: true } } : {}) },
          this.requestOptions(request.signal),
        )
        .withResponse();
    } catch (error) {
      throw toModelError(error, context);
    }
    try {
      yield* toModelStream(started.data, { provider: this.provider, baseURL: this.baseURL, requestId: started.request_id, signal: request.signal });
    } catch (error) {
      throw toModelError(error, { ...context, phase: 'stream' });
    }
  }

  private params(request: GenerateRequest) {
    return toChatCompletionParams(request, { model: this.model, maxTokensField: this.maxTokensField });
  }

  private requestOptions(signal: AbortSignal | undefined) {
    return { maxRetries: 0, ...(signal ? { signal } : {}), ...(this.timeoutMs !== undefined ? { timeout: this.timeoutMs } : {}) };
  }

  private errorContext(signal: AbortSignal | undefined, phase: 'request' | 'stream'): OpenAIErrorContext {
    return { provider: this.provider, model: this.model, baseURL: this.baseURL, signal, timeoutMs: this.timeoutMs, phase };
  }

  private createClient(apiKey: string | undefined): OpenAI {
    const key = apiKey ?? (this.provider === 'openai' ? process.env['OPENAI_API_KEY'] : undefined);
    if (this.provider === 'openai' && !key) {
      throw new ModelError({
        provider: this.provider,
        kind: 'auth',
        retryable: false,
        message: 'No OpenAI API key: set OPENAI_API_KEY or pass openai({ apiKey }). For a local server pass its baseURL instead.',
      });
    }
    return new OpenAI({
      // The client insists on a key; for keyless servers a placeholder satisfies it and the header is removed below.
      apiKey: key ?? 'no-key',
      baseURL: this.baseURL,
      maxRetries: 0,
      ...(this.timeoutMs !== undefined ? { timeout: this.timeoutMs } : {}),
      ...(key ? {} : { defaultHeaders: { Authorization: null } }),
    });
  }
}

/**
 * Creates an {@link OpenAIProvider}: `openai({ model: 'gpt-4o-mini' })`, or for a compatible server
 * `openai({ model: 'llama3.2', baseURL: 'http://127.0.0.1:11434/v1' })`.
 * @throws as the {@link OpenAIProvider} constructor.
 */
export function openai(options: OpenAIProviderOptions): OpenAIProvider {
  return new OpenAIProvider(options);
}

function normaliseBaseURL(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(url.protocol);
  } catch {
    throw new InvalidArgumentError(`baseURL must be an http(s) URL such as http://127.0.0.1:11434/v1; got "${baseURL}".`);
  }
  // The client appends `/chat/completions` itself; a trailing slash would double it on some servers.
  return baseURL.replace(/\/+$/, '');
}
