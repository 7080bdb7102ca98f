import { MailboxError } from '../errors';
import { composeMessage, parseAddresses } from '../mailbox/compose-message';
import { normalizeFlag } from '../mailbox/flags';
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
} from '../mailbox/mailbox';
import { formatMessageId, groupByFolder, parseMessageId } from '../mailbox/message-id';
import { deliveryAddresses, messageFromParsed, parseSource } from '../mailbox/parse-message';
import { attachmentsFromStructure, hasAttachmentPart, toImapSearch, toSpecialUse } from './imap-structure';
import { notFound, requireExisting, summarize, toDate } from './imap-messages';
import { ImapSession, type ImapConnection, type ImapServerOptions } from './imap-session';
import { SmtpSender, type SmtpServerOptions } from './smtp-sender';

/** Options for {@link ImapSmtpMailbox}. */
export interface ImapSmtpMailboxOptions {
  imap: ImapServerOptions;
  smtp: SmtpServerOptions;
  /** The account's address (From of drafts and sent mail). Defaults to the IMAP user when that is an address. */
  address?: string | MailAddress;
  /** Folder names to use when the server does not mark Drafts and Sent with SPECIAL-USE. */
  folders?: { drafts?: string; sent?: string };
  /** Store a copy of sent mail in the Sent folder. Default true (turn off for servers that do it themselves, like Gmail). */
  saveSentCopy?: boolean;
  /** Largest message `fetch` downloads whole; bigger ones come back `partial` (text only). Default 25 MB. */
  maxFetchBytes?: number;
}

/**
 * A real mail account: IMAP (imapflow) for folders, search, reading, moving, flags and drafts; SMTP (nodemailer)
 * for sending; mailparser for MIME and charsets. One IMAP connection is opened on first use and reused; when the
 * server drops it, the next call reconnects (see `ImapSession`). Failures are `MailboxError`s whose `kind`
 * says whether the login, a folder, a message, the server or the connection is at fault.
 */
export class ImapSmtpMailbox implements Mailbox {
  readonly backend = 'imap';
  readonly address: MailAddress;
  private readonly session: ImapSession;
  private readonly smtp: SmtpSender;
  private readonly options: ImapSmtpMailboxOptions;
  private readonly specialFolders = new Map<SpecialUse, string>();

  constructor(options: ImapSmtpMailboxOptions) {
    this.options = options;
    const address = options.address ?? (options.imap.user.includes('@') ? options.imap.user : undefined);
    if (address === undefined) {
      throw new MailboxError('invalid-message', `Set "address" for the mailbox: the IMAP user "${options.imap.user}" is not an email address.`);
    }
    this.address = typeof address === 'string' ? parseAddresses([address])[0]! : address;
    this.session = new ImapSession(options.imap);
    this.smtp = new SmtpSender(options.smtp);
  }

  /** IMAP connections opened so far: stays 1 while the connection is reused, grows by one per reconnect. */
  get connectionsOpened(): number {
    return this.session.opened;
  }

  async listFolders(options?: MailboxCallOptions): Promise<MailFolder[]> {
    return this.session.run('list folders', options?.signal, async ({ client }) => {
      const folders = await client.list({ statusQuery: { messages: true, unseen: true } });
      return folders
        .filter((f) => !f.flags.has('\\Noselect') && !f.flags.has('\\NonExistent'))
        .map((f) => {
          const specialUse = toSpecialUse(f.specialUse) ?? (f.path.toUpperCase() === 'INBOX' ? 'inbox' : undefined);
          return {
            path: f.path,
            name: f.name,
            ...(specialUse ? { specialUse } : {}),
            ...(f.status?.messages !== undefined ? { messages: f.status.messages } : {}),
            ...(f.status?.unseen !== undefined ? { unseen: f.status.unseen } : {}),
          };
        });
    }, { retry: true });
  }

