import type { Message, ToolCall } from '../model/messages';
import type { ApprovalRequest } from '../policy/approval';
import type { Environment, Principal, Trigger } from '../policy/principal';
import type { RunUsage } from '../metering/run-usage';

/** A tool call of a suspended step and how far it got. */
export interface SuspendedToolCall {
  call: ToolCall;
  /** `done`: its result is in `result` and must not run again; `awaiting_approval`: waits for `request`. */
  status: 'done' | 'awaiting_approval';
  result?: { content: string; isError: boolean; untrusted: boolean };
  request?: ApprovalRequest;
}

/** A performed side effect, as listed in a run result. */
export interface RunAction {
  toolCallId: string;
  toolName: string;
  input: unknown;
  /** `performed` in production; `previewed` in the sandbox (the preview summary is in `summary`). */
  mode: 'performed' | 'previewed';
  summary?: string;
  at: number;
}

/**
 * Everything needed to continue a run suspended for approval, as plain JSON. Resuming neither re-runs nor
 * re-meters finished steps and never re-executes a `done` tool call.
 */
export interface RunState {
  version: 1;
  runId: string;
  principal: Principal;
  trigger: Trigger;
  environment: Environment;
  /** Conversation so far, ending with the assistant message whose tool calls are pending. */
  messages: Message[];
  /** Number of model steps already completed. */
  step: number;
  pending: SuspendedToolCall[];
  usage: RunUsage;
  actions: RunAction[];
  /** Untrusted content read so far, so calls after resume are still checked for its influence. */
  untrustedText: string;
  /** Tool names available when suspended; resuming with a different tool set is refused. */
  toolNames: string[];
  suspendedAt: number;
}

/** Where suspended runs wait. */
export interface RunStateStore {
  /** Stores a suspended run's state, replacing any saved under the same run id. */
  save(state: RunState): Promise<void>;
  /** The saved state of a run, or undefined. */
  load(runId: string): Promise<RunState | undefined>;
  /** Removes a run's saved state; unknown ids are ignored. */
  delete(runId: string): Promise<void>;
}
