export type { Principal, Environment, Trigger } from './principal';
export { scopeMatches, scopeTemplateGrantable, missingScopes, resolveScope, scopePlaceholders } from './scopes';
export {
  type AuditLog,
  type AuditEntry,
  type AuditEventInput,
  type AuditEventType,
  type AuditQuery,
  type AuditVerification,
  type AuditCheckpoint,
  type AuditVerifyOptions,
  type AuditVerifyProgress,
} from './audit-log';
export { auditMac, type AuditKey, type AuditMac } from './audit-key';
export { InMemoryAuditLog, type InMemoryAuditLogOptions } from './in-memory-audit-log';
export type { ApprovalRequest, ApprovalDecision, ApprovalHandler, ApprovalStore, ApprovalRecord, TimeLimitedGrant } from './approval';
export { InMemoryApprovalStore } from './in-memory-approval-store';
export { evaluateDecisions, judgeDecisions, MAX_GRANT_FOR_MS, type ApprovalVerdict, type ApprovalFailure, type JudgeOptions } from './evaluate-decisions';
export { normaliseApproverId, sameApprover } from './approver-id';
export {
  decideToolCall,
  type ToolCallAttempt,
  type ToolCallFacts,
  type ToolCallDecision,
  type CheckedToolCall,
  type ApprovalAnswer,
  type RejectStage,
} from './decide-tool-call';
export { sensitivePart, sensitiveInputHash, grantCovers, type GrantedCall } from './sensitive-inputs';
export { trustOf, textsByTrust, untrustedInfluence, readUntrusted } from './taint';
export { submitApproval, recordHumanDecision, type SubmitApprovalOptions, type SubmitApprovalResult, type RecordedDecision } from './submit-approval';
export type { Alert, AlertKind, AlertSink } from './alert';
export { AlertMonitor, type AlertRules, type ObservedCall } from './alert-monitor';
export { decidePolicy, type PolicyDecision, type PolicyOptions } from './decide-policy';
export { ruleApplies, type PolicyRule, type PolicyVerdict, type PolicyCall } from './policy-rule';
export { redactSecrets, redactText, DEFAULT_SECRET_PATTERNS, DEFAULT_SECRET_KEYS, REDACTED, type RedactionOptions } from './redact';
export { wrapUntrusted, detectInjection, findUntrustedInfluence, extractLinks, UNTRUSTED_CONTENT_NOTICE, INJECTION_PATTERNS } from './untrusted-content';
export { secretSealer, type SecretSealer } from './seal-secrets';
