import { RunStateError } from '../errors';
import type { Message } from '../model/messages';
import { trustOf } from '../policy/taint';
import type { RunState } from './run-state';

/**
 * Reads a saved run state of any released version and returns it as the current version, so a run suspended
 * before an upgrade resumes after it. Version 1 kept untrusted content as one joined string; version 2 labels
 * each message with its trust instead: unlabelled messages get the trust their role implies, and a recalled-memory
 * section is untrusted (it may quote outside content).
 * @throws RunStateError for a state that is not an object of a known version.
 */
export function migrateRunState(state: unknown): RunState {
  const s = state as { version?: unknown; messages?: unknown; pending?: unknown } | null;
  if (s === null || typeof s !== 'object' || !Array.isArray(s.messages) || !Array.isArray(s.pending)) {
    throw new RunStateError('The run state is malformed; pass the `state` of a suspended run result unchanged.');
  }
  if (s.version === 2) return s as RunState;
  if (s.version === 1) {
    const { untrustedText: _dropped, ...rest } = s as Record<string, unknown>;
    const messages = (s.messages as Message[]).map((m) => ({ ...m, trust: trustOf(m) }));
    return { ...(rest as Omit<RunState, 'version' | 'messages'>), version: 2, messages };
  }
  throw new RunStateError(`The run state has version ${JSON.stringify(s.version)}, which this release does not know; resume it with the release that suspended it or a newer one.`);
}