  async createFolder(path: string, options?: MailboxCallOptions): Promise<MailFolder> {
    if (path.trim() === '') throw new MailboxError('invalid-message', 'A folder needs a name.');
    const folders = await this.listFolders(options);
    const existing = folders.find((f) => f.path === path);
    if (existing) return existing;
    return this.session.run(`create folder "${path}"`, options?.signal, async ({ client }) => {
      const created = await client.mailboxCreate(path);
      return { path: created.path, name: created.path.split(client.namespace?.delimiter ?? '/').pop() ?? created.path, messages: 0, unseen: 0 };
    }, { retry: false });
  }

  async search(query: MailSearchQuery, options?: MailboxCallOptions): Promise<MailSearchResult> {
    const folder = query.folder ?? 'INBOX';
    return this.session.run(`search "${folder}"`, options?.signal, (connection) =>
      this.session.inFolder(connection, folder, async (mailbox) => {
        const found = await connection.client.search(toImapSearch(query), { uid: true });
        if (found === false || found === undefined) throw this.refused(connection, `search "${folder}"`);
        const uids = [...found].sort((a, b) => b - a);
        const newest = uids.slice(0, query.limit ?? 50);
        const summaries = await summarize(connection, mailbox, newest);
        return { total: uids.length, messages: newest.flatMap((uid) => summaries.get(uid) ?? []) };
      }), { retry: true });
  }

  async summaries(ids: readonly string[], options?: MailboxCallOptions): Promise<MessageSummary[]> {
    const byId = new Map<string, MessageSummary>();
    for (const [folder, refs] of groupByFolder(ids)) {
      await this.session.run(`read messages in "${folder}"`, options?.signal, (connection) =>
        this.session.inFolder(connection, folder, async (mailbox) => {
          await requireExisting(connection, mailbox, refs);
          const summaries = await summarize(connection, mailbox, refs.map((r) => r.uid));
          for (const ref of refs) byId.set(formatMessageId(ref), summaries.get(ref.uid)!);
        }), { retry: true });
    }
    return ids.map((id) => byId.get(id)!);
  }

  async fetch(id: string, options?: MailboxCallOptions): Promise<MailMessage> {
    const ref = parseMessageId(id);
    const limit = this.options.maxFetchBytes ?? 25 * 1024 * 1024;
    return this.session.run(`read message ${id}`, options?.signal, (connection) =>
      this.session.inFolder(connection, ref.folder, async (mailbox) => {
        await requireExisting(connection, mailbox, [ref]);
        const { client } = connection;
        const meta = await client.fetchOne(String(ref.uid), { uid: true, flags: true, size: true, internalDate: true, bodyStructure: true }, { uid: true });
        if (!meta) throw notFound(id);
        const partial = (meta.size ?? 0) > limit;
        const row = await client.fetchOne(String(ref.uid), { uid: true, source: partial ? { maxLength: limit } : true }, { uid: true });
        if (!row || !row.source) throw notFound(id);
        const parsed = await parseSource(row.source);
        const stored = {
          folder: mailbox.path,
          uidValidity: mailbox.uidValidity.toString(),
          uid: ref.uid,
          flags: meta.flags ?? [],
          size: meta.size ?? row.source.length,
          hasAttachments: hasAttachmentPart(meta.bodyStructure),
          ...(toDate(meta.internalDate) ? { internalDate: toDate(meta.internalDate)! } : {}),
        };
        return partial
          ? messageFromParsed(parsed, stored, { partial: true, attachmentsOverride: attachmentsFromStructure(meta.bodyStructure) })
          : messageFromParsed(parsed, stored);
      }), { retry: true });
  }

