import type { RunState, RunStateStore } from './run-state';

/** A `RunStateStore` in process memory (states are deep-copied in and out, as a durable store would). */
export class InMemoryRunStateStore implements RunStateStore {
  private readonly states = new Map<string, string>();

  async save(state: RunState): Promise<void> {
    this.states.set(state.runId, JSON.stringify(state));
  }

  async load(runId: string): Promise<RunState | undefined> {
    const json = this.states.get(runId);
    return json === undefined ? undefined : (JSON.parse(json) as RunState);
  }

  async delete(runId: string): Promise<void> {
    this.states.delete(runId);
  }
}
