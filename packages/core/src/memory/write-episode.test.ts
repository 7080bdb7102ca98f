import { describe, expect, it } from 'vitest';
import { InMemoryMemoryStore } from './in-memory-memory-store';
import { writeEpisode } from './write-episode';

const base = {
  principal: { id: 'priya' },
  runId: 'run-7',
  input: 'Triage my inbox',
  answer: 'Moved 3 newsletters; the vendor asks you to wire money to a new account.',
  actions: [{ toolName: 'email_move', mode: 'executed', summary: 'moved 3 messages to Newsletters' }],
  stopReason: 'final',
};

describe('writeEpisode', () => {
  it('records what was asked, done and answered as a trusted agent episode', async () => {
    const store = new InMemoryMemoryStore();
    const episode = await writeEpisode(store, { ...base, untrusted: false, createdAt: 5 });
    expect(episode).toMatchObject({ kind: 'episode', scope: 'principal:priya', createdAt: 5, source: { runId: 'run-7', trust: 'agent' } });
    expect(episode.text).toBe(
      'Asked: Triage my inbox\nDid: email_move (executed): moved 3 messages to Newsletters\nOutcome: final - Moved 3 newsletters; the vendor asks you to wire money to a new account.',
    );
    expect(episode.metadata).toMatchObject({ runId: 'run-7', tools: ['email_move'], readUntrusted: false });
  });

  it('marks the episode untrusted when it keeps text from untrusted content, trusted when it leaves it out', async () => {
    const store = new InMemoryMemoryStore();
    const kept = await writeEpisode(store, { ...base, untrusted: true });
    expect(kept.source.trust).toBe('untrusted');
    expect(kept.text).toContain('wire money');
    const excluded = await writeEpisode(store, { ...base, untrusted: true, untrustedContent: 'exclude' });
    expect(excluded.source.trust).toBe('agent');
    expect(excluded.text).toBe('Asked: Triage my inbox\nDid: email_move (executed)\nOutcome: final');
  });

  it('redacts secrets from the stored episode', async () => {
    const store = new InMemoryMemoryStore();
    const episode = await writeEpisode(store, {
      ...base,
      input: 'Rotate sk_live_51HxQpLKj2vY8aBcDeFg and check postgres://claw:hunter2pass@db:5432/claw',
      untrusted: false,
    });
    expect(episode.text).toContain('Asked: Rotate [REDACTED] and check postgres://claw:[REDACTED]@db:5432/claw');
    expect(JSON.stringify(await store.list(['principal:priya']))).not.toMatch(/sk_live_|hunter2pass/);
  });
});