  async move(ids: readonly string[], folder: string, options?: MailboxCallOptions): Promise<MovedMessage[]> {
    const groups = groupByFolder(ids);
    const folders = await this.listFolders(options);
    if (!folders.some((f) => f.path === folder)) {
      throw new MailboxError('folder-not-found', `Folder "${folder}" does not exist. Existing folders: ${folders.map((f) => f.path).join(', ')}.`);
    }
    const moved = new Map<string, string | undefined>();
    for (const [source, refs] of groups) {
      const operation = `move ${refs.length} message(s) from "${source}" to "${folder}"`;
      // Not retried: if the connection dropped during MOVE, the messages may already be in the target.
      await this.session.run(operation, options?.signal, (connection) =>
        this.session.inFolder(connection, source, async (mailbox) => {
          await requireExisting(connection, mailbox, refs);
          if (source === folder) {
            for (const ref of refs) moved.set(formatMessageId(ref), formatMessageId(ref));
            return;
          }
          const result = await connection.client.messageMove(refs.map((r) => r.uid).join(','), folder, { uid: true });
          if (!result) throw this.refused(connection, operation);
          const validity = result.uidValidity?.toString();
          for (const ref of refs) {
            const uid = result.uidMap?.get(ref.uid);
            moved.set(formatMessageId(ref), uid !== undefined && validity ? formatMessageId({ folder, uidValidity: validity, uid }) : undefined);
          }
        }), { retry: false });
    }
    return ids.map((id) => ({ from: id, to: moved.get(id) }));
  }

  async setFlags(ids: readonly string[], change: FlagChange, options?: MailboxCallOptions): Promise<void> {
    const add = (change.add ?? []).map(normalizeFlag);
    const remove = (change.remove ?? []).map(normalizeFlag);
    for (const [folder, refs] of groupByFolder(ids)) {
      const operation = `change flags of ${refs.length} message(s) in "${folder}"`;
      // Adding or removing a flag twice leaves the same result, so a dropped connection is simply retried.
      await this.session.run(operation, options?.signal, (connection) =>
        this.session.inFolder(connection, folder, async (mailbox) => {
          await requireExisting(connection, mailbox, refs);
          const range = refs.map((r) => r.uid).join(',');
          if (add.length > 0 && !(await connection.client.messageFlagsAdd(range, add, { uid: true }))) throw this.refused(connection, operation);
          if (remove.length > 0 && !(await connection.client.messageFlagsRemove(range, remove, { uid: true }))) throw this.refused(connection, operation);
        }), { retry: true });
    }
  }

  async saveDraft(mail: OutgoingMail, options?: MailboxCallOptions): Promise<MessageSummary> {
    const composed = await composeMessage(mail, this.address);
    const drafts = await this.folderFor('drafts', options);
    const uid = await this.store(drafts, composed.source, composed.messageId, ['\\Draft', '\\Seen'], `save a draft in "${drafts}"`, options);
    const [summary] = await this.summaries([formatMessageId({ folder: drafts, ...uid })], options);
    return summary!;
  }

  async send(mail: OutgoingMail, options?: MailboxCallOptions): Promise<SentMail> {
    const composed = await composeMessage(mail, this.address);
    const receipt = await this.smtp.send(composed.source, composed.envelope, options?.signal);
    const copy = await this.keepSentCopy(composed.source, composed.messageId);
    return { messageId: composed.messageId, ...receipt, ...copy };
  }

