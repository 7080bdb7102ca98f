import { InvalidArgumentError, ModelError, type GenerateRequest, type GenerateResponse, type ModelProvider, type ModelStreamEvent } from '@claw/core';
import Anthropic from '@anthropic-ai/sdk';
import { toModelError, type AnthropicErrorContext } from './map-error';
import { toModelStream } from './stream';
import { toGenerateResponse } from './to-generate-response';
import { DEFAULT_MAX_OUTPUT_TOKENS, toMessageCreateParams } from './to-anthropic-request';

const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
// The client's own default; passed explicitly because without a timeout the client refuses non-streamed calls
// whose max_tokens it expects to run past ten minutes, and the agent may ask for that.
const DEFAULT_TIMEOUT_MS = 600_000;

/** Options for {@link anthropic} / {@link AnthropicProvider}. */
export interface AnthropicProviderOptions {
  /** Model name, e.g. `claude-sonnet-4-6`. */
  model: string;
  /** API key. Defaults to `ANTHROPIC_API_KEY`. */
  apiKey?: string;
  /** Base URL of the API or a proxy in front of it. Default `https://api.anthropic.com`. */
  baseURL?: string;
  /** Per-attempt limit on waiting for the server to start answering, in ms (the SDK's `timeout`). Default 10 minutes. */
  timeoutMs?: number;
  /** A preconfigured client (proxy, custom fetch). Its own retries are bypassed: each call is one attempt. */
  client?: Anthropic;
  /** `max_tokens` sent when a request has no `maxOutputTokens` (the API requires one). Default 4096. */
  defaultMaxOutputTokens?: number;
}

/**
 * A {@link ModelProvider} on the official `@anthropic-ai/sdk` client and the Messages API.
 *
 * Each `generate`/`stream` call makes exactly one HTTP attempt (`maxRetries: 0`) and throws a classified
 * {@link ModelError} on failure; the agent owns retries so that every attempt is metered. Usage is normalised so
 * that `inputTokens` is the whole prompt, cache reads and writes included (see `toProviderUsage`).
 */
export class AnthropicProvider implements ModelProvider {
  readonly provider = 'anthropic';
  readonly model: string;
  /** Where requests go, e.g. `https://api.anthropic.com`. */
  readonly baseURL: string;
  private readonly client: Anthropic;
  private readonly timeoutMs: number | undefined;
  private readonly defaultMaxOutputTokens: number;

  /**
   * @throws InvalidArgumentError for an empty model name, a malformed baseURL, or a non-positive timeoutMs or defaultMaxOutputTokens.
   * @throws ModelError kind `auth` when no key was passed and ANTHROPIC_API_KEY is unset.
   */
  constructor(options: AnthropicProviderOptions) {
    if (typeof options?.model !== 'string' || options.model.trim() === '') {
      throw new InvalidArgumentError('anthropic() needs a model name, e.g. anthropic({ model: "claude-sonnet-4-6" }).');
    }
    for (const [name, value] of [['timeoutMs', options.timeoutMs], ['defaultMaxOutputTokens', options.defaultMaxOutputTokens]] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
        throw new InvalidArgumentError(`${name} must be a positive whole number; got ${String(value)}.`);
      }
    }
    this.model = options.model;
    this.baseURL = options.client?.baseURL ?? checkedBaseURL(options.baseURL ?? ANTHROPIC_BASE_URL);
    this.timeoutMs = options.timeoutMs;
    this.defaultMaxOutputTokens = options.defaultMaxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    this.client = options.client ?? this.createClient(options.apiKey);
  }

  /**
   * Sends one Messages API request and returns the whole answer.
   * @throws ModelError classified by `kind` (auth, rate_limit, server, connection, timeout, bad_request, not_found, aborted, invalid_response).
   */
  async generate(request: GenerateRequest): Promise<GenerateResponse> {
    const context = this.errorContext(request.signal, 'request');
    try {
      const { data, request_id } = await this.client.messages.create(this.params(request), this.requestOptions(request.signal)).withResponse();
      return toGenerateResponse(data, { requestId: request_id });
    } catch (error) {
      throw toModelError(error, context);
    }
  }

  /**
   * Streams one Messages API request: text deltas, each tool call when its block closes, then `finish` with usage.
   * @throws ModelError as {@link generate}; a connection cut mid-stream is kind `connection` (retryable).
   */
  async *stream(request: GenerateRequest): AsyncGenerator<ModelStreamEvent> {
    const context = this.errorContext(request.signal, 'request');
    let started;
    try {
      started = await this.client.messages.create({ ...this.params(request), stream: true }, this.requestOptions(request.signal)).withResponse();
    } catch (error) {
      throw toModelError(error, context);
    }
    try {
      yield* toModelStream(started.data, { baseURL: this.baseURL, requestId: started.request_id, signal: request.signal });
    } catch (error) {
      throw toModelError(error, { ...context, phase: 'stream' });
    }
  }

  private params(request: GenerateRequest) {
    return toMessageCreateParams(request, { model: this.model, defaultMaxOutputTokens: this.defaultMaxOutputTokens });
  }

  private requestOptions(signal: AbortSignal | undefined) {
    return { maxRetries: 0, timeout: this.timeoutMs ?? DEFAULT_TIMEOUT_MS, ...(signal ? { signal } : {}) };
  }

  private errorContext(signal: AbortSignal | undefined, phase: 'request' | 'stream'): AnthropicErrorContext {
    return { model: this.model, baseURL: this.baseURL, signal, timeoutMs: this.timeoutMs, phase };
  }

  private createClient(apiKey: string | undefined): Anthropic {
    const key = apiKey ?? process.env['ANTHROPIC_API_KEY'];
    if (!key) {
      throw new ModelError({
        provider: 'anthropic',
        kind: 'auth',
        retryable: false,
        message: 'No Anthropic API key: set ANTHROPIC_API_KEY or pass anthropic({ apiKey }).',
      });
    }
    return new Anthropic({ apiKey: key, baseURL: this.baseURL, maxRetries: 0, timeout: this.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  }
}

/**
 * Creates an {@link AnthropicProvider}: `anthropic({ model: 'claude-sonnet-4-6' })`.
 * @throws as the {@link AnthropicProvider} constructor.
 */
export function anthropic(options: AnthropicProviderOptions): AnthropicProvider {
  return new AnthropicProvider(options);
}

function checkedBaseURL(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(url.protocol);
  } catch {
    throw new InvalidArgumentError(`baseURL must be an http(s) URL such as https://api.anthropic.com; got "${baseURL}".`);
  }
  // The client appends `/v1/messages` itself.
  return baseURL.replace(/\/+$/, '');
}
