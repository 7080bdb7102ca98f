export type { RunState, RunStateStore, SuspendedToolCall, RunAction } from './run-state';
