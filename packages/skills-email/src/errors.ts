import { ExternalServiceError } from '@claw/core';

/**
 * What went wrong with a mailbox, normalised across backends:
 * - `auth`: the server refused the login (wrong user or password, or the account is disabled);
 * - `folder-not-found`: the named folder does not exist;
 * - `message-not-found`: no message has that id (moved, deleted, or the folder was recreated);
 * - `refused`: the server understood the command and said no (NO/BAD, a rejected recipient, a quota);
 * - `connection`: the server could not be reached or the connection dropped during a command;
 * - `invalid-message`: a message id, address or draft is malformed.
 */
export type MailboxErrorKind =
  | 'auth'
  | 'folder-not-found'
  | 'message-not-found'
  | 'refused'
  | 'connection'
  | 'invalid-message';

/**
 * The one error every mailbox backend throws: an `ExternalServiceError` (code `EXTERNAL_SERVICE`, `service` is
 * `imap`, `smtp` or `mailbox`) like every skill's failures of the service behind it; `kind` says which of the
 * failures above it is, so callers branch on `kind` rather than on message text. The message says what to do next.
 */
export class MailboxError extends ExternalServiceError {
  declare readonly kind: MailboxErrorKind;
  /** The protocol the failure happened in, when it came from a server. */
  readonly protocol: 'imap' | 'smtp' | undefined;
  /** The server's own words (its NO/BAD text or SMTP reply), when there were any. */
  readonly serverResponse: string | undefined;

  constructor(
    kind: MailboxErrorKind,
    message: string,
    options: { cause?: unknown; protocol?: 'imap' | 'smtp'; serverResponse?: string } = {},
  ) {
    super({ service: options.protocol ?? 'mailbox', kind, message, cause: options.cause });
    this.protocol = options.protocol;
    this.serverResponse = options.serverResponse;
  }
}

/** True when `error` is a {@link MailboxError}, optionally of the given kind. */
export function isMailboxError(error: unknown, kind?: MailboxErrorKind): error is MailboxError {
  return error instanceof MailboxError && (kind === undefined || error.kind === kind);
}
