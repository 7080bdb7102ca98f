import type { ClawError } from '../errors';
import type { ToolCall } from '../model/messages';
import type { FinishReason } from '../model/model-provider';
import type { RunUsage } from '../metering/run-usage';
import type { ApprovalRequest } from '../policy/approval';
import type { RunAction, RunState } from './run-state';

/** Why a run ended. `suspended`: it waits for approvals; resume it with `agent.resume(state, decisions)`. */
export type StopReason = 'final' | 'max_steps' | 'aborted' | 'budget' | 'error' | 'suspended';

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
  errorCode?: string;
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

/** What `agent.run` resolves with. Runs do not throw on model, budget or abort failures: they say so here. */
export interface RunResult {
  runId: string;
  text: string;
  steps: StepResult[];
  usage: RunUsage;
  /** Side effects performed (production) or previewed (sandbox). */
  actions: RunAction[];
  stopReason: StopReason;
  /** Approval requests the run waits for (stopReason `suspended`). */
  pending?: ApprovalRequest[];
  /** Serialisable state to resume from (stopReason `suspended`). */
  state?: RunState;
  /** The error that ended the run (stopReason `error`, `budget` or `aborted`). */
  error?: ClawError;
}
