import { formatAddress } from '../mailbox/compose-message';
import type { MailAttachment, MailMessage, MessageSummary } from '../mailbox/mailbox';
import type { EmailSkillConfig } from './email-config';

/** A message as the model sees it in lists: enough to decide what to do, no body. */
export interface MessageView {
  id: string;
  folder: string;
  from: string;
  to: string[];
  cc?: string[];
  bcc?: string[];
  subject: string;
  date: string;
  unread: boolean;
  flagged: boolean;
  /** Keywords (labels) on the message. */
  labels?: string[];
  hasAttachments: boolean;
  /** True for mailing lists and bulk mail (List-Id, List-Unsubscribe or Precedence: bulk/list). */
  bulk: boolean;
}

/** An attachment as the model sees it: text content only when small and textual, otherwise a summary. */
export interface AttachmentView {
  filename: string;
  contentType: string;
  size: number;
  /** The decoded text, for textual attachments within the size limit. */
  text?: string;
  /** Why the content is not included. */
  omitted?: string;
}

/** A fetched message as the model sees it. */
export interface MessageDetailView extends MessageView {
  replyTo?: string[];
  body: string;
  /** Set when the body was cut to the configured length. */
  bodyTruncated?: true;
  attachments: AttachmentView[];
}

const TEXTUAL = /^(text\/|application\/(json|xml|csv|x-yaml|yaml)$)/i;

/** `Name <address>` or the bare address. */
export function showAddress(address: { name: string; address: string }): string {
  return formatAddress(address).replace(/^"([^"\\]*)"/, '$1');
}

/** Human-readable byte count for previews and summaries. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function isBulk(summary: MessageSummary): boolean {
  const h = summary.headers;
  return h['list-id'] !== undefined || h['list-unsubscribe'] !== undefined || /^(bulk|list|junk)$/i.test(h.precedence ?? '');
}

/** The list view of a message. */
export function presentSummary(summary: MessageSummary): MessageView {
  const labels = summary.flags.filter((f) => !f.startsWith('\\'));
  return {
    id: summary.id,
    folder: summary.folder,
    from: summary.from.map(showAddress).join(', '),
    to: summary.to.map(showAddress),
    ...(summary.cc.length > 0 ? { cc: summary.cc.map(showAddress) } : {}),
    ...(summary.bcc.length > 0 ? { bcc: summary.bcc.map(showAddress) } : {}),
    subject: summary.subject,
    date: summary.date.toISOString(),
    unread: !summary.flags.includes('\\Seen'),
    flagged: summary.flags.includes('\\Flagged'),
    ...(labels.length > 0 ? { labels } : {}),
    hasAttachments: summary.hasAttachments,
    bulk: isBulk(summary),
  };
}

/**
 * Summarises an attachment. Content is inlined only when it is text and within `attachmentSizeLimit`; anything
 * larger is summarised by name, type and size, so one big file can neither flood the context nor the budget.
 */
export function presentAttachment(attachment: MailAttachment, config: Pick<EmailSkillConfig, 'attachmentSizeLimit' | 'maxBodyChars'>): AttachmentView {
  const base = {
    filename: attachment.filename ?? '(unnamed)',
    contentType: attachment.contentType,
    size: attachment.size,
  };
  if (attachment.size > config.attachmentSizeLimit) {
    return { ...base, omitted: `${formatBytes(attachment.size)} is over the ${formatBytes(config.attachmentSizeLimit)} attachment limit: summarised, not included` };
  }
  if (!attachment.content) return { ...base, omitted: 'the message was too large to download whole: summarised, not included' };
  if (!TEXTUAL.test(attachment.contentType)) return { ...base, omitted: 'binary content: summarised, not included' };
  const text = attachment.content.toString('utf8');
  return { ...base, text: text.length > config.maxBodyChars ? `${text.slice(0, config.maxBodyChars)}\n[… cut]` : text };
}

/** The full view of a message, body cut to `maxBodyChars`. */
export function presentMessage(message: MailMessage, config: Pick<EmailSkillConfig, 'attachmentSizeLimit' | 'maxBodyChars'>): MessageDetailView {
  const body = message.text.trim();
  const truncated = body.length > config.maxBodyChars;
  return {
    ...presentSummary(message),
    ...(message.replyTo.length > 0 ? { replyTo: message.replyTo.map(showAddress) } : {}),
    body: truncated ? `${body.slice(0, config.maxBodyChars)}\n[… ${body.length - config.maxBodyChars} more characters cut]` : body,
    ...(truncated ? { bodyTruncated: true as const } : {}),
    attachments: message.attachments.map((a) => presentAttachment(a, config)),
  };
}

/** `"Subject A", "Subject B", "Subject C" and 11 more` for previews. */
export function listSubjects(summaries: readonly { subject: string }[], shown = 3): string {
  const quoted = summaries.slice(0, shown).map((s) => JSON.stringify(s.subject.length > 60 ? `${s.subject.slice(0, 57)}...` : s.subject || '(no subject)'));
  const more = summaries.length - shown;
  return more > 0 ? `${quoted.join(', ')} and ${more} more` : quoted.join(', ');
}

/** `1 message` / `3 messages`. */
export function countMessages(n: number): string {
  return `${n} message${n === 1 ? '' : 's'}`;
}
