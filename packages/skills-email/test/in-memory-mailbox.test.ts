import { describe, expect, it } from 'vitest';
import { InMemoryMailbox } from '../src';
import { FIXTURE_DIR, bigMessage } from './fixtures';
import { describeMailboxBackend } from './mailbox-suite';

describeMailboxBackend('in-memory', async () => {
  const mailbox = new InMemoryMailbox({ address: 'Priya Sharma <priya@acme.example>' });
  return {
    mailbox,
    async seed(folder, messages) {
      for (const m of messages) await mailbox.append(folder, m.source, m.flags ?? []);
    },
    async sent() {
      return mailbox.outbox.map(({ envelope, source }) => ({ envelope, source }));
    },
    async dispose() {
      await mailbox.close();
    },
  };
});

describe('InMemoryMailbox', () => {
  it('seeds its INBOX from a directory of .eml files in file-name order', async () => {
    const mailbox = await InMemoryMailbox.fromEmlDirectory(FIXTURE_DIR, { address: 'priya@acme.example' });
    const { total, messages } = await mailbox.search({});
    expect(total).toBe(8);
    expect(messages.at(-1)!.subject).toBe('Frontend Weekly #212: CSS anchor positioning lands everywhere');
    expect(mailbox.address).toEqual({ name: '', address: 'priya@acme.example' });
  });

  it('returns a message over the fetch limit as partial: text kept, attachment listed without content', async () => {
    const mailbox = new InMemoryMailbox({ address: 'priya@acme.example', maxFetchBytes: 100_000 });
    const summary = await mailbox.append('INBOX', bigMessage());
    const message = await mailbox.fetch(summary.id);
    expect(message.partial).toBe(true);
    expect(message.text).toContain('The final logo pack is attached.');
    expect(message.attachments).toEqual([
      { filename: 'brand-assets.zip', contentType: 'application/zip', size: 300_000, disposition: 'attachment' },
    ]);
  });

  it('refuses to seed a folder that does not exist', async () => {
    const mailbox = new InMemoryMailbox({ address: 'priya@acme.example' });
    await expect(mailbox.append('Nope', 'Subject: x\r\n\r\ny')).rejects.toMatchObject({ kind: 'folder-not-found' });
  });
});
