import { InvalidArgumentError, SkillConfigError } from '@claw/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { EMAIL_SCOPES, emailSkill, InMemoryMailbox, isMailboxError, type MessageDetailView, type TriageOutcome } from '../src';
import { bigMessage } from './fixtures';
import { emailTools, seededInbox, toolContext, triageConfig } from './skill-fixture';

type Tools = ReturnType<typeof emailTools>;

async function idOf(mailbox: InMemoryMailbox, subject: string, folder = 'INBOX'): Promise<string> {
  const found = (await mailbox.search({ folder, subject })).messages[0];
  if (!found) throw new Error(`no message "${subject}" in ${folder}`);
  return found.id;
}

describe('emailSkill definition', () => {
  it('declares the four scopes and gives each tool the scope and effect of the issue table', async () => {
    const { skill } = emailTools(triageConfig(await seededInbox()));
    expect(Object.keys(EMAIL_SCOPES)).toEqual(['email:read', 'email:organize', 'email:draft', 'email:send']);
    const table = Object.fromEntries(skill.tools.map((t) => [t.name, { scopes: [...t.scopes], effect: t.effect, untrusted: t.untrustedOutput === true, preview: typeof t.preview === 'function' }]));
    expect(table).toEqual({
      email_search: { scopes: ['email:read'], effect: 'read', untrusted: true, preview: false },
      email_read: { scopes: ['email:read'], effect: 'read', untrusted: true, preview: false },
      email_list_folders: { scopes: ['email:read'], effect: 'read', untrusted: false, preview: false },
      email_move: { scopes: ['email:organize'], effect: 'write', untrusted: false, preview: true },
      email_flag: { scopes: ['email:organize'], effect: 'write', untrusted: false, preview: true },
      email_draft_reply: { scopes: ['email:draft'], effect: 'write', untrusted: true, preview: true },
      email_send: { scopes: ['email:send'], effect: 'external', untrusted: false, preview: true },
      email_triage: { scopes: ['email:read', 'email:organize'], effect: 'write', untrusted: true, preview: true },
    });
  });

  it('refuses configurations that cannot work, saying which field is wrong', async () => {
    const mailbox = await seededInbox();
    expect(() => emailSkill.configure({ mailbox: {} as never })).toThrow(SkillConfigError);
    expect(() => emailSkill.configure(triageConfig(mailbox, { rules: [{ name: 'x', from: ['a.example'], category: 'Nope' }] }))).toThrow(
      /rules\.0\.category: rule "x" names category "Nope"/,
    );
    expect(() => emailSkill.configure(triageConfig(mailbox, { rules: [{ name: 'empty', category: 'Receipts' }] }))).toThrow(/has no condition/);
    expect(() => emailSkill.configure(triageConfig(mailbox, { internalDomains: ['not a domain'] }))).toThrow(SkillConfigError);
    expect(emailSkill.configure(triageConfig(mailbox, { internalDomains: ['@ACME.example'] })).tools).toHaveLength(8);
  });
});

