import { trace, type Span, type SpanOptions, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { ScriptedModel } from '../testing/scripted-model';
import { Meter } from './meter';

describe('OpenTelemetry export', () => {
  const spans: { name: string; options: SpanOptions; ended: boolean }[] = [];
  const provider: TracerProvider = {
    getTracer: (): Tracer =>
      ({
        startSpan(name: string, options: SpanOptions = {}) {
          const entry = { name, options, ended: false };
          spans.push(entry);
          return { setStatus: () => undefined, end: () => { entry.ended = true; } } as unknown as Span;
        },
      }) as unknown as Tracer,
  };
  trace.setGlobalTracerProvider(provider);
  afterAll(() => trace.disable());

  it('emits one span per model call with the GenAI semantic-convention usage attributes', async () => {
    const model = new ScriptedModel([{ text: 'hi', usage: { inputTokens: 42, outputTokens: 7 } }]);
    await new Meter().generate(model, { messages: [{ role: 'user', content: 'hello' }], tools: [] }, { runId: 'r', step: 1, attempt: 1, principal: { id: 'p' }, trigger: 'user', skills: [] });
    expect(spans).toHaveLength(1);
    expect(spans[0]!.name).toBe('chat gpt-4o-mini');
    expect(spans[0]!.ended).toBe(true);
    expect(spans[0]!.options.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 42,
      'gen_ai.usage.output_tokens': 7,
      'gen_ai.request.model': 'gpt-4o-mini',
      'claw.usage.source': 'reported',
      'claw.principal.id': 'p',
    });
  });
});
