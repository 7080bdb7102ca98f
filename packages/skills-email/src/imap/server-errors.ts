import { AbortedError, ClawError } from '@claw/core';
import { MailboxError } from '../errors';

/** Where a failure happened, for a message that names the server and the operation. */
export interface FailureContext {
  /** e.g. `move 3 messages to "Archive"`. */
  operation: string;
  /** `host:port` of the server. */
  server: string;
  user?: string;
}

const IMAP_CONNECTION_CODES = new Set([
  'NoConnection',
  'EConnectionClosed',
  'StateLogout',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'UPGRADE_TIMEOUT',
  'ETIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
]);

const SMTP_CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY', 'ECONNREFUSED', 'ECONNRESET']);

interface ServerErrorShape {
  code?: string;
  authenticationFailed?: boolean;
  responseText?: string;
  responseStatus?: string;
  serverResponseCode?: string;
  mailboxMissing?: boolean;
  response?: unknown;
  responseCode?: number;
  rejected?: string[];
  message?: string;
}

/** True when an imapflow error means the connection is gone (so a new one may succeed). */
export function isImapConnectionLoss(error: unknown): boolean {
  const e = error as ServerErrorShape | undefined;
  return !!e && typeof e.code === 'string' && IMAP_CONNECTION_CODES.has(e.code);
}

/** Translates an imapflow error into a {@link MailboxError} that says what to do. Claw errors pass through. */
export function imapFailure(error: unknown, context: FailureContext): ClawError {
  if (error instanceof ClawError) return error;
  const e = (error ?? {}) as ServerErrorShape;
  const said = e.responseText ?? (typeof e.response === 'string' ? e.response : undefined);
  const options = { cause: error, protocol: 'imap' as const, ...(said ? { serverResponse: said } : {}) };
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return new MailboxError(
      'auth',
      `The IMAP server ${context.server} refused the login${context.user ? ` of "${context.user}"` : ''}${said ? ` (${said})` : ''}. Check the user name and password (or app password) in the IMAP settings.`,
      options,
    );
  }
  if (isImapConnectionLoss(error)) {
    return new MailboxError(
      'connection',
      `Lost or could not open the IMAP connection to ${context.server} during ${context.operation} (${e.code}: ${e.message}). Check that the server is reachable; the mailbox reconnects on the next call.`,
      options,
    );
  }
  return new MailboxError(
    'refused',
    `The IMAP server ${context.server} refused to ${context.operation}${said ? `: ${said}` : ` (${e.message ?? String(error)})`}.`,
    options,
  );
}

/** Translates a nodemailer error into a {@link MailboxError}. Claw errors pass through. */
export function smtpFailure(error: unknown, context: FailureContext): ClawError {
  if (error instanceof ClawError) return error;
  if (error instanceof Error && error.name === 'AbortError') return new AbortedError();
  const e = (error ?? {}) as ServerErrorShape;
  const said = typeof e.response === 'string' ? e.response : undefined;
  const options = { cause: error, protocol: 'smtp' as const, ...(said ? { serverResponse: said } : {}) };
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH' || e.responseCode === 535) {
    return new MailboxError(
      'auth',
      `The SMTP server ${context.server} refused the login${context.user ? ` of "${context.user}"` : ''}${said ? ` (${said})` : ''}. Check the SMTP user name and password.`,
      options,
    );
  }
  if (e.code !== undefined && SMTP_CONNECTION_CODES.has(e.code)) {
    return new MailboxError(
      'connection',
      `Could not talk to the SMTP server ${context.server} to ${context.operation} (${e.code}: ${e.message}). Nothing was confirmed as sent; check the server before sending again.`,
      options,
    );
  }
  const rejected = e.rejected && e.rejected.length > 0 ? ` Rejected recipients: ${e.rejected.join(', ')}.` : '';
  const temporary = e.responseCode !== undefined && e.responseCode >= 400 && e.responseCode < 500;
  return new MailboxError(
    'refused',
    `The SMTP server ${context.server} refused to ${context.operation}${said ? `: ${said}` : ` (${e.message ?? String(error)})`}.${rejected}${temporary ? ' The refusal is temporary: try again later.' : ''}`,
    options,
  );
}
