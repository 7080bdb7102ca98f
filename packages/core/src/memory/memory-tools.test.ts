import { describe, expect, it } from 'vitest';
import type { Principal } from '../policy/principal';
import type { Tool, ToolContext } from '../tools/define-tool';
import { InMemoryMemoryStore } from './in-memory-memory-store';
import { memoryTools } from './memory-tools';

const context = (principal: Principal): ToolContext => ({
  signal: new AbortController().signal,
  principal,
  environment: 'production',
  runId: 'run-1',
  toolCallId: 'call-1',
  trigger: 'user',
  alert: () => {},
});

function tools(store: InMemoryMemoryStore): { search: Tool; save: Tool } {
  const [search, save] = memoryTools(store);
  return { search: search!, save: save! };
}

describe('memoryTools', () => {
  it('declares memory_search (memory:read, read) and memory_save (memory:write, write, with a preview)', () => {
    const { search, save } = tools(new InMemoryMemoryStore());
    expect(search).toMatchObject({ name: 'memory_search', scopes: ['memory:read'], effect: 'read', untrustedOutput: true });
    expect(save).toMatchObject({ name: 'memory_save', scopes: ['memory:write'], effect: 'write' });
    expect(typeof save.preview).toBe('function');
  });

  it('saves into the calling principal\'s scope as agent content and searches only what that principal may see', async () => {
    const store = new InMemoryMemoryStore();
    const { search, save } = tools(store);
    const priya = context({ id: 'priya', team: 'platform' });
    const raj = context({ id: 'raj' });
    const saved = await save.execute(save.input.parse({ text: 'Priya wants incident summaries in Slack', kind: 'preference' }), priya);
    expect(saved).toEqual({ saved: true, id: expect.any(String) });
    expect(await store.get(saved.id, ['principal:priya'])).toMatchObject({
      kind: 'preference',
      source: { runId: 'run-1', tool: 'memory_save', trust: 'agent' },
    });
    await save.execute(save.input.parse({ text: 'Raj wants incident summaries by email', kind: 'preference' }), raj);
    const found = await search.execute(search.input.parse({ query: 'incident summaries' }), priya);
    expect(found.memories.map((m: { text: string }) => m.text)).toEqual(['Priya wants incident summaries in Slack']);
    expect(found.memories[0]).toMatchObject({ kind: 'preference', trust: 'agent', id: saved.id });
  });

  it('does not save a near-duplicate, and its preview says so without writing', async () => {
    const store = new InMemoryMemoryStore();
    const { save } = tools(store);
    const priya = context({ id: 'priya' });
    const first = await save.execute(save.input.parse({ text: 'Priya prefers short summaries.', kind: 'preference' }), priya);
    const preview = await save.preview!(save.input.parse({ text: 'Priya prefers SHORT summary', kind: 'preference' }), priya);
    expect(preview.summary).toMatch(/would not save: already remembered/);
    const fresh = await save.preview!(save.input.parse({ text: 'Priya works from Lisbon', kind: 'fact' }), priya);
    expect(fresh.summary).toBe('would remember a fact for priya: "Priya works from Lisbon"');
    expect(await store.list(['principal:priya'])).toHaveLength(1);
    const again = await save.execute(save.input.parse({ text: 'Priya prefers SHORT summary', kind: 'preference' }), priya);
    expect(again).toEqual({ saved: false, duplicateOf: first.id, text: 'Priya prefers short summaries.' });
    expect(await store.list(['principal:priya'])).toHaveLength(1);
  });

  it('rejects input outside the schema (episodes cannot be saved as facts)', () => {
    const { save } = tools(new InMemoryMemoryStore());
    expect(save.input.safeParse({ text: 'x', kind: 'episode' }).success).toBe(false);
    expect(save.input.safeParse({ text: '   ', kind: 'fact' }).success).toBe(false);
  });
});
