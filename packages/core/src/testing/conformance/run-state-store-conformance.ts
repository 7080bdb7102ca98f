import { describe, expect, it } from 'vitest';
import { type RunState, type RunStateStore } from '@claw/core';
import { withStore, type StoreFactory } from './store-handle';

const T = 1_800_000_000_000;

/**
 * A suspended run with every optional part filled in, so a store that drops a field is caught. Asserted rather
 * than annotated so the suite keeps compiling while RunState gains fields; the store must round-trip them all.
 */
function runState(runId: string): RunState {
  return ({
    version: 2,
    runId,
    principal: { id: 'priya', managerId: 'raj', team: 'platform', displayName: 'Priya' },
    trigger: 'user',
    environment: 'production',
    messages: [
      { role: 'system', content: 'You triage email. Unicode survives: naïve café ✓ 🚀', trust: 'trusted', source: 'operator' },
      { role: 'user', content: 'Archive the newsletters', trust: 'trusted', source: 'user' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'call_1', name: 'email_search', input: { query: 'newsletter' } },
          { id: 'call_2', name: 'email_move', input: { ids: [1, 2, 3], to: 'Archive' } },
        ],
      },
    ],
    step: 1,
    pending: [
      { call: { id: 'call_1', name: 'email_search', input: { query: 'newsletter' } }, status: 'done', result: { content: '3 messages', isError: false, untrusted: true } },
      {
        call: { id: 'call_2', name: 'email_move', input: { ids: [1, 2, 3], to: 'Archive' } },
        status: 'awaiting_approval',
        request: {
          id: 'req-1', runId, toolCallId: 'call_2', toolName: 'email_move', effect: 'write', environment: 'production',
          principal: { id: 'priya', managerId: 'raj' }, input: { ids: [1, 2, 3], to: 'Archive' }, inputHash: 'e'.repeat(64),
          preview: { summary: 'Move 3 messages to Archive' }, reason: 'write effect', requestedAt: T, expiresAt: T + 60_000, approversRequired: 2,
        },
      },
    ],
    usage: { calls: 1, inputTokens: 812, outputTokens: 40, totalTokens: 852, costUsd: 0.000146, reportedCalls: 1, estimatedCalls: 0, failedCalls: 0 },
    actions: [{ toolCallId: 'call_0', toolName: 'email_label', input: { id: 7, label: 'seen' }, mode: 'performed', summary: 'labelled', at: T - 5 }],
    toolNames: ['email_search', 'email_move', 'email_label'],
    suspendedAt: T,
  }) as RunState;
}

/**
 * Registers the {@link RunStateStore} conformance tests: a full suspended run survives save and load as JSON,
 * saving again replaces it, delete removes it.
 * @param factory returns a fresh, empty run-state store per test
 */
export function describeRunStateStoreConformance(name: string, factory: StoreFactory<RunStateStore>): void {
  const test = (title: string, body: (store: RunStateStore) => Promise<void>) =>
    it(title, () => withStore(factory, ({ store }) => body(store)));

  describe(`RunStateStore conformance: ${name}`, () => {
    test('a saved run state loads back equal, and unknown runs load as undefined', async (store) => {
      const state = runState('run-1');
      await store.save(state);
      await store.save(runState('run-2'));
      expect(await store.load('run-1')).toEqual(state);
      expect(await store.load('run-3')).toBeUndefined();
    });

    test('the loaded state is a copy: mutating it or the saved object does not change the store', async (store) => {
      const state = runState('run-1');
      await store.save(state);
      state.step = 99;
      const loaded = await store.load('run-1');
      loaded!.messages.length = 0;
      expect(await store.load('run-1')).toEqual(runState('run-1'));
    });

    test('saving again replaces the state', async (store) => {
      await store.save(runState('run-1'));
      const next = { ...runState('run-1'), step: 2, pending: [] };
      await store.save(next);
      expect(await store.load('run-1')).toEqual(next);
    });

    test('delete removes only that run and ignores unknown ids', async (store) => {
      await store.save(runState('run-1'));
      await store.save(runState('run-2'));
      await store.delete('run-1');
      await store.delete('never-saved');
      expect(await store.load('run-1')).toBeUndefined();
      expect(await store.load('run-2')).toEqual(runState('run-2'));
    });
  });
}
