import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { MailboxError } from '../errors';
import type { MailAddress, OutgoingMail } from './mailbox';

/** A message ready to store or send: its bytes, its Message-ID and the SMTP envelope. */
export interface ComposedMessage {
  source: Buffer;
  messageId: string;
  envelope: { from: string; to: string[] };
}

/**
 * Parses address strings (`Name <a@b>`, `a@b`, comma lists) into addresses.
 * @throws MailboxError (`invalid-message`) when a string holds no valid address.
 */
export function parseAddresses(values: readonly string[]): MailAddress[] {
  const out: MailAddress[] = [];
  for (const value of values) {
    const parsed = addressparser(value, { flatten: true });
    if (parsed.length === 0) throw invalidAddress(value);
    for (const entry of parsed) {
      if (!/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(entry.address)) throw invalidAddress(entry.address || value);
      out.push({ name: entry.name, address: entry.address });
    }
  }
  return out;
}

function invalidAddress(value: string): MailboxError {
  return new MailboxError('invalid-message', `"${value}" is not an email address. Write recipients as "name@example.com" or "Name <name@example.com>".`);
}

/** Formats an address for a header. */
export function formatAddress(address: MailAddress): string {
  return address.name ? `${JSON.stringify(address.name)} <${address.address}>` : address.address;
}

/**
 * Builds the RFC 5322 bytes of an outgoing message with nodemailer's MailComposer (encoded words, quoted-printable,
 * line lengths and the Message-ID are its job, not ours). Lines end in CRLF, as IMAP APPEND and SMTP expect.
 * @throws MailboxError (`invalid-message`) when there is no valid recipient.
 */
export async function composeMessage(mail: OutgoingMail, from: MailAddress, options: { date?: Date } = {}): Promise<ComposedMessage> {
  const to = parseAddresses(mail.to);
  const cc = parseAddresses(mail.cc ?? []);
  if (to.length + cc.length === 0) {
    throw new MailboxError('invalid-message', 'A message needs at least one recipient in "to".');
  }
  const node = new MailComposer({
    from: { name: from.name, address: from.address },
    to: to.map((a) => ({ name: a.name, address: a.address })),
    ...(cc.length > 0 ? { cc: cc.map((a) => ({ name: a.name, address: a.address })) } : {}),
    subject: mail.subject,
    text: mail.text,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references && mail.references.length > 0 ? { references: mail.references } : {}),
    date: options.date ?? new Date(),
    newline: 'win',
    disableFileAccess: true,
    disableUrlAccess: true,
  }).compile();
  const source = await node.build();
  const envelope = node.getEnvelope();
  return {
    source,
    messageId: node.messageId(),
    envelope: { from: envelope.from || from.address, to: envelope.to },
  };
}
