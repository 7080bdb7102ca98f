import type { Message, ToolCall } from '../model/messages';
import type { ApprovalRequest } from '../policy/approval';
import type { Environment, Principal, Trigger } from '../policy/principal';
import type { RunUsage } from '../metering/run-usage';

/** A tool call of a suspended step and how far it got. */
export type SuspendedToolCall =
  /** It finished; its result is in `result` and it must not run again. */
  | { status: 'done'; call: ToolCall; result: { content: string; isError: boolean; untrusted: boolean }; request?: undefined }
  /**
   * It waits for approval. `request` is a copy for display: resuming reads the request (by its id) from the
   * approval store and decides the call again; nothing else of this copy is trusted.
   */
  | { status: 'awaiting_approval'; call: ToolCall; request: ApprovalRequest; result?: undefined };

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

/** The version of {@link RunState} this release writes; `migrateRunState` reads every earlier one. */
export const RUN_STATE_VERSION = 2;

/**
 * Everything needed to continue a run suspended for approval, as plain JSON. Resuming neither re-runs nor
 * re-meters finished steps and never re-executes a `done` tool call. Version 2: every message carries its trust
 * (untrusted content is read from the messages, so version 1's `untrustedText` is gone).
 */
export interface RunState {
  version: 2;
  runId: string;
  principal: Principal;
  trigger: Trigger;
  environment: Environment;
  /** Conversation so far, ending with the assistant message whose tool calls are pending; each with its trust. */
  messages: Message[];
  /** Number of model steps already completed. */
  step: number;
  pending: SuspendedToolCall[];
  usage: RunUsage;
  actions: RunAction[];
  /** Tool names available when suspended; resuming with a different tool set is refused. */
  toolNames: string[];
  suspendedAt: number;
  /**
   * The run's idempotency key (`RunOptions.idempotencyKey`, e.g. a background job's key for its job, principal and
   * tick), so the tools a resumed run calls get the same `ctx.idempotencyKey` as before the suspension.
   */
  idempotencyKey?: string;
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
