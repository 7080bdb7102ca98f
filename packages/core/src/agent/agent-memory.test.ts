import { describe, expect, it } from 'vitest';
import { InMemoryUsageLedger } from '../metering/in-memory-usage-ledger';
import { Meter } from '../metering/meter';
import { InMemoryMemoryStore } from '../memory/in-memory-memory-store';
import { ScriptedModel } from '../testing/scripted-model';
import { Agent } from './agent';

describe('Agent with memory', () => {
  it('recalls relevant memories into the prompt, meters them as memory, and writes an episode after the run', async () => {
    const store = new InMemoryMemoryStore();
    await store.remember({ text: 'Priya deploys the billing service on Tuesdays.', kind: 'fact', scope: 'principal:priya', source: { trust: 'agent' } });
    await store.remember({ text: 'Sam likes long reports.', kind: 'preference', scope: 'principal:sam', source: { trust: 'user' } });
    const ledger = new InMemoryUsageLedger();
    const model = new ScriptedModel([{ text: 'Billing deploys happen on Tuesdays.' }]);
    const agent = new Agent({ model, principal: { id: 'priya' }, memory: { store, maxTokens: 200 }, meter: new Meter({ ledger }) });
    const result = await agent.run('When does billing deploy?');

    const memoryMessage = model.requests[0]!.messages.find((m) => m.role === 'system' && m.part === 'memory');
    expect(memoryMessage?.content).toContain('Priya deploys the billing service on Tuesdays.');
    expect(memoryMessage?.content).not.toContain('Sam likes long reports.');
    const [record] = await ledger.query({ runId: result.runId });
    expect(record!.estimate.memory).toBeGreaterThan(0);

    const episodes = await store.list(['principal:priya'], { kinds: ['episode'] });
    expect(episodes).toHaveLength(1);
    expect(episodes[0]!.text).toContain('When does billing deploy?');
    expect(episodes[0]!.source).toMatchObject({ runId: result.runId, trust: 'agent' });
  });

  it('offers memory tools only when their scopes are granted', async () => {
    const store = new InMemoryMemoryStore();
    const model = new ScriptedModel([{ text: 'ok' }, { text: 'ok' }]);
    await new Agent({ model, principal: { id: 'priya' }, memory: store }).run('hi');
    await new Agent({ model, principal: { id: 'priya' }, memory: store, grants: ['memory:read'] }).run('hi');
    expect(model.requests.map((r) => r.tools.map((t) => t.name))).toEqual([[], ['memory_search']]);
  });
});
