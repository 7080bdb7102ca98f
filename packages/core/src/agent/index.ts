export { Agent, type AgentEventListener } from './agent';
export type { AgentOptions, RunOptions, RunBudget, AgentMemoryOptions } from './agent-options';
export type { RunResult, StepResult, ToolCallResult, ToolCallStatus, StopReason } from './run-result';
export type { RunState, RunStateStore, SuspendedToolCall, RunAction } from './run-state';
export type { PermissionSummary } from './describe-permissions';
export { InMemoryRunStateStore } from './in-memory-run-state-store';
export type { DirectToolCallOptions, DirectToolCallResult } from './direct-tool-call';
