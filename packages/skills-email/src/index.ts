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
