export type { Principal, Environment, Trigger } from './principal';
export { scopeMatches, scopeTemplateGrantable, missingScopes, resolveScope, scopePlaceholders } from './scopes';
export {
  type AuditLog,
  type AuditEntry,
  type AuditEventInput,
  type AuditEventType,
  type AuditQuery,
  type AuditVerification,
} from './audit-log';
export { InMemoryAuditLog } from './in-memory-audit-log';
export type { ApprovalRequest, ApprovalDecision, ApprovalHandler, ApprovalStore, TimeLimitedGrant } from './approval';
export { InMemoryApprovalStore } from './in-memory-approval-store';
export { evaluateDecisions, type ApprovalVerdict } from './evaluate-decisions';
export type { Alert, AlertKind, AlertSink } from './alert';
export { AlertMonitor, type AlertRules, type ObservedCall } from './alert-monitor';
export { decidePolicy, type PolicyDecision, type PolicyOptions } from './decide-policy';
export { ruleApplies, type PolicyRule, type PolicyVerdict, type PolicyCall } from './policy-rule';
export { redactSecrets, redactText, DEFAULT_SECRET_PATTERNS, DEFAULT_SECRET_KEYS, REDACTED, type RedactionOptions } from './redact';
export { wrapUntrusted, detectInjection, findUntrustedInfluence, UNTRUSTED_CONTENT_NOTICE, INJECTION_PATTERNS } from './untrusted-content';
