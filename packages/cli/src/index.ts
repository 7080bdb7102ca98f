/**
 * @claw/cli — the `claw` command: usage reports with their access rules, explanations of usage records, audit
 * chain verification, approvals, the permission review sheet of a skill, and scaffolds for services and skills.
 * `runClaw` runs a command line in process (the `claw` bin calls it).
 * @packageDocumentation
 */
export { runClaw, CLI_VERSION } from './program';
export { processIo, type ClawIo, type TextSink } from './io';
export { EXIT, CliUsageError } from './cli-error';
export { decideApproval, type HumanDecision, type RecordedDecision, type DecisionStores } from './approvals/decide';
export { verifyAuditLog, type AuditCheck, type AuditProgress } from './audit/verify-audit';
export { orgFileSchema, loadOrgDirectory, DEFAULT_ORG_FILE, type OrgFile } from './org/org-file';
export { DEFAULT_STORE, parseStoreLocation, type StoreLocation } from './stores/store-location';
export { openStores, type CliStores } from './stores/open-stores';
export { loadSkills, loadConfigFile, type LoadedSkills } from './skills/load-skills';
export { reviewSkills, type SkillReview, type ReviewedTool } from './skills/review-skills';
export { permissionSheet } from './skills/permission-sheet';
