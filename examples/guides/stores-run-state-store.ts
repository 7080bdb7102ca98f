/**
 * docs/stores.md: a store of your own. Suspended runs kept in any key-value service (Redis, DynamoDB, a cache)
 * that can get, set with an expiry, and delete a string.
 */
import type { RunState, RunStateStore } from '@claw/core';

/** The three calls the store needs from your key-value client. */
export interface KeyValue {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export class KeyValueRunStateStore implements RunStateStore {
  constructor(
    private readonly kv: KeyValue,
    private readonly ttlMs = 7 * 86_400_000, // a run nobody approves within a week is dropped
  ) {}

  async save(state: RunState): Promise<void> {
    await this.kv.set(`claw:run:${state.runId}`, JSON.stringify(state), this.ttlMs);
  }

  async load(runId: string): Promise<RunState | undefined> {
    const json = await this.kv.get(`claw:run:${runId}`);
    return json === undefined ? undefined : (JSON.parse(json) as RunState);
  }

  async delete(runId: string): Promise<void> {
    await this.kv.delete(`claw:run:${runId}`);
  }
}
