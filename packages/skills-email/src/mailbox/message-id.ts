import { MailboxError } from '../errors';

/** The parts of a message id: the folder, the folder's UIDVALIDITY and the message's UID in it. */
export interface MessageRef {
  folder: string;
  uidValidity: string;
  uid: number;
}

// Folder names may hold colons, so the two numeric parts are taken from the right.
const ID = /^(.+):(\d+):(\d+)$/;

/** Builds the id `<folder>:<uidValidity>:<uid>` carried in every summary. */
export function formatMessageId(ref: MessageRef): string {
  return `${ref.folder}:${ref.uidValidity}:${ref.uid}`;
}

/**
 * Parses an id made by {@link formatMessageId}.
 * @throws MailboxError (`invalid-message`) for anything else, e.g. an id a model made up.
 */
export function parseMessageId(id: string): MessageRef {
  const match = typeof id === 'string' ? ID.exec(id) : null;
  const uid = match ? Number(match[3]) : 0;
  if (!match || !Number.isSafeInteger(uid) || uid < 1) {
    throw new MailboxError(
      'invalid-message',
      `"${String(id)}" is not a message id. Use an id exactly as email_search returned it (folder:uidValidity:uid).`,
    );
  }
  return { folder: match[1]!, uidValidity: match[2]!, uid };
}

/** Groups ids by folder, keeping each folder's ids in the order given. */
export function groupByFolder(ids: readonly string[]): Map<string, MessageRef[]> {
  const groups = new Map<string, MessageRef[]>();
  for (const id of ids) {
    const ref = parseMessageId(id);
    const list = groups.get(ref.folder) ?? [];
    list.push(ref);
    groups.set(ref.folder, list);
  }
  return groups;
}
