/**
 * @claw/console — a web console for usage, approvals and the audit log, served from your own service on the
 * same stores and access rules as the API. `createConsole(options).fetch` is a Web-standard handler.
 * @packageDocumentation
 */
export { createConsole, type ClawConsole } from './create-console';
export type { ConsoleOptions, Authenticate } from './console-options';
export { serveConsole, type ServeConsoleOptions, type ServedConsole } from './serve-console';
export { InMemoryOrgChart, peopleBelow, type ConsoleDirectory, type OrgChartPerson } from './org/org-chart';
export { decideApproval, type AgentFor, type ConsoleDecision, type DecisionContext, type RecordedConsoleDecision, type RefusedConsoleDecision } from './approvals/decide';
export { TEAM_SORTS, type TeamSort } from './pages/team-page';
