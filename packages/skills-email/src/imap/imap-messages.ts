import type { MailboxObject } from 'imapflow';
import { MailboxError } from '../errors';
import type { MessageSummary } from '../mailbox/mailbox';
import { formatMessageId, type MessageRef } from '../mailbox/message-id';
import { parseSource, summaryFromParsed } from '../mailbox/parse-message';
import type { ImapConnection } from './imap-session';
import { hasAttachmentPart } from './imap-structure';

const SUMMARY_FETCH = { uid: true, flags: true, size: true, internalDate: true, bodyStructure: true, headers: true } as const;

/** A Date from imapflow's `internalDate` (a Date or a string), or undefined when unreadable. */
export function toDate(value: Date | string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The error for an id that no longer resolves. */
export function notFound(id: string): MailboxError {
  return new MailboxError('message-not-found', `No message "${id}": it was moved or deleted, or its folder was recreated. Search again for current ids.`);
}

/**
 * Summaries of UIDs in the selected folder: flags, size and structure from FETCH, headers parsed by mailparser the
 * same way the in-memory backend parses them.
 */
export async function summarize(connection: ImapConnection, mailbox: MailboxObject, uids: readonly number[]): Promise<Map<number, MessageSummary>> {
  const out = new Map<number, MessageSummary>();
  if (uids.length === 0) return out;
  const rows = await connection.client.fetchAll(uids.join(','), SUMMARY_FETCH, { uid: true });
  for (const row of rows) {
    const parsed = await parseSource(row.headers ?? Buffer.alloc(0));
    const internalDate = toDate(row.internalDate);
    out.set(
      row.uid,
      summaryFromParsed(parsed, {
        folder: mailbox.path,
        uidValidity: mailbox.uidValidity.toString(),
        uid: row.uid,
        flags: row.flags ?? [],
        size: row.size ?? 0,
        hasAttachments: hasAttachmentPart(row.bodyStructure),
        ...(internalDate ? { internalDate } : {}),
      }),
    );
  }
  return out;
}

/**
 * Refuses ids from another UIDVALIDITY or UIDs the selected folder no longer holds, before any change is made
 * (a UID MOVE or STORE on a missing UID would silently do nothing).
 * @throws MailboxError (`message-not-found`) naming the first id that does not resolve.
 */
export async function requireExisting(connection: ImapConnection, mailbox: MailboxObject, refs: readonly MessageRef[]): Promise<void> {
  const validity = mailbox.uidValidity.toString();
  const stale = refs.find((r) => r.uidValidity !== validity);
  if (stale) throw notFound(formatMessageId(stale));
  const found = (await connection.client.search({ uid: refs.map((r) => r.uid).join(',') }, { uid: true })) || [];
  const present = new Set(found);
  const missing = refs.find((r) => !present.has(r.uid));
  if (missing) throw notFound(formatMessageId(missing));
}
