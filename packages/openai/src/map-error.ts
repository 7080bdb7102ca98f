import { ModelError, type ModelErrorKind } from '@claw/core';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { parseRetryAfter } from '@claw/core';

/** What the error mapper needs to know to write a message that says what to do. */
export interface OpenAIErrorContext {
  provider: 'openai' | 'openai-compatible';
  model: string;
  baseURL: string;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  /** `stream` when the failure happened while reading a streamed answer (after the response started). */
  phase?: 'request' | 'stream';
}

// undici reports a connection that dies mid-body as `TypeError: terminated` with a socket error as its cause.
const CONNECTION_FAILURE = /terminated|other side closed|socket|ECONNRESET|ECONNREFUSED|EPIPE|network|UND_ERR/i;

/**
 * Classifies anything the OpenAI client (or a stream read) threw as a {@link ModelError}: one kind per way a call
 * can fail, `retryable` for the agent's backoff, the server's Retry-After and request id when it sent them.
 * Never throws; an unrecognised error becomes kind `invalid_response` with the original as `cause`.
 */
export function toModelError(error: unknown, context: OpenAIErrorContext): ModelError {
  if (error instanceof ModelError) return error;
  const who = context.provider === 'openai' ? 'OpenAI' : `The OpenAI-compatible server at ${context.baseURL}`;
  const make = (kind: ModelErrorKind, message: string, extra: Partial<ConstructorParameters<typeof ModelError>[0]> = {}) =>
    new ModelError({ provider: context.provider, kind, message, cause: error, ...extra });

  // The caller's signal decides, whatever shape the SDK gave the resulting error.
  if (context.signal?.aborted || error instanceof APIUserAbortError) {
    return make('aborted', `The ${context.provider} call for model "${context.model}" was aborted by its AbortSignal.`);
  }
  if (error instanceof APIConnectionTimeoutError) {
    const limit = context.timeoutMs !== undefined ? ` within ${context.timeoutMs} ms` : ' in time';
    return make('timeout', `${who} did not answer${limit}. Retry, or raise the provider's timeoutMs for long answers.`);
  }
  if (error instanceof APIConnectionError) {
    return make('connection', `Could not reach ${context.baseURL} (${detail(error)}). Check the network and that the server is running.`);
  }
  if (error instanceof APIError) return fromStatus(error, context, who, make);
  if (error instanceof SyntaxError) {
    return make('invalid_response', `${who} sent a response that is not valid JSON (${error.message}). Check that the base URL points at a Chat Completions endpoint.`);
  }
  if (error instanceof Error && CONNECTION_FAILURE.test(`${error.message} ${detail(error.cause)}`)) {
    const when = context.phase === 'stream' ? ' before the answer finished' : '';
    return make('connection', `The connection to ${context.baseURL} dropped${when} (${detail(error)}). Retrying usually helps.`);
  }
  return make('invalid_response', `The ${context.provider} call failed unexpectedly: ${detail(error)}.`, { retryable: false });
}

function fromStatus(
  error: APIError,
  context: OpenAIErrorContext,
  who: string,
  make: (kind: ModelErrorKind, message: string, extra?: Partial<ConstructorParameters<typeof ModelError>[0]>) => ModelError,
): ModelError {
  const status = error.status;
  const requestId = error.requestID ?? undefined;
  const retryAfterMs = parseRetryAfter(error.headers);
  const shouldRetry = error.headers?.get('x-should-retry');
  const extra = {
    ...(status !== undefined ? { status } : {}),
    ...(requestId ? { requestId } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    // The server may say explicitly whether another attempt can help; the SDK obeys this header, so do we.
    ...(shouldRetry === 'true' ? { retryable: true } : shouldRetry === 'false' ? { retryable: false } : {}),
  };
  const said = apiMessage(error);
  const keyHint = context.provider === 'openai' ? 'Check OPENAI_API_KEY (or the apiKey option).' : 'Pass the key the server was started with as apiKey (vLLM: --api-key, llama.cpp: --api-key).';

  if (status === undefined) {
    // An error event inside a stream: the HTTP status was 200, the body names the failure.
    const type = `${error.type ?? ''} ${error.code ?? ''}`;
    if (/rate_limit/.test(type)) return make('rate_limit', `${who} rate-limited the answer mid-stream (${said}). Retry after a pause.`, extra);
    if (/invalid_request/.test(type)) return make('bad_request', `${who} rejected the request mid-stream (${said}). Fix the request; retrying will not help.`, extra);
    return make('server', `${who} failed while streaming the answer (${said}). This is usually temporary; retry.`, extra);
  }
  if (status === 401) return make('auth', `${who} rejected the credentials (401: ${said}). ${keyHint}`, { ...extra, retryable: false });
  if (status === 403) {
    return make('auth', `${who} refused access to model "${context.model}" (403: ${said}). Check that this key or project may use the model.`, { ...extra, retryable: false });
  }
  if (status === 429) {
    if (error.code === 'insufficient_quota') {
      return make('rate_limit', `${who} says the quota is used up (429: ${said}). Add credit or raise the limit in the OpenAI dashboard; retrying will not help.`, { ...extra, retryable: false });
    }
    const wait = retryAfterMs !== undefined ? ` The server asked to wait ${retryAfterMs} ms.` : '';
    return make('rate_limit', `${who} rate-limited this call (429: ${said}).${wait} Retry after the pause, or lower the request rate.`, extra);
  }
  if (status === 404) {
    const hint = context.provider === 'openai' ? '' : ' (Ollama: `ollama pull <model>` first; all servers: baseURL must end in /v1)';
    return make('not_found', `${who} does not know model "${context.model}" (404: ${said}). Check the model name${hint}.`, extra);
  }
  if (status === 408) return make('timeout', `${who} timed out the request (408: ${said}). Retry.`, extra);
  if (status === 409) return make('server', `${who} reported a conflict (409: ${said}). This is transient; retry.`, extra);
  if (status >= 500) return make('server', `${who} failed (${status}: ${said}). This is usually temporary; retry.`, extra);
  if (error.code === 'context_length_exceeded') {
    return make('bad_request', `The conversation does not fit model "${context.model}"'s context window (${status}: ${said}). Shorten the history or lower maxOutputTokens.`, extra);
  }
  return make('bad_request', `${who} rejected the request (${status}: ${said}). Check the model name, tool schemas and messages; retrying will not help.`, extra);
}

function apiMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : error.message;
}

function detail(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
