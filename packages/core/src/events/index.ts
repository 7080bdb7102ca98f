export type { AgentEventMap, AgentEventName, AgentStreamEvent } from './agent-events';
