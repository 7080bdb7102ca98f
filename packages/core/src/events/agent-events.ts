import type { GenerateRequest, GenerateResponse } from '../model/model-provider';
import type { ToolCall } from '../model/messages';
import type { UsageRecord } from '../metering/usage-record';
import type { Alert } from '../policy/alert';
import type { ApprovalRequest } from '../policy/approval';
import type { Environment, Principal, Trigger } from '../policy/principal';
import type { RunResult, StepResult, ToolCallResult } from '../agent/run-result';

/** Payloads of every agent event, by name. Listeners receive exactly one argument. */
export interface AgentEventMap {
  'run:start': { runId: string; input: string; principal: Principal; trigger: Trigger; environment: Environment; resumed: boolean };
  'model:request': { runId: string; step: number; attempt: number; request: GenerateRequest };
  'model:response': { runId: string; step: number; attempt: number; response: GenerateResponse };
  'text:delta': { runId: string; step: number; text: string };
  /**
   * A call about to be decided and carried out. `resumed` is true when it is a call announced before its run was
   * suspended for approval and now taken up again by `resume` (count calls on `resumed: false`).
   */
  'tool:call': { runId: string; step: number; call: ToolCall; resumed: boolean };
  'tool:result': { runId: string; step: number; result: ToolCallResult };
  approval: { runId: string; request: ApprovalRequest; outcome: 'approved' | 'denied' | 'pending'; approvers: string[]; reason?: string };
  step: { runId: string; step: StepResult };
  usage: UsageRecord;
  alert: Alert;
  'run:end': RunResult;
  error: { runId: string; error: Error };
}

/** Name of an agent event. */
export type AgentEventName = keyof AgentEventMap;

/** One event as yielded by `agent.stream()`: the same events the emitter sends, in the same order. */
export type AgentStreamEvent = { [K in AgentEventName]: { type: K; data: AgentEventMap[K] } }[AgentEventName];
