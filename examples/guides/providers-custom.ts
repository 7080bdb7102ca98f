/**
 * docs/providers.md: a provider of your own — here for an in-house gateway speaking a small JSON protocol. It makes
 * one attempt per call and turns every failure into a classified ModelError; the agent retries and meters.
 */
import {
  ModelError,
  parseRetryAfter,
  type GenerateRequest,
  type GenerateResponse,
  type ModelErrorKind,
  type ModelProvider,
} from '@claw/core';

/** What the gateway answers to `POST /v1/generate`. */
interface GatewayAnswer {
  text: string;
  tool_calls: { id: string; name: string; arguments: string }[];
  stop: 'end' | 'tools' | 'length';
  usage?: { input_tokens: number; output_tokens: number };
}

export class GatewayModel implements ModelProvider {
  readonly provider = 'acme-gateway';

  constructor(
    readonly model: string,
    private readonly baseURL: string,
  ) {}

  async generate(request: GenerateRequest): Promise<GenerateResponse> {
    let response: Response;
    try {
      response = await fetch(`${this.baseURL}/v1/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: this.model, messages: request.messages, tools: request.tools, max_output_tokens: request.maxOutputTokens }),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } catch (cause) {
      const aborted = request.signal?.aborted === true;
      throw new ModelError({ provider: this.provider, kind: aborted ? 'aborted' : 'connection', message: `The gateway at ${this.baseURL} could not be reached.`, cause });
    }
    if (!response.ok) {
      const kind: ModelErrorKind = response.status === 429 ? 'rate_limit' : response.status >= 500 ? 'server' : response.status === 401 ? 'auth' : 'bad_request';
      const retryAfterMs = parseRetryAfter(response.headers);
      throw new ModelError({
        provider: this.provider,
        kind,
        status: response.status,
        message: `The gateway answered ${response.status}: ${await response.text()}`,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
    const answer = (await response.json()) as GatewayAnswer;
    return {
      text: answer.text,
      toolCalls: answer.tool_calls.map((call) => parseToolCall(call)),
      finishReason: answer.stop === 'tools' ? 'tool_calls' : answer.stop === 'length' ? 'length' : 'stop',
      ...(answer.usage ? { usage: { inputTokens: answer.usage.input_tokens, outputTokens: answer.usage.output_tokens } } : {}),
      model: this.model,
    };
  }
}

/** Arguments that are not JSON become a call the agent returns to the model as a correctable error. */
function parseToolCall(call: GatewayAnswer['tool_calls'][number]): GenerateResponse['toolCalls'][number] {
  try {
    return { id: call.id, name: call.name, input: JSON.parse(call.arguments) };
  } catch (error) {
    return { id: call.id, name: call.name, input: undefined, inputText: call.arguments, parseError: (error as Error).message };
  }
}
