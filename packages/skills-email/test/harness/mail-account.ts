import { ImapFlow } from 'imapflow';
import { ImapSmtpMailbox, type ImapSmtpMailboxOptions } from '../../src';
import { toCrlf } from '../../src/mailbox/parse-message';
import type { DovecotServer } from './dovecot-server';
import type { SmtpSink } from './smtp-sink';

/** A fresh account on the test servers: a Dovecot login and the same login on the SMTP sink. */
export interface MailAccount {
  user: string;
  password: string;
  address: string;
  options: ImapSmtpMailboxOptions;
  /** A new mailbox on this account (close it when done). */
  open(overrides?: Partial<ImapSmtpMailboxOptions>): ImapSmtpMailbox;
  /** A raw imapflow client logged in as this account, for checking what is really on the server. */
  client(): Promise<ImapFlow>;
  /** APPENDs messages with a separate connection, oldest first. */
  seed(folder: string, messages: readonly { source: Buffer | string; flags?: string[] }[]): Promise<void>;
}

/** Takes a fresh Dovecot login and registers it on the SMTP sink. `smtpUsers` is the map the sink checks. */
export async function createMailAccount(dovecot: DovecotServer, smtp: SmtpSink, smtpUsers: Record<string, string>): Promise<MailAccount> {
  const { user, password } = dovecot.takeUser();
  smtpUsers[user] = password;
  const address = `${user}@acme.example`;
  const options: ImapSmtpMailboxOptions = {
    imap: { host: dovecot.host, port: dovecot.port, secure: false, user, password },
    smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user, password },
    address: `Priya Sharma <${address}>`,
  };
  const client = async () => {
    const imap = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user, pass: password }, logger: false });
    imap.on('error', () => undefined);
    await imap.connect();
    return imap;
  };
  return {
    user,
    password,
    address,
    options,
    open: (overrides = {}) => new ImapSmtpMailbox({ ...options, ...overrides }),
    client,
    async seed(folder, messages) {
      const imap = await client();
      try {
        for (const m of messages) await imap.append(folder, toCrlf(m.source), m.flags ?? []);
      } finally {
        await imap.logout();
      }
    },
  };
}
