import type { UsageRecord } from './usage-record';

type OtelApi = typeof import('@opentelemetry/api');

let loading: Promise<OtelApi | null> | undefined;
let loaded: OtelApi | null | undefined;

/** Loads `@opentelemetry/api` once if it is installed; null otherwise (telemetry is then a no-op). */
async function loadOtel(): Promise<OtelApi | null> {
  // Under ESM the namespace has everything; under CJS interop the module may arrive as `default`.
  loading ??= import('@opentelemetry/api')
    .then((m) => ('SpanKind' in m ? m : (m as unknown as { default: OtelApi }).default) as OtelApi)
    .catch(() => null);
  loaded = await loading;
  return loaded;
}

let noopTracerProvider: unknown;

/**
 * True when an OpenTelemetry SDK is registered for traces or metrics. Without one the API is a no-op, and building
 * attributes and spans for it would only cost time on every model call.
 */
function sdkRegistered(otel: OtelApi): boolean {
  noopTracerProvider ??= new otel.ProxyTracerProvider().getDelegate();
  const tracing = (otel.trace.getTracerProvider() as { getDelegate?: () => unknown }).getDelegate?.() !== noopTracerProvider;
  const metering = otel.metrics.getMeterProvider().constructor.name !== 'NoopMeterProvider';
  return tracing || metering;
}

/**
 * Emits one OpenTelemetry span (`chat <model>`) and token-usage histogram points per usage record, with the GenAI
 * semantic conventions (`gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`, ...) plus `claw.*` attributes
 * for attribution. Does nothing unless `@opentelemetry/api` is installed and an SDK is registered.
 */
export async function exportUsageTelemetry(record: UsageRecord): Promise<void> {
  const otel = loaded === undefined ? await loadOtel() : loaded;
  if (!otel || !sdkRegistered(otel)) return;
  const attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.system': record.provider,
    'gen_ai.request.model': record.model,
    'gen_ai.usage.input_tokens': record.inputTokens,
    'gen_ai.usage.output_tokens': record.outputTokens,
    'claw.usage.source': record.source,
    'claw.usage.formula_version': record.formulaVersion,
    'claw.usage.cost_usd': record.costUsd,
    'claw.run.id': record.runId,
    'claw.run.step': record.step,
    'claw.call.attempt': record.attempt,
    'claw.call.status': record.status,
    'claw.principal.id': record.principalId,
    'claw.trigger': record.trigger,
    'claw.skills': record.skills.join(','),
  };
  const tracer = otel.trace.getTracer('@claw/core');
  const span = tracer.startSpan(`chat ${record.model}`, { kind: otel.SpanKind.CLIENT, startTime: record.at, attributes });
  if (record.status !== 'ok') span.setStatus({ code: otel.SpanStatusCode.ERROR, message: record.errorCode ?? record.status });
  span.end();
  const histogram = otel.metrics.getMeter('@claw/core').createHistogram('gen_ai.client.token.usage', { unit: '{token}', description: 'Tokens used per model call' });
  const common = { 'gen_ai.operation.name': 'chat', 'gen_ai.system': record.provider, 'gen_ai.request.model': record.model, 'claw.usage.source': record.source };
  histogram.record(record.inputTokens, { ...common, 'gen_ai.token.type': 'input' });
  histogram.record(record.outputTokens, { ...common, 'gen_ai.token.type': 'output' });
}
