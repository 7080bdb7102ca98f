/**
 * @claw/skills-email — the Claw email skill: search, read, organise, triage and draft replies over IMAP/SMTP,
 * with sending held for approval; plus an in-memory mailbox for examples and tests.
 * @packageDocumentation
 */
export { MailboxError, isMailboxError, type MailboxErrorKind } from './errors';
export {
  SUMMARY_HEADERS,
  type Mailbox,
  type MailAddress,
  type MailAttachment,
  type MailFolder,
  type MailMessage,
  type MailSearchQuery,
  type MailSearchResult,
  type MailboxCallOptions,
  type MessageSummary,
  type MovedMessage,
  type OutgoingMail,
  type SentMail,
  type FlagChange,
  type SpecialUse,
  type SummaryHeader,
} from './mailbox/mailbox';
export { formatMessageId, parseMessageId, type MessageRef } from './mailbox/message-id';
export { InMemoryMailbox, type InMemoryMailboxOptions, type OutboxEntry } from './mailbox/in-memory-mailbox';
export { ImapSmtpMailbox, type ImapSmtpMailboxOptions } from './imap/imap-smtp-mailbox';
export type { ImapServerOptions } from './imap/imap-session';
export type { SmtpServerOptions } from './imap/smtp-sender';
export { mailboxOptionsFromUrls, imapSmtpMailboxFromUrls, type MailboxUrls } from './imap/mailbox-urls';
export { emailSkill, EMAIL_SCOPES } from './skill/email-skill';
export {
  emailConfigSchema,
  categorySchema,
  triageRuleSchema,
  PRIORITIES,
  type Priority,
  type EmailSkillConfig,
  type EmailSkillConfigInput,
  type TriageCategory,
  type TriageRule,
} from './skill/email-config';
export { createEmailToolkit, type EmailToolkit } from './skill/email-toolkit';
export type { MessageView, MessageDetailView, AttachmentView } from './skill/present';
export { priorityKeyword, type TriageItem, type TriagePlan, type ModelClassification } from './triage/plan-triage';
export type { TriageOutcome } from './triage/apply-triage';
export { searchTool } from './tools/search-tool';
export { readTool } from './tools/read-tool';
export { listFoldersTool } from './tools/list-folders-tool';
export { moveTool } from './tools/move-tool';
export { flagTool } from './tools/flag-tool';
export { draftReplyTool, type DraftReplyOutput } from './tools/draft-reply-tool';
export { sendTool } from './tools/send-tool';
export { triageTool } from './tools/triage-tool';
