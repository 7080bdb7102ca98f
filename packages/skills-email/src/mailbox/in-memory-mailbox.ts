import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { AbortedError } from '@claw/core';
import { MailboxError } from '../errors';
import { composeMessage, parseAddresses } from './compose-message';
import { applyFlagChange, normalizeFlag } from './flags';
import type {
  FlagChange,
  MailAddress,
  MailFolder,
  MailMessage,
  Mailbox,
  MailboxCallOptions,
  MailSearchQuery,
  MailSearchResult,
  MessageSummary,
  MovedMessage,
  OutgoingMail,
  SentMail,
  SpecialUse,
} from './mailbox';
import { formatMessageId, parseMessageId, type MessageRef } from './message-id';
import { deliveryAddresses, messageFromParsed, parseSource, summaryFromParsed, toCrlf, type StoredMessageMeta } from './parse-message';
import { matchesQuery } from './search-match';

/** A message the in-memory mailbox "sent": what an SMTP server would have received. */
export interface OutboxEntry {
  messageId: string;
  envelope: { from: string; to: string[] };
  source: Buffer;
  sentAt: Date;
}

/** Options for {@link InMemoryMailbox}. */
export interface InMemoryMailboxOptions {
  /** The account's own address, e.g. `Priya <priya@example.com>`. */
  address: string | MailAddress;
  /** Folders besides INBOX, Drafts, Sent, Trash, Junk and Archive. */
  folders?: string[];
  /** Largest message whose attachment contents `fetch` returns; bigger ones come back `partial`. Default 25 MB. */
  maxFetchBytes?: number;
}

interface StoredMessage {
  uid: number;
  source: Buffer;
  parsed: ParsedMail;
  flags: Set<string>;
  internalDate: Date;
}

interface FolderState {
  path: string;
  specialUse?: SpecialUse;
  uidValidity: string;
  uidNext: number;
  messages: Map<number, StoredMessage>;
}

const STANDARD_FOLDERS: readonly [string, SpecialUse][] = [
  ['INBOX', 'inbox'],
  ['Drafts', 'drafts'],
  ['Sent', 'sent'],
  ['Trash', 'trash'],
  ['Junk', 'junk'],
  ['Archive', 'archive'],
];

function checkSignal(options: MailboxCallOptions | undefined): void {
  if (options?.signal?.aborted) throw new AbortedError();
}

/**
 * A mailbox held in memory, seeded from .eml files: for examples, offline demos and fast tests. It behaves like
 * the IMAP backend (same ids, flags, search semantics and errors, checked by the shared backend suite) and records
 * what it "sends" in {@link InMemoryMailbox.outbox} instead of talking to an SMTP server.
 */
export class InMemoryMailbox implements Mailbox {
  readonly backend = 'memory';
  readonly address: MailAddress;
  /** Every message sent, oldest first. */
  readonly outbox: OutboxEntry[] = [];
  private readonly folders = new Map<string, FolderState>();
  private readonly maxFetchBytes: number;
  private nextValidity = 1;

  constructor(options: InMemoryMailboxOptions) {
    const address = typeof options.address === 'string' ? parseAddresses([options.address])[0]! : options.address;
    this.address = address;
    this.maxFetchBytes = options.maxFetchBytes ?? 25 * 1024 * 1024;
    for (const [path, specialUse] of STANDARD_FOLDERS) this.addFolder(path, specialUse);
    for (const path of options.folders ?? []) this.addFolder(path);
  }

  /**
   * A mailbox whose INBOX holds every `.eml` file of `directory`, in file-name order (so the last file is the newest).
   * @throws Error from the file system when the directory cannot be read.
   */
  static async fromEmlDirectory(directory: string, options: InMemoryMailboxOptions & { folder?: string }): Promise<InMemoryMailbox> {
    const mailbox = new InMemoryMailbox(options);
    const files = (await readdir(directory)).filter((f) => f.toLowerCase().endsWith('.eml')).sort();
    for (const file of files) await mailbox.append(options.folder ?? 'INBOX', await readFile(join(directory, file)));
    return mailbox;
  }

  /**
   * Stores a raw message in a folder, as an IMAP APPEND would; used to seed the mailbox.
   * @throws MailboxError (`folder-not-found`) for an unknown folder.
   */
  async append(folder: string, source: Buffer | string, flags: readonly string[] = [], internalDate = new Date()): Promise<MessageSummary> {
    const state = this.folder(folder);
    const bytes = toCrlf(source);
    const stored: StoredMessage = {
      uid: state.uidNext++,
      source: bytes,
      parsed: await parseSource(bytes),
      flags: new Set(flags.map(normalizeFlag)),
      internalDate,
    };
    state.messages.set(stored.uid, stored);
    return summaryFromParsed(stored.parsed, this.meta(state, stored));
  }

  async listFolders(options?: MailboxCallOptions): Promise<MailFolder[]> {
    checkSignal(options);
    return [...this.folders.values()].map((state) => this.describe(state));
  }

  async createFolder(path: string, options?: MailboxCallOptions): Promise<MailFolder> {
    checkSignal(options);
    return this.describe(this.folders.get(path) ?? this.addFolder(path));
  }

  async search(query: MailSearchQuery, options?: MailboxCallOptions): Promise<MailSearchResult> {
    checkSignal(options);
    const state = this.folder(query.folder ?? 'INBOX');
    const matches = [...state.messages.values()].filter((m) => matchesQuery(m, query)).sort((a, b) => b.uid - a.uid);
    return {
      total: matches.length,
      messages: matches.slice(0, query.limit ?? 50).map((m) => summaryFromParsed(m.parsed, this.meta(state, m))),
    };
  }

