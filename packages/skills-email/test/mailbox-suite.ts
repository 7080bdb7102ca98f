import { AbortedError } from '@claw/core';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMailboxError, type Mailbox, type MailboxErrorKind } from '../src';
import { OLD_MESSAGE, fixtureMessages } from './fixtures';

/** What each backend provides to the shared suite. */
export interface MailboxFixture {
  mailbox: Mailbox;
  /** Stores raw messages in a folder the way mail arrives, oldest first. */
  seed(folder: string, messages: readonly { source: Buffer | string; flags?: string[] }[]): Promise<void>;
  /** Messages handed to SMTP (or the in-memory outbox) from this mailbox. */
  sent(): Promise<{ envelope: { from: string; to: string[] }; source: Buffer }[]>;
  dispose(): Promise<void>;
}

async function expectMailboxError(promise: Promise<unknown>, kind: MailboxErrorKind): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isMailboxError(error, kind), `expected MailboxError(${kind}), got ${String(error)}`).toBe(true);
}

/**
 * The behaviour every `Mailbox` backend must share, run against the in-memory mailbox and against Dovecot +
 * smtp-server. `create` gives each test a fresh, empty account.
 */
export function describeMailboxBackend(name: string, create: () => Promise<MailboxFixture>): void {
  describe(`Mailbox backend: ${name}`, () => {
    let fx: MailboxFixture;
    let mailbox: Mailbox;

    beforeEach(async () => {
      fx = await create();
      mailbox = fx.mailbox;
      const messages = fixtureMessages().map((m) => ({
        source: m.source,
        flags: m.name.startsWith('01-') ? ['\\Seen'] : [],
      }));
      await fx.seed('INBOX', [{ source: OLD_MESSAGE, flags: ['\\Seen'] }, ...messages]);
    });
    afterEach(async () => {
      await fx.dispose();
    });

    const subjects = async (query: Parameters<Mailbox['search']>[0]) => (await mailbox.search(query)).messages.map((m) => m.subject);

    it('lists the standard folders with their special use and counts', async () => {
      const folders = await mailbox.listFolders();
      const byUse = Object.fromEntries(folders.filter((f) => f.specialUse).map((f) => [f.specialUse, f.path]));
      expect(byUse).toMatchObject({ inbox: 'INBOX', drafts: 'Drafts', sent: 'Sent', trash: 'Trash', archive: 'Archive' });
      expect(folders.find((f) => f.path === 'INBOX')).toMatchObject({ messages: 9, unseen: 7 });
    });

    it('creates a folder once, however often it is asked', async () => {
      await mailbox.createFolder('Newsletters');
      await mailbox.createFolder('Newsletters');
      const paths = (await mailbox.listFolders()).map((f) => f.path);
      expect(paths.filter((p) => p === 'Newsletters')).toHaveLength(1);
    });

    it('searches newest first, with decoded headers and a total', async () => {
      const result = await mailbox.search({ limit: 3 });
      expect(result.total).toBe(9);
      expect(result.messages.map((m) => m.subject)).toEqual([
        'Your DevConf 2026 ticket',
        'Action required: mailbox migration',
        'Réunion de lundi déplacée',
      ]);
      const latin1 = result.messages[2]!;
      expect(latin1.from).toEqual([{ name: 'José Müller', address: 'jose@partner.example' }]);
      expect(latin1.messageId).toBe('<reunion-lundi@partner.example>');
      expect(latin1.date.toISOString()).toBe('2026-03-02T11:45:00.000Z');
      expect(latin1.id).toMatch(/^INBOX:\d+:\d+$/);
      expect(latin1.size).toBeGreaterThan(300);
    });

    it('filters by sender, recipient, subject, text, seen state and date', async () => {
      expect(await subjects({ from: 'github' })).toEqual(['[acme/api] Run failed: CI - main (4f2c1d9)']);
      expect(await subjects({ to: 'noreply.github' })).toEqual(['[acme/api] Run failed: CI - main (4f2c1d9)']);
      expect(await subjects({ subject: 'INVOICE' })).toEqual(['Question about our invoice']);
      expect(await subjects({ text: 'churn numbers' })).toEqual(['Need the Q1 numbers before 3pm today']);
      expect(await subjects({ text: 'déplacée à 14h' })).toEqual(['Réunion de lundi déplacée']);
      expect((await mailbox.search({ unseen: false })).messages.map((m) => m.subject).sort()).toEqual([
        'Frontend Weekly #212: CSS anchor positioning lands everywhere',
        'Happy new year',
      ]);
      expect((await mailbox.search({ unseen: true })).total).toBe(7);
      expect(await subjects({ before: new Date('2026-02-01') })).toEqual(['Happy new year']);
      expect((await mailbox.search({ since: new Date('2026-03-02') })).total).toBe(8);
      expect((await mailbox.search({ from: 'github', subject: 'newsletter' })).total).toBe(0);
    });

    it('carries list headers and an attachment marker in summaries', async () => {
      const { messages } = await mailbox.search({});
      const newsletter = messages.find((m) => m.subject.startsWith('Frontend Weekly'))!;
      expect(newsletter.headers['list-unsubscribe']).toBe('<https://frontendweekly.example/unsubscribe?u=priya>');
      expect(newsletter.headers.precedence).toBe('bulk');
      expect(newsletter.flags).toEqual(['\\Seen']);
      expect(messages.filter((m) => m.hasAttachments).map((m) => m.subject)).toEqual(['Your receipt for March 2026']);
      const summaries = await mailbox.summaries([newsletter.id, messages[0]!.id]);
      expect(summaries.map((s) => s.subject)).toEqual([newsletter.subject, messages[0]!.subject]);
    });

    it('fetches and parses bodies: charsets, HTML-only mail and attachments', async () => {
      const { messages } = await mailbox.search({});
      const find = (prefix: string) => messages.find((m) => m.subject.startsWith(prefix))!.id;

      const latin1 = await mailbox.fetch(find('Réunion'));
      expect(latin1.text).toContain('La réunion de lundi est déplacée à 14h.');

      const html = await mailbox.fetch(find('Your DevConf'));
      expect(html.html).toContain('<h1>See you in Lisbon!</h1>');
      expect(html.text).toMatch(/SEE YOU IN LISBON!|See you in Lisbon!/);
      expect(html.text).toContain('#99120');

      const receipt = await mailbox.fetch(find('Your receipt'));
      expect(receipt.partial).toBe(false);
      expect(receipt.text).toContain('$412.00');
      expect(receipt.attachments).toHaveLength(1);
      const [pdf] = receipt.attachments;
      expect(pdf).toMatchObject({ filename: 'receipt-2026-03.pdf', contentType: 'application/pdf', disposition: 'attachment' });
      expect(pdf!.content?.subarray(0, 8).toString()).toBe('%PDF-1.4');
      expect(pdf!.size).toBe(pdf!.content!.length);

      const raj = await mailbox.fetch(find('Need the Q1'));
      expect(raj.references).toEqual([]);
      expect(raj.flags).toEqual([]);
    });

    it('reports unknown messages, malformed ids and unknown folders by kind', async () => {
      const [first] = (await mailbox.search({ limit: 1 })).messages;
      const unknown = first!.id.replace(/:\d+$/, ':999999');
      await expectMailboxError(mailbox.fetch(unknown), 'message-not-found');
      await expectMailboxError(mailbox.fetch(first!.id.replace(/:(\d+):/, ':4242:')), 'message-not-found');
      await expectMailboxError(mailbox.fetch('not-an-id'), 'invalid-message');
      await expectMailboxError(mailbox.search({ folder: 'No Such Folder' }), 'folder-not-found');
      await expectMailboxError(mailbox.summaries([unknown]), 'message-not-found');
    });

    it('moves messages and hands back their new ids; a bad target or id moves nothing', async () => {
      const { messages } = await mailbox.search({});
      const newsletter = messages.find((m) => m.subject.startsWith('Frontend Weekly'))!;
      const github = messages.find((m) => m.subject.startsWith('[acme/api]'))!;

      await expectMailboxError(mailbox.move([newsletter.id], 'Nowhere'), 'folder-not-found');
      await expectMailboxError(mailbox.move([newsletter.id, github.id.replace(/:\d+$/, ':999999')], 'Archive'), 'message-not-found');
      expect((await mailbox.search({})).total).toBe(9);

      const moved = await mailbox.move([newsletter.id, github.id], 'Archive');
      expect(moved.map((m) => m.from)).toEqual([newsletter.id, github.id]);
      expect(moved.every((m) => m.to?.startsWith('Archive:'))).toBe(true);
      expect((await mailbox.search({})).total).toBe(7);
      const archived = await mailbox.summaries(moved.map((m) => m.to!));
      expect(archived.map((m) => m.subject)).toEqual([newsletter.subject, github.subject]);
      expect(archived[0]!.flags).toEqual(['\\Seen']);
      await expectMailboxError(mailbox.fetch(newsletter.id), 'message-not-found');
    });

    it('adds and removes flags and keywords, and refuses flags no server stores', async () => {
      const [top] = (await mailbox.search({ limit: 1 })).messages;
      await mailbox.setFlags([top!.id], { add: ['\\Flagged', 'claw-priority-high'] });
      expect((await mailbox.summaries([top!.id]))[0]!.flags).toEqual(['\\Flagged', 'claw-priority-high']);
      expect(await subjects({ flagged: true })).toEqual([top!.subject]);
      expect(await subjects({ keyword: 'claw-priority-high' })).toEqual([top!.subject]);
      await mailbox.setFlags([top!.id], { remove: ['\\flagged'], add: ['\\Seen'] });
      expect((await mailbox.summaries([top!.id]))[0]!.flags).toEqual(['\\Seen', 'claw-priority-high']);
      await expectMailboxError(mailbox.setFlags([top!.id], { add: ['\\Bogus'] }), 'invalid-message');
      await expectMailboxError(mailbox.setFlags([top!.id], { add: ['two words'] }), 'invalid-message');
    });

    it('saves a reply as a draft in Drafts without sending anything', async () => {
      const raj = (await mailbox.search({ from: 'raj@' })).messages[0]!;
      const draft = await mailbox.saveDraft({
        to: ['Raj Patel <raj@acme.example>'],
        subject: 'Re: Need the Q1 numbers before 3pm today',
        text: 'Hi Raj, rough numbers attached below by 2pm. — Priya',
        inReplyTo: raj.messageId!,
        references: [raj.messageId!],
      });
      expect(draft.folder).toBe('Drafts');
      expect(draft.flags).toEqual(['\\Draft', '\\Seen']);
      const stored = await mailbox.fetch(draft.id);
      expect(stored.inReplyTo).toBe('<CAraj-q1-numbers@acme.example>');
      expect(stored.from).toEqual([mailbox.address]);
      expect(stored.to).toEqual([{ name: 'Raj Patel', address: 'raj@acme.example' }]);
      expect(stored.text.trim()).toBe('Hi Raj, rough numbers attached below by 2pm. — Priya');
      expect((await mailbox.search({ folder: 'Drafts' })).total).toBe(1);
      expect(await fx.sent()).toEqual([]);
    });

    it('sends a new message and keeps a copy in Sent', async () => {
      const sent = await mailbox.send({ to: ['dana@customer.example'], cc: ['Raj <raj@acme.example>'], subject: 'Corrected invoice', text: 'Attached.' });
      expect(sent.accepted.sort()).toEqual(['dana@customer.example', 'raj@acme.example']);
      expect(sent.rejected).toEqual([]);
      const delivered = await fx.sent();
      expect(delivered).toHaveLength(1);
      expect(delivered[0]!.envelope.to.sort()).toEqual(['dana@customer.example', 'raj@acme.example']);
      const parsed = await simpleParser(delivered[0]!.source);
      expect(parsed.subject).toBe('Corrected invoice');
      expect(parsed.messageId).toBe(sent.messageId);
      const copy = await mailbox.fetch(sent.sentCopyId!);
      expect(copy.folder).toBe('Sent');
      expect(copy.subject).toBe('Corrected invoice');
    });

    it('sends a saved draft byte for byte and removes it from Drafts', async () => {
      const draft = await mailbox.saveDraft({ to: ['dana@customer.example'], subject: 'Re: Question about our invoice', text: 'Checking now.' });
      const stored = await mailbox.fetch(draft.id);
      const sent = await mailbox.sendDraft(draft.id);
      expect(sent.accepted).toEqual(['dana@customer.example']);
      expect(sent.messageId).toBe(stored.messageId);
      const [delivered] = await fx.sent();
      expect((await simpleParser(delivered!.source)).text?.trim()).toBe('Checking now.');
      expect((await mailbox.search({ folder: 'Drafts' })).total).toBe(0);
      await expectMailboxError(mailbox.sendDraft(draft.id), 'message-not-found');
      const inboxId = (await mailbox.search({ limit: 1 })).messages[0]!.id;
      await expectMailboxError(mailbox.sendDraft(inboxId), 'invalid-message');
      await expectMailboxError(mailbox.send({ to: ['not an address'], subject: 'x', text: 'y' }), 'invalid-message');
      expect(await fx.sent()).toHaveLength(1);
    });

    it('stops at once when the signal has fired', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(mailbox.search({}, { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
      await expect(mailbox.send({ to: ['dana@customer.example'], subject: 'x', text: 'y' }, { signal: controller.signal })).rejects.toBeInstanceOf(
        AbortedError,
      );
      expect(await fx.sent()).toEqual([]);
    });
  });
}