describe('email tools (in-memory mailbox, hand-built context)', () => {
  let mailbox: InMemoryMailbox;
  let tools: Tools;

  beforeEach(async () => {
    mailbox = await seededInbox();
    tools = emailTools(triageConfig(mailbox, { attachmentSizeLimit: 1024, maxBodyChars: 200 }));
  });

  it('email_search returns headers only, newest first, with read state, bulk marker and total', async () => {
    await mailbox.setFlags([await idOf(mailbox, 'Frontend Weekly')], { add: ['\\Seen'] });
    const result = (await tools.execute('email_search', { limit: 2 })) as { total: number; messages: Record<string, unknown>[] };
    expect(result.total).toBe(8);
    expect(result.messages.map((m) => m.subject)).toEqual(['Your DevConf 2026 ticket', 'Action required: mailbox migration']);
    expect(result.messages[0]).toMatchObject({ from: 'DevConf <events@devconf.example>', unread: true, flagged: false, bulk: false, hasAttachments: false });
    expect(result.messages[0]).not.toHaveProperty('body');
    const read = (await tools.execute('email_search', { unreadOnly: true })) as { total: number };
    expect(read.total).toBe(7);
    const lists = (await tools.execute('email_search', { text: 'unsubscribe' })) as { messages: { subject: string; bulk: boolean; unread: boolean }[] };
    expect(lists.messages.map((m) => [m.subject.slice(0, 15), m.bulk, m.unread])).toEqual([
      ['[acme/api] Run ', true, true],
      ['Frontend Weekly', true, false],
    ]);
    const dated = (await tools.execute('email_search', { since: '2026-03-02', before: '2026-03-03' })) as { total: number };
    expect(dated.total).toBe(8);
    await expect(tools.execute('email_search', { folder: 'Nope' })).rejects.toSatisfy((e) => isMailboxError(e, 'folder-not-found'));
  });

  it('email_read decodes the body, cuts it to the configured length, and never marks the message read', async () => {
    const view = (await tools.execute('email_read', { id: await idOf(mailbox, 'Réunion') })) as MessageDetailView;
    expect(view.from).toBe('José Müller <jose@partner.example>');
    expect(view.body).toContain('La réunion de lundi est déplacée à 14h.');
    const long = await mailbox.append('INBOX', `From: a@b.example\r\nSubject: long\r\n\r\n${'word '.repeat(200)}`);
    const cut = (await tools.execute('email_read', { id: long.id })) as MessageDetailView;
    expect(cut.bodyTruncated).toBe(true);
    expect(cut.body).toMatch(/\[… 799 more characters cut\]$/);
    expect((await mailbox.summaries([long.id]))[0]!.flags).toEqual([]);
  });

  it('email_read inlines small text attachments and summarises binary or oversized ones', async () => {
    const receipt = (await tools.execute('email_read', { id: await idOf(mailbox, 'Your receipt') })) as MessageDetailView;
    expect(receipt.attachments).toEqual([
      { filename: 'receipt-2026-03.pdf', contentType: 'application/pdf', size: 77, omitted: 'binary content: summarised, not included' },
    ]);
    const withText = await mailbox.append(
      'INBOX',
      'From: a@b.example\r\nSubject: notes\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nsee notes\r\n--x\r\nContent-Type: text/csv; name=q1.csv\r\nContent-Disposition: attachment; filename=q1.csv\r\n\r\nmonth,revenue\r\njan,10\r\n--x--\r\n',
    );
    const notes = (await tools.execute('email_read', { id: withText.id })) as MessageDetailView;
    expect(notes.attachments).toEqual([{ filename: 'q1.csv', contentType: 'text/csv', size: 21, text: 'month,revenue\r\njan,10' }]);
    const big = await mailbox.append('INBOX', bigMessage(5000));
    const assets = (await tools.execute('email_read', { id: big.id })) as MessageDetailView;
    expect(assets.body).toBe('The final logo pack is attached.');
    expect(assets.attachments).toEqual([
      { filename: 'brand-assets.zip', contentType: 'application/zip', size: 5000, omitted: '5 KB is over the 1 KB attachment limit: summarised, not included' },
    ]);
    expect(JSON.stringify(assets)).not.toContain('BwcH');
  });

  it('email_move previews which messages would move and changes nothing until executed', async () => {
    const ids = [await idOf(mailbox, 'Frontend Weekly'), await idOf(mailbox, 'Your DevConf')];
    const preview = await tools.preview('email_move', { ids, folder: 'Archive' });
    expect(preview.summary).toBe('would move 2 messages to Archive: "Frontend Weekly #212: CSS anchor positioning lands everyw...", "Your DevConf 2026 ticket"');
    expect((await mailbox.search({ folder: 'Archive' })).total).toBe(0);
    const result = (await tools.execute('email_move', { ids, folder: 'Archive' })) as { moved: { from: string; to: string }[] };
    expect(result.moved.map((m) => m.from)).toEqual(ids);
    expect((await mailbox.search({ folder: 'Archive' })).total).toBe(2);
    expect((await mailbox.search({})).total).toBe(6);
    await expect(tools.preview('email_move', { ids: [result.moved[0]!.to], folder: 'Nowhere' })).rejects.toThrow(/Folder "Nowhere" does not exist/);
    await expect(tools.preview('email_move', { ids, folder: 'Archive' })).rejects.toSatisfy((e) => isMailboxError(e, 'message-not-found'));
  });

  it('email_flag maps read, flagged and labels to IMAP flags, with a preview', async () => {
    const id = await idOf(mailbox, 'Need the Q1');
    const preview = await tools.preview('email_flag', { ids: [id], read: true, flagged: true, addLabels: ['follow-up'] });
    expect(preview.summary).toBe('would mark as read and flag and add label follow-up on 1 message: "Need the Q1 numbers before 3pm today"');
    expect((await mailbox.summaries([id]))[0]!.flags).toEqual([]);
    await tools.execute('email_flag', { ids: [id], read: true, flagged: true, addLabels: ['follow-up'] });
    expect((await mailbox.summaries([id]))[0]!.flags).toEqual(['\\Flagged', '\\Seen', 'follow-up']);
    await tools.execute('email_flag', { ids: [id], read: false, removeLabels: ['follow-up'] });
    expect((await mailbox.summaries([id]))[0]!.flags).toEqual(['\\Flagged']);
    await expect(tools.execute('email_flag', { ids: [id] })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(() => tools.tool('email_flag').input.parse({ ids: [id], addLabels: ['two words'] })).toThrow();
  });

  it('email_draft_reply saves a threaded reply in Drafts and never sends', async () => {
    const id = await idOf(mailbox, 'Need the Q1');
    const preview = await tools.preview('email_draft_reply', { id, body: 'Numbers by 2pm.' });
    expect(preview.summary).toBe('would save a draft reply to Raj Patel <raj@acme.example>: "Re: Need the Q1 numbers before 3pm today" (nothing is sent)');
    expect((await mailbox.search({ folder: 'Drafts' })).total).toBe(0);

    const out = (await tools.execute('email_draft_reply', { id, body: 'Numbers by 2pm.' })) as { draftId: string; externalRecipients: string[]; note: string };
    expect(out.externalRecipients).toEqual([]);
    expect(out.note).toContain('nothing was sent');
    const draft = await mailbox.fetch(out.draftId);
    expect(draft).toMatchObject({ folder: 'Drafts', subject: 'Re: Need the Q1 numbers before 3pm today', inReplyTo: '<CAraj-q1-numbers@acme.example>' });
    expect(draft.references).toEqual(['<CAraj-q1-numbers@acme.example>']);
    expect(draft.flags).toContain('\\Draft');
    expect(draft.text).toMatch(/^Numbers by 2pm\.\n\nOn Mon, 02 Mar 2026 10:05:00 GMT, Raj Patel <raj@acme.example> wrote:\n> Hi Priya,/);
    expect(mailbox.outbox).toEqual([]);
  });

  it('email_draft_reply with replyAll copies the other recipients, never the account itself, and flags outsiders', async () => {
    const id = await idOf(mailbox, '[acme/api]');
    const out = (await tools.execute('email_draft_reply', { id, body: 'Looking.', replyAll: true, cc: ['ops@acme.example'] })) as {
      to: string[];
      cc: string[];
      externalRecipients: string[];
    };
    expect(out.to).toEqual(['GitHub <notifications@github.example>']);
    expect(out.cc).toEqual(['acme/api <api@noreply.github.example>', 'ops@acme.example']);
    expect(out.externalRecipients).toEqual(['notifications@github.example', 'api@noreply.github.example']);
  });

  it('email_send previews exactly what would leave, flags outside recipients, and sends only when executed', async () => {
    const draft = (await tools.execute('email_draft_reply', { id: await idOf(mailbox, 'Question about our invoice'), body: 'We will send a corrected invoice today.' })) as {
      draftId: string;
    };
    const preview = await tools.preview('email_send', { draftId: draft.draftId, to: ['Dana Lee <dana@customer.example>'] });
    expect(preview.summary).toBe(
      `would send draft ${draft.draftId} "Re: Question about our invoice" from Priya Sharma <priya@acme.example> to Dana Lee <dana@customer.example>. WARNING: 1 recipient outside acme.example: dana@customer.example.`,
    );
    expect(preview.details).toMatchObject({ externalRecipients: ['dana@customer.example'], body: expect.stringContaining('We will send a corrected invoice today.') });
    expect(mailbox.outbox).toEqual([]);

    const sent = (await tools.execute('email_send', { draftId: draft.draftId, to: ['dana@customer.example'] })) as { accepted: string[]; externalRecipients: string[] };
    expect(sent.accepted).toEqual(['dana@customer.example']);
    expect(mailbox.outbox).toHaveLength(1);
    expect(mailbox.outbox[0]!.source.toString()).toContain('We will send a corrected invoice today.');
    expect((await mailbox.search({ folder: 'Drafts' })).total).toBe(0);
    expect((await mailbox.search({ folder: 'Sent' })).total).toBe(1);
  });

  it('email_send of a new internal message carries no warning; input must be a draft or a whole message', async () => {
    const preview = await tools.preview('email_send', { to: ['raj@acme.example'], subject: 'Q1', body: 'Attached.' });
    expect(preview.summary).toBe('would send a new message "Q1" from Priya Sharma <priya@acme.example> to raj@acme.example.');
    const send = tools.tool('email_send');
    expect(send.input.safeParse({ draftId: 'Drafts:1:1', to: ['raj@acme.example'], body: 'x' }).success).toBe(false);
    expect(send.input.safeParse({ draftId: 'Drafts:1:1' }).success).toBe(false);
    expect(send.input.safeParse({ to: ['raj@acme.example'], bcc: ['x@acme.example'], subject: 's', body: 'b' }).success).toBe(false);
    expect(send.input.safeParse({ to: ['raj@acme.example'] }).success).toBe(false);
    expect(send.input.safeParse({}).success).toBe(false);
    const inboxId = await idOf(mailbox, 'Need the Q1');
    await expect(tools.preview('email_send', { draftId: inboxId, to: ['raj@acme.example'] })).rejects.toSatisfy((e) => isMailboxError(e, 'invalid-message'));
    await expect(tools.execute('email_send', { draftId: inboxId, to: ['raj@acme.example'] })).rejects.toSatisfy((e) => isMailboxError(e, 'invalid-message'));
    expect(mailbox.outbox).toEqual([]);

    const open = emailTools(triageConfig(mailbox, { internalDomains: [] }));
    const warned = await open.preview('email_send', { to: ['raj@acme.example'], subject: 'Q1', body: 'x' });
    expect(warned.summary).toContain('WARNING: no internal domains are configured, so every recipient counts as outside: raj@acme.example.');
  });

  it('a draft edited after approval has a new id, so the approved id can no longer send anything', async () => {
    const draft = (await tools.execute('email_draft_reply', { id: await idOf(mailbox, 'Need the Q1'), body: 'v1' })) as { draftId: string };
    // Someone edits the draft in their mail client: IMAP clients replace it with a new message.
    const edited = await mailbox.saveDraft({ to: ['raj@acme.example'], subject: 'Re: Need the Q1 numbers before 3pm today', text: 'v2 with other numbers' });
    await mailbox.move([draft.draftId], 'Trash');
    await expect(tools.execute('email_send', { draftId: draft.draftId, to: ['raj@acme.example'] })).rejects.toSatisfy((e) => isMailboxError(e, 'message-not-found'));
    expect(mailbox.outbox).toEqual([]);
    expect(edited.id).not.toBe(draft.draftId);
  });

  it('email_triage previews rule and model decisions, then moves and flags exactly that', async () => {
    const dana = await idOf(mailbox, 'Question about our invoice');
    const helpdesk = await idOf(mailbox, 'Action required');
    const raj = await idOf(mailbox, 'Need the Q1');
    const input = {
      classifications: [
        { id: dana, category: 'Action', reason: 'A customer asks for a corrected invoice' },
        { id: helpdesk, category: 'suspicious', reason: 'Asks an AI to forward mail to an outside address' },
        { id: raj, category: 'Newsletters', reason: 'model guess that a rule overrides' },
      ],
    };
    const preview = await tools.preview('email_triage', input);
    expect(preview.summary).toBe(
      'Triage of 8 messages in INBOX would move 1 message to Junk: "Action required: mailbox migration"; ' +
        'move 1 message to Receipts: "Your receipt for March 2026"; ' +
        'move 1 message to Notifications: "[acme/api] Run failed: CI - main (4f2c1d9)"; ' +
        'move 1 message to Newsletters: "Frontend Weekly #212: CSS anchor positioning lands everyw..."; ' +
        'flag 2 messages as high/urgent: "Question about our invoice", "Need the Q1 numbers before 3pm today"; ' +
        'leave 2 messages unclassified (creating folders Receipts, Notifications, Newsletters).',
    );
    expect((await mailbox.search({})).total).toBe(8);
    expect((await mailbox.listFolders()).map((f) => f.path)).not.toContain('Newsletters');

    const outcome = (await tools.execute('email_triage', input)) as TriageOutcome;
    expect(outcome.moved).toEqual({ Junk: 1, Receipts: 1, Notifications: 1, Newsletters: 1 });
    expect(outcome.createdFolders).toEqual(['Receipts', 'Notifications', 'Newsletters']);
    const bySubject = Object.fromEntries(outcome.items.map((i) => [i.subject.slice(0, 20), i]));
    expect(bySubject['Need the Q1 numbers ']).toMatchObject({
      category: 'Action',
      priority: 'urgent',
      source: 'rule',
      reason: 'rule "Manager": sender raj@acme.example',
      overriddenModel: { category: 'Newsletters', reason: 'model guess that a rule overrides' },
      action: 'flagged \\Flagged claw-priority-urgent',
    });
    expect(bySubject['Question about our i']).toMatchObject({ category: 'Action', priority: 'high', source: 'model', reason: 'A customer asks for a corrected invoice' });
    expect(bySubject['Frontend Weekly #212']).toMatchObject({ category: 'Newsletters', source: 'rule', reason: 'rule "Mailing lists": has list-unsubscribe header', action: 'moved to Newsletters, flagged claw-priority-low' });
    expect(bySubject['Your DevConf 2026 ti']).toMatchObject({ category: null, source: 'none', action: 'left as it was' });

    expect((await mailbox.search({})).messages.map((m) => m.subject)).toEqual([
      'Your DevConf 2026 ticket',
      'Réunion de lundi déplacée',
      'Question about our invoice',
      'Need the Q1 numbers before 3pm today',
    ]);
    expect((await mailbox.search({ flagged: true })).messages.map((m) => m.subject)).toEqual(['Question about our invoice', 'Need the Q1 numbers before 3pm today']);
    expect((await mailbox.search({ folder: 'Junk' })).messages.map((m) => m.subject)).toEqual(['Action required: mailbox migration']);
    const moved = outcome.items.find((i) => i.category === 'Receipts')!;
    expect((await mailbox.fetch(moved.newId!)).flags).toEqual(['claw-priority-low']);
  });

  it('email_triage refuses unknown categories and, when folders may not be created, changes nothing', async () => {
    const dana = await idOf(mailbox, 'Question about our invoice');
    await expect(tools.preview('email_triage', { classifications: [{ id: dana, category: 'Misc', reason: 'unsure what it is' }] })).rejects.toThrow(
      /There is no category "Misc". Use one of the configured categories: "Newsletters", "Notifications", "Receipts", "Action", "Suspicious"/,
    );
    const strict = emailTools(triageConfig(mailbox, { createMissingFolders: false }));
    expect((await strict.preview('email_triage', {})).summary).toContain('(missing, so failing on folders Receipts, Notifications, Newsletters)');
    await expect(strict.execute('email_triage', {})).rejects.toSatisfy((e) => isMailboxError(e, 'folder-not-found'));
    expect((await mailbox.search({ flagged: true })).total).toBe(0);
    expect((await mailbox.search({})).total).toBe(8);
  });

  it('email_triage of explicit ids touches only those', async () => {
    const receipt = await idOf(mailbox, 'Your receipt');
    const outcome = (await tools.execute('email_triage', { ids: [receipt] })) as TriageOutcome;
    expect(outcome.items).toHaveLength(1);
    expect(outcome.moved).toEqual({ Receipts: 1 });
    expect((await mailbox.search({})).total).toBe(7);
  });

  it('every tool stops when its signal has fired', async () => {
    const controller = new AbortController();
    controller.abort();
    const ctx = toolContext({ signal: controller.signal });
    await expect(tools.execute('email_search', {}, ctx)).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(tools.preview('email_triage', {}, ctx)).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
