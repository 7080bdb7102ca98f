export type { Principal, Environment, Trigger } from './principal';
export { scopeMatches, scopeTemplateGrantable, missingScopes, resolveScope, scopePlaceholders } from './scopes';
export {
  GENESIS_HASH,
  hashAuditEntry,
  sealAuditEntry,
  verifyAuditEntries,
  type AuditLog,
  type AuditEntry,
  type AuditEventInput,
  type AuditEventType,
  type AuditQuery,
  type AuditVerification,
} from './audit-log';
export type { ApprovalRequest, ApprovalDecision, ApprovalHandler, ApprovalStore, TimeLimitedGrant } from './approval';
export type { Alert, AlertKind, AlertSink } from './alert';
