import type { ClawError, ErrorCode, StoreError } from '../errors';
import type { ToolCall } from '../model/messages';
import type { FinishReason } from '../model/model-provider';
import type { RunUsage } from '../metering/run-usage';
import type { ApprovalRequest } from '../policy/approval';
import type { RunAction, RunState } from './run-state';

/**
 * Why a run ended. `suspended`: it waits for approvals; resume it with `agent.resume(state)`. `store_error`: a
 * store the agent records into (audit log, usage ledger, approval or run-state store) failed; what was already
 * recorded stays, and the result still holds every step, action and usage figure.
 */
export type StopReason = 'final' | 'max_steps' | 'aborted' | 'budget' | 'error' | 'store_error' | 'suspended';

/** How one tool call ended. */
export type ToolCallStatus = 'ok' | 'error' | 'denied' | 'previewed' | 'awaiting_approval';

/** One tool call of a step and its result as the model saw it. */
export interface ToolCallResult {
  call: ToolCall;
  status: ToolCallStatus;
  /** What was sent back to the model. */
  content: string;
  isError: boolean;
  /** The `ClawError` code when the call failed or was refused. */
  errorCode?: ErrorCode;
  /** The tool's output (production) or preview (sandbox), when it ran. */
  output?: unknown;
  durationMs: number;
}

/** One model turn and the tool calls it made. */
export interface StepResult {
  step: number;
  /** Model attempts this step took (retries included). */
  attempts: number;
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** Ids of this step's usage records (one per attempt). */
  usageRecordIds: string[];
  toolResults: ToolCallResult[];
  startedAt: number;
  durationMs: number;
}

/** What every run result holds, whatever its stop reason. */
export interface RunResultBase {
  runId: string;
  text: string;
  steps: StepResult[];
  usage: RunUsage;
  /** Side effects performed (production) or previewed (sandbox). */
  actions: RunAction[];
}

/**
 * What `agent.run` resolves with, keyed by `stopReason`. Runs do not throw on model, budget, abort or store
 * failures: they say so here. `pending` and `state` exist exactly when suspended; `error` exactly when it failed.
 */
export type RunResult =
  | (RunResultBase & { stopReason: 'final' | 'max_steps'; pending?: undefined; state?: undefined; error?: undefined })
  | (RunResultBase & { stopReason: 'suspended'; pending: ApprovalRequest[]; state: RunState; error?: undefined })
  | (RunResultBase & { stopReason: 'aborted' | 'budget' | 'error'; error: ClawError; pending?: undefined; state?: undefined })
  | (RunResultBase & { stopReason: 'store_error'; error: StoreError; pending?: ApprovalRequest[]; state?: RunState });
