import { InvalidArgumentError } from '@claw/core';
import type { MailAddress } from '../mailbox/mailbox';
import { ImapSmtpMailbox, type ImapSmtpMailboxOptions } from './imap-smtp-mailbox';

/** Connection URLs of a mail account, as kept in environment variables (`CLAW_IMAP_URL`, `CLAW_SMTP_URL`). */
export interface MailboxUrls {
  /** `imaps://user:password@imap.example.com` (993), or `imap://...:143`. Add `?starttls=off` for a local plain server. */
  imap: string;
  /** `smtps://user:password@smtp.example.com` (465) or `smtp://...:587`; defaults to the IMAP host and login on 587. */
  smtp?: string;
  address?: string | MailAddress;
}

function parse(url: string, protocols: readonly string[], name: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(`${name} is not a URL. Write it like ${protocols[1]}://user:password@host:port.`);
  }
  if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new InvalidArgumentError(`${name} must start with ${protocols.map((p) => `${p}://`).join(' or ')}, not ${parsed.protocol}//.`);
  }
  if (!parsed.hostname) throw new InvalidArgumentError(`${name} needs a host name.`);
  return parsed;
}

const starttlsOff = (url: URL) => ['off', 'false', 'no'].includes((url.searchParams.get('starttls') ?? '').toLowerCase());

/**
 * Turns account URLs into {@link ImapSmtpMailboxOptions}. User names and passwords are URL-decoded
 * (write `@` in a user name as `%40`).
 * @throws InvalidArgumentError when a URL is malformed or uses another protocol.
 */
export function mailboxOptionsFromUrls(urls: MailboxUrls): ImapSmtpMailboxOptions {
  const imap = parse(urls.imap, ['imap', 'imaps'], 'The IMAP URL');
  const smtp = urls.smtp ? parse(urls.smtp, ['smtp', 'smtps'], 'The SMTP URL') : undefined;
  const user = decodeURIComponent(imap.username);
  const password = decodeURIComponent(imap.password);
  if (!user) throw new InvalidArgumentError('The IMAP URL needs a user name: imaps://user:password@host.');
  const imapSecure = imap.protocol === 'imaps:';
  const smtpSecure = smtp?.protocol === 'smtps:';
  return {
    imap: {
      host: imap.hostname,
      port: imap.port ? Number(imap.port) : imapSecure ? 993 : 143,
      secure: imapSecure,
      ...(starttlsOff(imap) ? { startTls: false } : {}),
      user,
      password,
    },
    smtp: smtp
      ? {
          host: smtp.hostname,
          port: smtp.port ? Number(smtp.port) : smtpSecure ? 465 : 587,
          secure: smtpSecure,
          ...(starttlsOff(smtp) ? { ignoreTls: true } : {}),
          ...(smtp.username ? { user: decodeURIComponent(smtp.username), password: decodeURIComponent(smtp.password) } : {}),
        }
      : { host: imap.hostname, port: 587, user, password },
    ...(urls.address !== undefined ? { address: urls.address } : {}),
  };
}

/** A mailbox for the account the URLs name; see {@link mailboxOptionsFromUrls}. */
export function imapSmtpMailboxFromUrls(urls: MailboxUrls): ImapSmtpMailbox {
  return new ImapSmtpMailbox(mailboxOptionsFromUrls(urls));
}