  async sendDraft(draftId: string, options?: MailboxCallOptions): Promise<SentMail> {
    const ref = parseMessageId(draftId);
    const drafts = await this.folderFor('drafts', options);
    if (ref.folder !== drafts) {
      throw new MailboxError('invalid-message', `"${draftId}" is not in the ${drafts} folder, so it is not a draft. Save a draft first and send its id.`);
    }
    const source = await this.session.run(`read draft ${draftId}`, options?.signal, (connection) =>
      this.session.inFolder(connection, drafts, async (mailbox) => {
        await requireExisting(connection, mailbox, [ref]);
        const row = await connection.client.fetchOne(String(ref.uid), { uid: true, source: true }, { uid: true });
        if (!row || !row.source) throw notFound(draftId);
        return row.source;
      }), { retry: true });
    const parsed = await parseSource(source);
    const to = deliveryAddresses(parsed);
    if (to.length === 0) throw new MailboxError('invalid-message', `Draft "${draftId}" has no recipients. Add a To address and save it again.`);
    const messageId = parsed.messageId ?? '';
    const receipt = await this.smtp.send(source, { from: this.address.address, to }, options?.signal);
    const copy = await this.keepSentCopy(source, messageId);
    // The draft has been sent: remove it so nobody sends it a second time.
    const warnings = [...(copy.warnings ?? [])];
    try {
      await this.session.run(`remove sent draft ${draftId}`, undefined, (connection) =>
        this.session.inFolder(connection, drafts, async () => {
          if (!(await connection.client.messageDelete(String(ref.uid), { uid: true }))) throw this.refused(connection, `remove sent draft ${draftId}`);
        }), { retry: true });
    } catch (error) {
      warnings.push(`The draft was sent but could not be removed from ${drafts}: ${(error as Error).message}`);
    }
    return { messageId, ...receipt, ...(copy.sentCopyId ? { sentCopyId: copy.sentCopyId } : {}), ...(warnings.length > 0 ? { warnings } : {}) };
  }

  async close(): Promise<void> {
    this.smtp.close();
    await this.session.close();
  }

  private async keepSentCopy(source: Buffer, messageId: string): Promise<{ sentCopyId?: string; warnings?: string[] }> {
    if (this.options.saveSentCopy === false) return {};
    try {
      const sent = await this.folderFor('sent');
      const uid = await this.store(sent, source, messageId, ['\\Seen'], `store a copy in "${sent}"`);
      return { sentCopyId: formatMessageId({ folder: sent, ...uid }) };
    } catch (error) {
      // The message is already sent; a missing copy in Sent must not turn a delivered message into a failure.
      return { warnings: [`The message was sent but no copy was stored in Sent: ${(error as Error).message}`] };
    }
  }

  /** APPENDs a message and returns its UID (via UIDPLUS, or by searching its Message-ID when the server lacks it). */
  private async store(
    folder: string,
    source: Buffer,
    messageId: string,
    flags: string[],
    operation: string,
    options?: MailboxCallOptions,
  ): Promise<{ uidValidity: string; uid: number }> {
    // Not retried: a dropped APPEND may have stored the message, and a retry would store it twice.
    const appended = await this.session.run(operation, options?.signal, async ({ client }) => client.append(folder, source, flags, new Date()), {
      retry: false,
    });
    if (appended && appended.uid !== undefined && appended.uidValidity !== undefined) {
      return { uidValidity: appended.uidValidity.toString(), uid: appended.uid };
    }
    return this.session.run(`find stored message in "${folder}"`, options?.signal, (connection) =>
      this.session.inFolder(connection, folder, async (mailbox) => {
        const uids = (await connection.client.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
        const uid = Math.max(0, ...uids);
        if (uid === 0) throw new MailboxError('refused', `The server accepted the message into "${folder}" but it cannot be found there.`, { protocol: 'imap' });
        return { uidValidity: mailbox.uidValidity.toString(), uid };
      }), { retry: true });
  }

  private async folderFor(use: 'drafts' | 'sent', options?: MailboxCallOptions): Promise<string> {
    const known = this.specialFolders.get(use);
    if (known) return known;
    const folders = await this.listFolders(options);
    const configured = this.options.folders?.[use];
    const path =
      configured ??
      folders.find((f) => f.specialUse === use)?.path ??
      folders.find((f) => f.name.toLowerCase() === use)?.path ??
      (use === 'drafts' ? 'Drafts' : 'Sent');
    this.specialFolders.set(use, path);
    return path;
  }

  private refused(connection: ImapConnection, operation: string): MailboxError {
    const said = connection.lastRefusal;
    return new MailboxError('refused', `The IMAP server ${this.session.server} refused to ${operation}${said ? `: ${said}` : ''}.`, {
      protocol: 'imap',
      ...(said ? { serverResponse: said } : {}),
    });
  }
}
