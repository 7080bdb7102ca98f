import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError } from '@claw/core';
import { isMailboxError } from '../src';
import { hasDovecot, startDovecot, type DovecotServer } from './harness/dovecot-server';
import { createMailAccount } from './harness/mail-account';
import { startSmtpSink, type SmtpSink } from './harness/smtp-sink';
import { bigMessage, fixtureMessages } from './fixtures';
import { describeMailboxBackend } from './mailbox-suite';

describe.runIf(hasDovecot || !!process.env.CI)('ImapSmtpMailbox against Dovecot and smtp-server', () => {
  let dovecot: DovecotServer;
  let smtp: SmtpSink;
  const smtpUsers: Record<string, string> = {};

  beforeAll(async () => {
    dovecot = await startDovecot();
    smtp = await startSmtpSink({ users: smtpUsers, rejectRecipient: (a) => a.endsWith('@blocked.example') });
  });
  afterAll(async () => {
    await smtp?.stop();
    await dovecot?.stop();
  });

  describeMailboxBackend('imap + smtp', async () => {
    const account = await createMailAccount(dovecot, smtp, smtpUsers);
    const mailbox = account.open();
    return {
      mailbox,
      seed: (folder, messages) => account.seed(folder, messages),
      async sent() {
        return smtp.received.filter((m) => m.user === account.user).map(({ envelope, source }) => ({ envelope, source }));
      },
      dispose: () => mailbox.close(),
    };
  });

  it('reuses one IMAP connection for consecutive calls', async () => {
    const account = await createMailAccount(dovecot, smtp, smtpUsers);
    await account.seed('INBOX', fixtureMessages());
    const mailbox = account.open();
    try {
      const { messages } = await mailbox.search({});
      await mailbox.fetch(messages[0]!.id);
      await mailbox.setFlags([messages[1]!.id], { add: ['\\Flagged'] });
      await mailbox.listFolders();
      expect(mailbox.connectionsOpened).toBe(1);
    } finally {
      await mailbox.close();
    }
  });

  it('fails with an auth error, naming the server, when the password is wrong', async () => {
    const account = await createMailAccount(dovecot, smtp, smtpUsers);
    const mailbox = account.open({ imap: { ...account.options.imap, password: 'wrong-password' } });
    const error = await mailbox.search({}).catch((e: unknown) => e);
    expect(isMailboxError(error, 'auth')).toBe(true);
    expect((error as Error).message).toContain(`127.0.0.1:${dovecot.port}`);
    expect((error as Error).message).toContain('Check the user name and password');
    expect(mailbox.connectionsOpened).toBe(0);
  });

  it('fails with an auth error when SMTP refuses the login, and sends nothing', async () => {
    const account = await createMailAccount(dovecot, smtp, smtpUsers);
    const mailbox = account.open({ smtp: { ...account.options.smtp, password: 'wrong-password' } });
    try {
      const error = await mailbox.send({ to: ['dana@customer.example'], subject: 'x', text: 'y' }).catch((e: unknown) => e);
      expect(isMailboxError(error, 'auth')).toBe(true);
      expect((error as { protocol?: string }).protocol).toBe('smtp');
      expect(smtp.received.filter((m) => m.user === account.user)).toEqual([]);
    } finally {
      await mailbox.close();
    }
  });

  it('reports a recipient the SMTP server refuses as a server refusal with its reply', async () => {
    const account = await createMailAccount(dovecot, smtp, smtpUsers);
    const mailbox = account.open();
    try {
      const error = await mailbox.send({ to: ['x@blocked.example'], subject: 'x', text: 'y' }).catch((e: unknown) => e);
      expect(isMailboxError(error, 'refused')).toBe(true);
      expect((error as Error).message).toContain('x@blocked.example');
      expect((error as { serverResponse?: string }).serverResponse).toMatch(/^550/);
    } finally {
      await mailbox.close();
    }
  });

  it('reports a command the IMAP server refuses with the server\'s own words', async () => {
    const account = await createMailAccount(dovecot, smtp, smtpUsers);
    const mailbox = account.open();
    try {
      const error = await mailbox.createFolder('Bad/../Name').catch((e: unknown) => e);
      expect(isMailboxError(error, 'refused')).toBe(true);
      expect((error as { serverResponse?: string }).serverResponse).toMatch(/mailbox name/i);
      expect((error as Error).message).toContain('refused to create folder "Bad/../Name"');
      // The refusal did not cost the connection.
      expect((await mailbox.listFolders()).length).toBeGreaterThan(0);
      expect(mailbox.connectionsOpened).toBe(1);
    } finally {
      await mailbox.close();
    }
  });

  it('stops a call whose signal fires while it waits, and the next call works', async () => {
    const account = await createMailAccount(dovecot, smtp, smtpUsers);
    await account.seed('INBOX', fixtureMessages());
    const mailbox = account.open();
    try {
      const controller = new AbortController();
      const pending = mailbox.search({}, { signal: controller.signal });
      controller.abort();
      await expect(pending).rejects.toBeInstanceOf(AbortedError);
      expect((await mailbox.search({})).total).toBe(8);
    } finally {
      await mailbox.close();
    }
  });

  it('reports a sent message as sent, with a warning, when its copy cannot be stored in Sent', async () => {
    const account = await createMailAccount(dovecot, smtp, smtpUsers);
    const mailbox = account.open({ folders: { sent: 'No Such Sent' } });
    try {
      const sent = await mailbox.send({ to: ['dana@customer.example'], subject: 'Invoice', text: 'Attached.' });
      expect(sent.accepted).toEqual(['dana@customer.example']);
      expect(sent.sentCopyId).toBeUndefined();
      expect(sent.warnings).toEqual([expect.stringMatching(/^The message was sent but no copy was stored in Sent: .*No Such Sent/)]);
      expect(smtp.received.filter((m) => m.user === account.user)).toHaveLength(1);
    } finally {
      await mailbox.close();
    }
  });

  it('fails with a connection error when nothing listens', async () => {
    const account = await createMailAccount(dovecot, smtp, smtpUsers);
    const mailbox = account.open({ imap: { ...account.options.imap, port: 1 } });
    const error = await mailbox.listFolders().catch((e: unknown) => e);
    expect(isMailboxError(error, 'connection')).toBe(true);
  });

  it('reconnects after the server kicks the connection mid-session', async () => {
    const account = await createMailAccount(dovecot, smtp, smtpUsers);
    await account.seed('INBOX', fixtureMessages());
    const mailbox = account.open();
    try {
      const before = await mailbox.search({});
      expect(mailbox.connectionsOpened).toBe(1);
      await dovecot.kick(account.user);
      // No wait for the close event: the next call may find the socket already dead or still half-open.
      const after = await mailbox.search({});
      expect(after.messages.map((m) => m.id)).toEqual(before.messages.map((m) => m.id));
      expect(mailbox.connectionsOpened).toBe(2);
      await mailbox.setFlags([after.messages[0]!.id], { add: ['\\Flagged'] });
      expect(mailbox.connectionsOpened).toBe(2);
    } finally {
      await mailbox.close();
    }
  });

  it('reconnects after Dovecot is stopped and started again', async () => {
    const account = await createMailAccount(dovecot, smtp, smtpUsers);
    await account.seed('INBOX', fixtureMessages());
    const mailbox = account.open();
    try {
      expect((await mailbox.search({})).total).toBe(8);
      await dovecot.restart();
      expect((await mailbox.search({})).total).toBe(8);
      expect(mailbox.connectionsOpened).toBe(2);
    } finally {
      await mailbox.close();
    }
  });

  it('downloads a message over the fetch limit only partly: text complete, attachment listed by size', async () => {
    const account = await createMailAccount(dovecot, smtp, smtpUsers);
    await account.seed('INBOX', [{ source: bigMessage() }]);
    const mailbox = account.open({ maxFetchBytes: 100_000 });
    try {
      const [summary] = (await mailbox.search({})).messages;
      const message = await mailbox.fetch(summary!.id);
      expect(message.partial).toBe(true);
      expect(message.text).toContain('The final logo pack is attached.');
      expect(message.attachments).toHaveLength(1);
      expect(message.attachments[0]).toMatchObject({ filename: 'brand-assets.zip', contentType: 'application/zip', disposition: 'attachment' });
      expect(message.attachments[0]!.content).toBeUndefined();
      expect(message.attachments[0]!.size).toBeGreaterThan(290_000);
    } finally {
      await mailbox.close();
    }
  });
});
