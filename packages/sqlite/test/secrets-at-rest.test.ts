import type { RunState } from '@claw/core';
import { describe, expect, it } from 'vitest';
import { openTempDatabase } from './temp-database';

const KEY = 'a host secret of at least thirty-two bytes';

function state(): RunState {
  return {
    version: 2,
    runId: 'run-secret',
    principal: { id: 'priya' },
    trigger: 'user',
    environment: 'production',
    messages: [{ role: 'user', content: 'rotate sk_live_51HxQpLKj2vY8aBcDeFg, the db is postgres://app:hunter2pass@db:5432/app' }],
    step: 1,
    pending: [],
    usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0, records: 0 } as unknown as RunState['usage'],
    actions: [],
    toolNames: [],
    suspendedAt: 1,
  };
}

describe('secrets at rest in the SQLite stores', () => {
  it('seals the secrets of a saved run state with the key and gives the state back exactly', async () => {
    const { db, close } = openTempDatabase({ key: KEY });
    try {
      await db.runStates.save(state());
      const raw = db.database.prepare('SELECT state FROM run_states').pluck().get() as string;
      expect(raw).not.toMatch(/sk_live_|hunter2pass/);
      expect(await db.runStates.load('run-secret')).toEqual(state());
    } finally {
      await close();
    }
  });

  it('redacts them when no key is given', async () => {
    const { db, close } = openTempDatabase();
    try {
      await db.runStates.save(state());
      const raw = db.database.prepare('SELECT state FROM run_states').pluck().get() as string;
      expect(raw).not.toMatch(/sk_live_|hunter2pass/);
      expect((await db.runStates.load('run-secret'))!.messages[0]).toMatchObject({ content: expect.stringContaining('[REDACTED]') });
    } finally {
      await close();
    }
  });

  it('refuses a key shorter than 32 bytes before touching the file', () => {
    expect(() => openTempDatabase({ key: 'too short' })).toThrow(/at least 32 bytes/);
  });
});
