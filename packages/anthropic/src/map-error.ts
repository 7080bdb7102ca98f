import { ModelError, type ModelErrorKind } from '@claw/core';
import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { parseRetryAfter } from '@claw/core';

/** What the error mapper needs to know to write a message that says what to do. */
export interface AnthropicErrorContext {
  model: string;
  baseURL: string;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  /** `stream` when the failure happened while reading a streamed answer (after the response started). */
  phase?: 'request' | 'stream';
}

type ErrorExtras = Partial<ConstructorParameters<typeof ModelError>[0]>;

// undici reports a connection that dies mid-body as `TypeError: terminated` with a socket error as its cause.
const CONNECTION_FAILURE = /terminated|other side closed|socket|ECONNRESET|ECONNREFUSED|EPIPE|network|UND_ERR/i;

/**
 * Classifies anything the Anthropic client (or a stream read) threw as a {@link ModelError}: one kind per way a
 * call can fail, `retryable` for the agent's backoff, the server's Retry-After and `request-id` when it sent them.
 * Never throws; an unrecognised error becomes kind `invalid_response` with the original as `cause`.
 */
export function toModelError(error: unknown, context: AnthropicErrorContext): ModelError {
  if (error instanceof ModelError) return error;
  const make = (kind: ModelErrorKind, message: string, extra: ErrorExtras = {}) =>
    new ModelError({ provider: 'anthropic', kind, message, cause: error, ...extra });

  // The caller's signal decides, whatever shape the SDK gave the resulting error.
  if (context.signal?.aborted || error instanceof APIUserAbortError) {
    return make('aborted', `The Anthropic call for model "${context.model}" was aborted by its AbortSignal.`);
  }
  if (error instanceof APIConnectionTimeoutError) {
    const limit = context.timeoutMs !== undefined ? ` within ${context.timeoutMs} ms` : ' in time';
    return make('timeout', `Anthropic did not answer${limit}. Retry, or raise the provider's timeoutMs for long answers.`);
  }
  if (error instanceof APIConnectionError) {
    return make('connection', `Could not reach ${context.baseURL} (${detail(error)}). Check the network and proxy settings.`);
  }
  if (error instanceof APIError) return fromStatus(error, context, make);
  if (error instanceof AnthropicError) {
    // Raised by the client itself before sending, e.g. options it refuses.
    return make('bad_request', `The Anthropic client refused the request: ${error.message}`, { retryable: false });
  }
  if (error instanceof SyntaxError) {
    return make('invalid_response', `Anthropic sent a response that is not valid JSON (${error.message}). Check that baseURL points at the Messages API.`);
  }
  if (error instanceof Error && CONNECTION_FAILURE.test(`${error.message} ${detail(error.cause)}`)) {
    const when = context.phase === 'stream' ? ' before the answer finished' : '';
    return make('connection', `The connection to ${context.baseURL} dropped${when} (${detail(error)}). Retrying usually helps.`);
  }
  return make('invalid_response', `The Anthropic call failed unexpectedly: ${detail(error)}.`, { retryable: false });
}

function fromStatus(error: APIError, context: AnthropicErrorContext, make: (kind: ModelErrorKind, message: string, extra?: ErrorExtras) => ModelError): ModelError {
  const status = error.status;
  const requestId = error.requestID ?? undefined;
  const retryAfterMs = parseRetryAfter(error.headers);
  const shouldRetry = error.headers?.get('x-should-retry');
  const extra: ErrorExtras = {
    ...(status !== undefined ? { status } : {}),
    ...(requestId ? { requestId } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    // The server may say explicitly whether another attempt can help; the SDK obeys this header, so do we.
    ...(shouldRetry === 'true' ? { retryable: true } : shouldRetry === 'false' ? { retryable: false } : {}),
  };
  const said = error.apiMessage ?? error.message;
  const type = error.type ?? '';

  if (status === 401 || type === 'authentication_error') {
    return make('auth', `Anthropic rejected the API key (${status ?? type}: ${said}). Check ANTHROPIC_API_KEY (or the apiKey option).`, { ...extra, retryable: false });
  }
  if (status === 402 || type === 'billing_error') {
    return make('auth', `Anthropic refused the call for billing reasons (${status ?? type}: ${said}). Check the account's credit and plan; retrying will not help.`, { ...extra, retryable: false });
  }
  if (status === 403 || type === 'permission_error') {
    return make('auth', `Anthropic refused access to model "${context.model}" (${status ?? type}: ${said}). Check that this key's workspace may use the model.`, { ...extra, retryable: false });
  }
  if (status === 429 || type === 'rate_limit_error') {
    const wait = retryAfterMs !== undefined ? ` The server asked to wait ${retryAfterMs} ms.` : '';
    return make('rate_limit', `Anthropic rate-limited this call (${status ?? type}: ${said}).${wait} Retry after the pause, or lower the request rate.`, extra);
  }
  if (status === 404 || type === 'not_found_error') {
    return make('not_found', `Anthropic does not know model "${context.model}" (${status ?? type}: ${said}). Check the model name, e.g. claude-sonnet-4-6.`, extra);
  }
  if (status === 408 || status === 504 || type === 'timeout_error') {
    return make('timeout', `Anthropic timed out the request (${status ?? type}: ${said}). Retry, or stream long answers.`, { retryable: true, ...extra });
  }
  if (status === 409 || type === 'conflict_error') return make('server', `Anthropic reported a conflict (${status ?? type}: ${said}). This is transient; retry.`, { retryable: true, ...extra });
  if (status === undefined && type !== 'invalid_request_error') {
    // An error event inside a 200 stream (`overloaded_error`, `api_error`): the answer broke off server-side.
    return make('server', `Anthropic failed while streaming the answer (${type || 'error'}: ${said}). This is usually temporary; retry.`, extra);
  }
  if (status !== undefined && status >= 500) {
    const what = status === 529 || type === 'overloaded_error' ? 'is overloaded' : 'failed';
    return make('server', `Anthropic ${what} (${status}: ${said}). This is usually temporary; retry.`, extra);
  }
  const hint = /prompt is too long|context/i.test(said) ? ' Shorten the history or lower maxOutputTokens.' : ' Check the model name, tool schemas and messages; retrying will not help.';
  return make('bad_request', `Anthropic rejected the request (${status ?? type}: ${said}).${hint}`, extra);
}

function detail(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
