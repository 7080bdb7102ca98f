/**
 * The contract every mail backend implements. Tools only ever talk to a `Mailbox`, so the skill runs the same
 * against a real IMAP/SMTP account and against the in-memory inbox used by examples and fast tests; one shared
 * backend suite (test/mailbox-suite.ts) holds both to it.
 */

/** A person's address as it appears in a header. `name` is '' when the header gave none. */
export interface MailAddress {
  name: string;
  address: string;
}

/** Folders with a job, found by IMAP SPECIAL-USE (RFC 6154) or by name. */
export type SpecialUse = 'inbox' | 'drafts' | 'sent' | 'trash' | 'junk' | 'archive';

/** One folder of the mailbox. `path` is what every other call takes. */
export interface MailFolder {
  path: string;
  name: string;
  specialUse?: SpecialUse;
  /** Number of messages, when the backend reports it cheaply. */
  messages?: number;
  /** Number of messages without `\Seen`. */
  unseen?: number;
}

/**
 * The headers triage rules may test, lower-cased. Only these are carried in summaries: enough to tell a mailing
 * list or an automated message from a person, without shipping every header to the model.
 */
export const SUMMARY_HEADERS = [
  'list-id',
  'list-unsubscribe',
  'precedence',
  'auto-submitted',
  'x-priority',
  'importance',
] as const;

/** A header name carried in {@link MessageSummary.headers}. */
export type SummaryHeader = (typeof SUMMARY_HEADERS)[number];

/** What a search returns for each message: headers and flags, no body. */
export interface MessageSummary {
  /**
   * Stable id of this message in this folder: `<folder>:<uidValidity>:<uid>`. A moved message gets a new id.
   * Ids never name another message: if the folder is recreated (new UIDVALIDITY) old ids stop resolving.
   */
  id: string;
  folder: string;
  uid: number;
  /** The RFC 5322 Message-ID, angle brackets included, when the message has one. */
  messageId?: string;
  subject: string;
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  /** Blind-copy recipients written in the stored message (drafts may carry them; received mail rarely does). */
  bcc: MailAddress[];
  replyTo: MailAddress[];
  /** The Date header, or the arrival time when the header is missing or unreadable. */
  date: Date;
  /** IMAP flags and keywords as stored (`\Seen`, `\Flagged`, `$Label1`, ...), sorted. */
  flags: string[];
  /** Size of the raw message in bytes. */
  size: number;
  /** True when some part has `Content-Disposition: attachment`. */
  hasAttachments: boolean;
  /** Values of {@link SUMMARY_HEADERS} present on the message, unfolded. */
  headers: Partial<Record<SummaryHeader, string>>;
}

/** One attachment of a fetched message. */
export interface MailAttachment {
  filename?: string;
  contentType: string;
  /** Decoded size in bytes (estimated from the encoded size when the content was not downloaded). */
  size: number;
  disposition: 'attachment' | 'inline';
  /** The decoded content; absent when the message was larger than the fetch limit and the part was skipped. */
  content?: Buffer;
}

/** A fully parsed message. */
export interface MailMessage extends MessageSummary {
  /** Plain text body (converted from HTML when the message has no text part). */
  text: string;
  html?: string;
  inReplyTo?: string;
  references: string[];
  attachments: MailAttachment[];
  /** True when the message was over the fetch limit: headers and text are complete, attachment contents are not. */
  partial: boolean;
}

/** Search criteria; all given criteria must hold. Text criteria are case-insensitive substrings. */
export interface MailSearchQuery {
  /** Folder to search; defaults to INBOX. */
  folder?: string;
  /** Anywhere in headers or body. */
  text?: string;
  from?: string;
  to?: string;
  subject?: string;
  /** Messages dated on or after this day (day granularity, as IMAP SENTSINCE). */
  since?: Date;
  /** Messages dated before this day (day granularity, as IMAP SENTBEFORE). */
  before?: Date;
  unseen?: boolean;
  flagged?: boolean;
  /** Messages carrying this keyword. */
  keyword?: string;
  /** Most messages to return, newest first. Default 50. */
  limit?: number;
}

/** A search result: the newest `limit` matches and how many matched in all. */
export interface MailSearchResult {
  total: number;
  messages: MessageSummary[];
}

/** A message to save as a draft or send. Addresses are RFC 5322 strings (`Name <a@b>` or `a@b`). */
export interface OutgoingMail {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  /** Message-ID of the message this replies to. */
  inReplyTo?: string;
  references?: string[];
}

/** Where a moved message went. `to` is undefined when the server did not report the new UID. */
export interface MovedMessage {
  from: string;
  to: string | undefined;
}

/** What an SMTP server said about a message it took. */
export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** Id of the copy stored in the Sent folder, when one was stored. */
  sentCopyId?: string;
  /**
   * Follow-up steps that failed after the message was accepted (storing the Sent copy, removing the sent draft).
   * The message itself was sent; these are reported instead of thrown so a delivered message never looks failed.
   */
  warnings?: string[];
}

/** Flags to add and remove; system flags are written `\Seen`, keywords without a backslash. */
export interface FlagChange {
  add?: string[];
  remove?: string[];
}

/** Per-call options. The signal cancels the call; see each backend for what cancellation means mid-command. */
export interface MailboxCallOptions {
  signal?: AbortSignal;
}

/**
 * A mail account the email skill can work on. Every method throws `MailboxError` (see its `kind`) for failures of
 * the mailbox itself, and `AbortedError` from @claw/core when the signal fires.
 */
export interface Mailbox {
  /** Backend name for logs and reports, e.g. `imap` or `memory`. */
  readonly backend: string;
  /** The account's own address: the From of drafts and sent mail. */
  readonly address: MailAddress;

  /** Every folder of the account. */
  listFolders(options?: MailboxCallOptions): Promise<MailFolder[]>;
  /** Creates a folder; succeeds when it already exists. */
  createFolder(path: string, options?: MailboxCallOptions): Promise<MailFolder>;
  /** Messages of one folder matching the query, newest first. Throws `folder-not-found` for an unknown folder. */
  search(query: MailSearchQuery, options?: MailboxCallOptions): Promise<MailSearchResult>;
  /** Summaries of the given ids, in the same order. Throws `message-not-found` for an id that does not resolve. */
  summaries(ids: readonly string[], options?: MailboxCallOptions): Promise<MessageSummary[]>;
  /** The full message. Throws `message-not-found` for an id that does not resolve. */
  fetch(id: string, options?: MailboxCallOptions): Promise<MailMessage>;
  /** Moves messages to a folder; returns where each went, in the order given. */
  move(ids: readonly string[], folder: string, options?: MailboxCallOptions): Promise<MovedMessage[]>;
  /** Adds and removes flags on messages. Throws `message-not-found` for an id that does not resolve, `invalid-message` for an unknown system flag. */
  setFlags(ids: readonly string[], change: FlagChange, options?: MailboxCallOptions): Promise<void>;
  /** Stores a message in the Drafts folder (flagged `\Draft`) and returns its summary. Never sends. */
  saveDraft(mail: OutgoingMail, options?: MailboxCallOptions): Promise<MessageSummary>;
  /** Sends a new message and stores a copy in Sent. */
  send(mail: OutgoingMail, options?: MailboxCallOptions): Promise<SentMail>;
  /**
   * Sends a stored draft byte for byte, stores it in Sent and removes the draft. A draft id names one immutable
   * version (an edited draft gets a new id), so approving a draft id approves exactly that content.
   */
  sendDraft(draftId: string, options?: MailboxCallOptions): Promise<SentMail>;
  /** Releases connections; later calls reconnect. */
  close(): Promise<void>;
}