  async summaries(ids: readonly string[], options?: MailboxCallOptions): Promise<MessageSummary[]> {
    checkSignal(options);
    return ids.map((id) => {
      const { state, message } = this.resolve(parseMessageId(id), id);
      return summaryFromParsed(message.parsed, this.meta(state, message));
    });
  }

  async fetch(id: string, options?: MailboxCallOptions): Promise<MailMessage> {
    checkSignal(options);
    const { state, message } = this.resolve(parseMessageId(id), id);
    return messageFromParsed(message.parsed, this.meta(state, message), { partial: message.source.length > this.maxFetchBytes });
  }

  async move(ids: readonly string[], folder: string, options?: MailboxCallOptions): Promise<MovedMessage[]> {
    checkSignal(options);
    const target = this.folder(folder);
    // Resolve everything first so one bad id moves nothing, as a single IMAP UID MOVE would.
    const resolved = ids.map((id) => ({ id, ...this.resolve(parseMessageId(id), id) }));
    return resolved.map(({ id, state, message }) => {
      if (state === target) return { from: id, to: id };
      state.messages.delete(message.uid);
      const moved = { ...message, uid: target.uidNext++ };
      target.messages.set(moved.uid, moved);
      return { from: id, to: formatMessageId({ folder: target.path, uidValidity: target.uidValidity, uid: moved.uid }) };
    });
  }

  async setFlags(ids: readonly string[], change: FlagChange, options?: MailboxCallOptions): Promise<void> {
    checkSignal(options);
    // Validate every flag before touching any message.
    (change.add ?? []).forEach(normalizeFlag);
    (change.remove ?? []).forEach(normalizeFlag);
    const messages = ids.map((id) => this.resolve(parseMessageId(id), id).message);
    for (const message of messages) applyFlagChange(message.flags, change);
  }

  async saveDraft(mail: OutgoingMail, options?: MailboxCallOptions): Promise<MessageSummary> {
    checkSignal(options);
    const composed = await composeMessage(mail, this.address);
    return this.append(this.special('drafts').path, composed.source, ['\\Draft', '\\Seen']);
  }

  async send(mail: OutgoingMail, options?: MailboxCallOptions): Promise<SentMail> {
    checkSignal(options);
    const composed = await composeMessage(mail, this.address);
    return this.deliver(composed.source, composed.messageId, composed.envelope);
  }

  async sendDraft(draftId: string, options?: MailboxCallOptions): Promise<SentMail> {
    checkSignal(options);
    const ref = parseMessageId(draftId);
    const drafts = this.special('drafts');
    if (ref.folder !== drafts.path) {
      throw new MailboxError('invalid-message', `"${draftId}" is not in the ${drafts.path} folder, so it is not a draft. Save a draft first and send its id.`);
    }
    const { message } = this.resolve(ref, draftId);
    const parsed = message.parsed;
    const recipients = deliveryAddresses(parsed);
    if (recipients.length === 0) throw new MailboxError('invalid-message', `Draft "${draftId}" has no recipients. Add a To address and save it again.`);
    const sent = await this.deliver(message.source, parsed.messageId ?? `<${Date.now()}@claw.local>`, {
      from: this.address.address,
      to: recipients,
    });
    drafts.messages.delete(message.uid);
    return sent;
  }

  async close(): Promise<void> {}

  private async deliver(source: Buffer, messageId: string, envelope: { from: string; to: string[] }): Promise<SentMail> {
    this.outbox.push({ messageId, envelope, source, sentAt: new Date() });
    const copy = await this.append(this.special('sent').path, source, ['\\Seen']);
    return { messageId, accepted: [...envelope.to], rejected: [], sentCopyId: copy.id };
  }

  private addFolder(path: string, specialUse?: SpecialUse): FolderState {
    const state: FolderState = {
      path,
      ...(specialUse ? { specialUse } : {}),
      uidValidity: String(this.nextValidity++),
      uidNext: 1,
      messages: new Map(),
    };
    this.folders.set(path, state);
    return state;
  }

  private describe(state: FolderState): MailFolder {
    const unseen = [...state.messages.values()].filter((m) => !m.flags.has('\\Seen')).length;
    return {
      path: state.path,
      name: state.path.split('/').pop()!,
      ...(state.specialUse ? { specialUse: state.specialUse } : {}),
      messages: state.messages.size,
      unseen,
    };
  }

  private folder(path: string): FolderState {
    const state = this.folders.get(path);
    if (!state) {
      throw new MailboxError('folder-not-found', `Folder "${path}" does not exist. Existing folders: ${[...this.folders.keys()].join(', ')}.`);
    }
    return state;
  }

  private special(use: SpecialUse): FolderState {
    return [...this.folders.values()].find((f) => f.specialUse === use)!;
  }

  private resolve(ref: MessageRef, id: string): { state: FolderState; message: StoredMessage } {
    const state = this.folder(ref.folder);
    const message = state.uidValidity === ref.uidValidity ? state.messages.get(ref.uid) : undefined;
    if (!message) {
      throw new MailboxError('message-not-found', `No message "${id}": it was moved or deleted. Search again for current ids.`);
    }
    return { state, message };
  }

  private meta(state: FolderState, message: StoredMessage): StoredMessageMeta {
    return {
      folder: state.path,
      uidValidity: state.uidValidity,
      uid: message.uid,
      flags: message.flags,
      size: message.source.length,
      internalDate: message.internalDate,
    };
  }
}
