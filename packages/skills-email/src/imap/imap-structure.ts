import type { MessageStructureObject, SearchObject } from 'imapflow';
import type { MailAttachment, MailSearchQuery, SpecialUse } from '../mailbox/mailbox';

/** True when some part of a BODYSTRUCTURE is marked `Content-Disposition: attachment`. */
export function hasAttachmentPart(node: MessageStructureObject | undefined): boolean {
  if (!node) return false;
  if (node.disposition?.toLowerCase() === 'attachment') return true;
  return (node.childNodes ?? []).some(hasAttachmentPart);
}

/**
 * Attachments as a BODYSTRUCTURE describes them, for messages too large to download whole: every leaf that is not
 * a body text. Sizes of base64 parts are estimated from their encoded size.
 */
export function attachmentsFromStructure(node: MessageStructureObject | undefined): MailAttachment[] {
  if (!node) return [];
  if (node.childNodes && node.childNodes.length > 0) return node.childNodes.flatMap(attachmentsFromStructure);
  const disposition = node.disposition?.toLowerCase();
  const type = node.type.toLowerCase();
  if (disposition !== 'attachment' && (type === 'text/plain' || type === 'text/html')) return [];
  const filename = node.dispositionParameters?.filename ?? node.parameters?.name;
  const encoded = node.size ?? 0;
  return [
    {
      ...(filename ? { filename } : {}),
      contentType: type,
      size: node.encoding?.toLowerCase() === 'base64' ? Math.floor((encoded * 3) / 4) : encoded,
      disposition: disposition === 'attachment' ? 'attachment' : 'inline',
    },
  ];
}

/** Translates a mailbox search into imapflow's search object. */
export function toImapSearch(query: MailSearchQuery): SearchObject {
  const search: SearchObject = {};
  if (query.text !== undefined) search.text = query.text;
  if (query.from !== undefined) search.from = query.from;
  if (query.to !== undefined) search.to = query.to;
  if (query.subject !== undefined) search.subject = query.subject;
  if (query.since !== undefined) search.sentSince = query.since;
  if (query.before !== undefined) search.sentBefore = query.before;
  if (query.unseen !== undefined) search.seen = !query.unseen;
  if (query.flagged !== undefined) search.flagged = query.flagged;
  if (query.keyword !== undefined) search.keyword = query.keyword;
  return Object.keys(search).length > 0 ? search : { all: true };
}

const SPECIAL_USES: Record<string, SpecialUse> = {
  '\\inbox': 'inbox',
  '\\drafts': 'drafts',
  '\\sent': 'sent',
  '\\trash': 'trash',
  '\\junk': 'junk',
  '\\archive': 'archive',
};

/** Maps an IMAP SPECIAL-USE attribute (`\Drafts`) to its name here (`drafts`). */
export function toSpecialUse(attribute: string | undefined): SpecialUse | undefined {
  return attribute ? SPECIAL_USES[attribute.toLowerCase()] : undefined;
}
