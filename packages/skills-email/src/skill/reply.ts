import type { MailAddress, MailMessage, OutgoingMail } from '../mailbox/mailbox';
import { showAddress } from './present';

const QUOTE_CHARS = 3000;

/**
 * Builds a reply to `original`: to its Reply-To (else From), with `Re:` once, threading headers (In-Reply-To,
 * References) and the original quoted below the answer. With `replyAll`, the other recipients go to Cc, never
 * the account's own address.
 */
export function buildReply(
  original: MailMessage,
  own: MailAddress,
  body: string,
  options: { replyAll?: boolean; cc?: readonly string[] } = {},
): OutgoingMail {
  const to = (original.replyTo.length > 0 ? original.replyTo : original.from).map(showAddress);
  const taken = new Set([own.address.toLowerCase(), ...(original.replyTo.length > 0 ? original.replyTo : original.from).map((a) => a.address.toLowerCase())]);
  const others = options.replyAll
    ? [...original.to, ...original.cc].filter((a) => {
        const key = a.address.toLowerCase();
        if (taken.has(key)) return false;
        taken.add(key);
        return true;
      })
    : [];
  const cc = [...others.map(showAddress), ...(options.cc ?? [])];
  const quotedText = original.text.trim().slice(0, QUOTE_CHARS);
  const quote = quotedText
    ? `\n\nOn ${original.date.toUTCString()}, ${original.from.map(showAddress).join(', ')} wrote:\n${quotedText
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n')}${original.text.trim().length > QUOTE_CHARS ? '\n> [...]' : ''}`
    : '';
  return {
    to,
    ...(cc.length > 0 ? { cc } : {}),
    subject: /^re:/i.test(original.subject) ? original.subject : `Re: ${original.subject}`,
    text: `${body.trim()}${quote}\n`,
    ...(original.messageId ? { inReplyTo: original.messageId, references: [...original.references, original.messageId] } : {}),
  };
}
