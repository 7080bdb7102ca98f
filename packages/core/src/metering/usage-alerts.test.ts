import { describe, expect, it } from 'vitest';
import { Agent } from '../agent/agent';
import type { GenerateRequest, GenerateResponse, ModelProvider, ModelStreamEvent } from '../model/model-provider';
import type { Alert } from '../policy/alert';
import { ScriptedModel } from '../testing/scripted-model';
import { InMemoryUsageLedger } from './in-memory-usage-ledger';
import { Meter } from './meter';

const principal = { id: 'priya' };

describe('usage alerts and aborts in a run', () => {
  it('raises an alert when a call counts more than was reserved for it', async () => {
    const model = new ScriptedModel([{ text: 'A long answer.', usage: { inputTokens: 200, outputTokens: 5_000 } }]);
    const agent = new Agent({ model, principal, meter: new Meter({ telemetry: false }), budget: { maxTokens: 100_000, maxSteps: 2 } });
    const alerts: Alert[] = [];
    agent.on('alert', (alert) => alerts.push(alert));
    await agent.run('Summarise the incident report');
    const result = alerts.filter((a) => a.kind === 'usage-over-reservation');
    // With the default output limit of 4096 a 5,000-token report is over it: an over-report, alerted.
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ severity: 'warning', principalId: 'priya', details: { countedTokens: 5_200 } });
  });

  it('records a stalled stream that the signal ended as ABORTED, not MODEL_ERROR', async () => {
    // Streams one delta, then waits for more until the signal fires, then just stops (as some SDKs do on abort).
    const stalled: ModelProvider = {
      provider: 'stalled',
      model: 'gpt-4o-mini',
      generate: (): Promise<GenerateResponse> => Promise.reject(new Error('streaming only')),
      async *stream(request: GenerateRequest): AsyncIterable<ModelStreamEvent> {
        yield { type: 'text-delta', text: 'Working on it' };
        await new Promise((resolve) => request.signal!.addEventListener('abort', resolve, { once: true }));
      },
    };
    const ledger = new InMemoryUsageLedger();
    const agent = new Agent({ model: stalled, principal, meter: new Meter({ ledger, telemetry: false }) });
    const controller = new AbortController();
    const stream = agent.stream('Summarise the incident report', { signal: controller.signal });
    try {
      for await (const event of stream) if (event.type === 'text:delta') controller.abort();
    } catch {
      // An aborted run may end by throwing or by returning; either way its record is what is checked.
    }
    const records = await ledger.query({});
    expect(records.map((r) => [r.status, r.errorCode])).toEqual([['aborted', 'ABORTED']]);
  });
});
