import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { formatMessageId } from './message-id';
import {
  SUMMARY_HEADERS,
  type MailAddress,
  type MailAttachment,
  type MailMessage,
  type MessageSummary,
  type SummaryHeader,
} from './mailbox';

/** What a backend knows about a stored message besides its bytes. */
export interface StoredMessageMeta {
  folder: string;
  uidValidity: string;
  uid: number;
  flags: Iterable<string>;
  size: number;
  /** Arrival time, used when the Date header is missing. */
  internalDate?: Date;
  /** Overrides attachment detection from the parse (IMAP knows it from BODYSTRUCTURE without the body). */
  hasAttachments?: boolean;
}

/**
 * Parses raw RFC 5322 bytes (a whole message, or only its header block) with mailparser, which decodes
 * charsets, encoded words, transfer encodings and MIME structure. Both backends parse through here, so a
 * message reads the same whichever backend stored it.
 */
export function parseSource(source: Buffer | string): Promise<ParsedMail> {
  return simpleParser(source, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
}

/** Flattens address headers (groups included) into plain addresses. */
export function addressesOf(header: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const out: MailAddress[] = [];
  const visit = (entry: { name: string; address?: string; group?: { name: string; address?: string }[] }) => {
    if (entry.group) entry.group.forEach(visit);
    else if (entry.address) out.push({ name: entry.name ?? '', address: entry.address });
  };
  for (const object of objects) object.value.forEach(visit);
  return out;
}

function summaryHeaders(parsed: ParsedMail): Partial<Record<SummaryHeader, string>> {
  const wanted = new Set<string>(SUMMARY_HEADERS);
  const headers: Partial<Record<SummaryHeader, string>> = {};
  for (const { key, line } of parsed.headerLines) {
    if (!wanted.has(key) || headers[key as SummaryHeader] !== undefined) continue;
    headers[key as SummaryHeader] = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
  }
  return headers;
}

function isAttachment(attachment: Pick<Attachment, 'contentDisposition'>): boolean {
  return attachment.contentDisposition === 'attachment';
}

/**
 * Every address a stored message would be delivered to when sent as it is: To, Cc and Bcc, groups flattened.
 * The send preview and the SMTP envelope of a sent draft both come from here, so what is shown is what is sent.
 */
export function deliveryAddresses(parsed: ParsedMail): string[] {
  return [parsed.to, parsed.cc, parsed.bcc].flatMap((header) => addressesOf(header).map((a) => a.address));
}

/** Builds a summary from a parse of the message (or of its header block). */
export function summaryFromParsed(parsed: ParsedMail, meta: StoredMessageMeta): MessageSummary {
  const hasDateHeader = parsed.headerLines.some((h) => h.key === 'date');
  const date = hasDateHeader && parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : (meta.internalDate ?? new Date(0));
  return {
    id: formatMessageId(meta),
    folder: meta.folder,
    uid: meta.uid,
    ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
    subject: parsed.subject ?? '',
    from: addressesOf(parsed.from),
    to: addressesOf(parsed.to),
    cc: addressesOf(parsed.cc),
    bcc: addressesOf(parsed.bcc),
    replyTo: addressesOf(parsed.replyTo),
    date,
    // \Recent is per-session state that no client can set, so it is not part of a message's flags here.
    flags: [...meta.flags].filter((f) => f !== '\\Recent').sort(),
    size: meta.size,
    hasAttachments: meta.hasAttachments ?? parsed.attachments.some(isAttachment),
    headers: summaryHeaders(parsed),
  };
}

/**
 * Builds a full message from a parse of its source. With `partial`, attachment contents are dropped and
 * `attachmentsOverride` (sizes from the server's structure) lists the attachments instead.
 */
export function messageFromParsed(
  parsed: ParsedMail,
  meta: StoredMessageMeta,
  options: { partial?: boolean; attachmentsOverride?: MailAttachment[] } = {},
): MailMessage {
  const references = parsed.references === undefined ? [] : Array.isArray(parsed.references) ? parsed.references : [parsed.references];
  const attachments: MailAttachment[] =
    options.attachmentsOverride ??
    parsed.attachments.map((a) => ({
      ...(a.filename !== undefined ? { filename: a.filename } : {}),
      contentType: a.contentType,
      size: a.size,
      disposition: isAttachment(a) ? ('attachment' as const) : ('inline' as const),
      ...(options.partial ? {} : { content: a.content }),
    }));
  return {
    ...summaryFromParsed(parsed, meta),
    text: parsed.text ?? '',
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
    ...(parsed.inReplyTo ? { inReplyTo: parsed.inReplyTo } : {}),
    references,
    attachments,
    partial: options.partial ?? false,
  };
}

/** Normalises line endings to CRLF, as messages travel over IMAP and SMTP. */
export function toCrlf(source: Buffer | string): Buffer {
  const text = Buffer.isBuffer(source) ? source.toString('latin1') : source;
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), Buffer.isBuffer(source) ? 'latin1' : 'utf8');
}
