export { Agent, type AgentEventListener } from './agent';
export type { AgentOptions, RunOptions, RunBudget, AgentMemoryOptions } from './agent-options';
export type { RunResult, RunResultBase, StepResult, ToolCallResult, ToolCallStatus, StopReason } from './run-result';
export { RUN_STATE_VERSION, type RunState, type RunStateStore, type SuspendedToolCall, type RunAction } from './run-state';
export { migrateRunState } from './migrate-run-state';
export type { CallToolOptions, DirectToolCallResult } from './call-tool';
export type { PermissionSummary } from './describe-permissions';
export { InMemoryRunStateStore } from './in-memory-run-state-store';
