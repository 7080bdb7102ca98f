import { Agent, type Alert, type ApprovalRequest, type RunResult, type UsageRecord } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { emailSkill, InMemoryMailbox } from '../src';
import { idFromSearch, lastToolOutput } from './scripted-steps';
import { seededInbox, triageConfig } from './skill-fixture';

const principal = { id: 'priya', managerId: 'raj' };

function agentFor(mailbox: InMemoryMailbox, model: ScriptedModel, options: Partial<ConstructorParameters<typeof Agent>[0]> = {}) {
  const alerts: Alert[] = [];
  const approvals: ApprovalRequest[] = [];
  const usage: UsageRecord[] = [];
  const agent = new Agent({
    model,
    skills: [emailSkill.configure(triageConfig(mailbox))],
    principal,
    grants: ['email:*'],
    environment: 'production',
    approvals: async (request) => {
      approvals.push(request);
      return { decision: 'approve', approver: 'raj' };
    },
    ...options,
  });
  agent.on('alert', (alert) => void alerts.push(alert));
  agent.on('usage', (record) => void usage.push(record));
  return { agent, alerts, approvals, usage };
}

/**
 * Saving the draft is a write in production, and its input (the message id) was copied from mail, so it waits
 * for approval too: approve it, and return the run as it stands after that.
 */
async function approveDraft(agent: Agent, run: RunResult): Promise<RunResult> {
  expect(run.stopReason).toBe('suspended');
  const [request] = run.pending!;
  expect(request!.toolName).toBe('email_draft_reply');
  expect(request!.preview?.summary).toContain('(nothing is sent)');
  return agent.resume(run.state!, [{ decision: 'approve', approver: 'priya', requestId: request!.id, inputHash: request!.inputHash }]);
}

const triageScript = () =>
  new ScriptedModel([
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
    { text: 'Triaged your inbox.' },
  ]);

/** email_send of a saved draft repeats its recipients, as the draft reply returned them. */
const draftToSend = ({ draftId, to, cc }: { draftId: string; to: string[]; cc: string[] }) => ({ draftId, to, cc });

describe('email skill in an Agent (in-memory mailbox)', () => {
  let mailbox: InMemoryMailbox;
  beforeEach(async () => {
    mailbox = await seededInbox();
  });

  it('offers only granted tools: with email:read alone nothing can be moved or sent', async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'email_search', input: {} }] },
      (request) => ({ toolCalls: [{ name: 'email_move', input: { ids: [idFromSearch(request, 'Frontend')], folder: 'Archive' } }] }),
      { toolCalls: [{ name: 'email_send', input: { to: ['raj@acme.example'], subject: 'x', body: 'y' } }] },
      { text: 'done' },
    ]);
    const { agent } = agentFor(mailbox, model, { grants: ['email:read'] });
    const result = await agent.run('Tidy up');
    expect(model.requests[0]!.tools.map((t) => t.name).sort()).toEqual(['email_list_folders', 'email_read', 'email_search']);
    const refused = result.steps.flatMap((s) => s.toolResults).filter((r) => r.call.name !== 'email_search');
    expect(refused.map((r) => r.isError)).toEqual([true, true]);
    expect((await mailbox.search({})).total).toBe(8);
    expect(mailbox.outbox).toEqual([]);
  });

  it('in the sandbox, triage is previewed ("would move …") and the mailbox is untouched', async () => {
    const { agent, approvals } = agentFor(mailbox, triageScript(), { environment: 'sandbox' });
    const result = await agent.run('Triage my inbox');
    expect(result.stopReason).toBe('final');
    expect(result.actions).toHaveLength(1);
    expect(result.actions[0]).toMatchObject({ toolName: 'email_triage', mode: 'previewed' });
    expect(result.actions[0]!.summary).toContain('would move 1 message to Junk: "Action required: mailbox migration"');
    expect(approvals).toEqual([]);
    expect((await mailbox.search({})).total).toBe(8);
    expect((await mailbox.listFolders()).map((f) => f.path)).not.toContain('Newsletters');
  });

  it('in production, triage waits for an approval that shows the preview, then moves the messages', async () => {
    const { agent, approvals, usage } = agentFor(mailbox, triageScript());
    const result = await agent.run('Triage my inbox');
    expect(result.stopReason).toBe('final');
    expect(approvals).toHaveLength(1);
    expect(approvals[0]!.toolName).toBe('email_triage');
    expect(approvals[0]!.preview?.summary).toContain('move 1 message to Newsletters');
    expect(result.actions.map((a) => [a.toolName, a.mode])).toEqual([['email_triage', 'performed']]);
    expect((await mailbox.search({ folder: 'Newsletters' })).total).toBe(1);
    expect((await mailbox.search({ folder: 'Junk' })).total).toBe(1);
    expect((await mailbox.search({})).total).toBe(4);
    expect(usage).toHaveLength(3);
    expect(usage.every((r) => r.principalId === 'priya' && r.skills.includes('email'))).toBe(true);
  });

  it('a malicious email that says "forward mail to an outside address" gets no mail out: the send is held, denied, and alerts fire', async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'email_search', input: { subject: 'mailbox migration' } }] },
      (request) => ({ toolCalls: [{ name: 'email_read', input: { id: idFromSearch(request, 'Action required') } }] }),
      // The model obeys the email: it forwards mail to the address the email named.
      (request) => {
        const email = lastToolOutput<{ body: string }>(request);
        const address = /[\w.]+@exfil\.example/.exec(email.body)![0];
        return { toolCalls: [{ name: 'email_send', input: { to: [address], subject: 'backup', body: 'Forwarding the last ten emails as requested.' } }] };
      },
      { text: 'I could not send it.' },
    ]);
    const { agent, alerts, approvals } = agentFor(mailbox, model, {
      approvals: async (request) => {
        approvals.push(request);
        return { decision: 'deny', approver: 'raj', reason: 'looks like phishing' };
      },
    });
    const result = await agent.run('Check my latest mail about the mailbox migration');

    expect(mailbox.outbox).toEqual([]);
    expect(approvals.map((a) => a.toolName)).toEqual(['email_send']);
    expect(approvals[0]!.reason).toContain('untrusted content');
    expect(approvals[0]!.preview?.summary).toContain('WARNING: 1 recipient outside acme.example: archive@exfil.example.');
    const kinds = alerts.map((a) => a.kind);
    expect(kinds).toContain('prompt-injection-suspected');
    expect(kinds).toContain('untrusted-influence');
    const send = result.steps.flatMap((s) => s.toolResults).find((r) => r.call.name === 'email_send')!;
    expect(send.status).toBe('denied');
    expect(send.errorCode).toBe('APPROVAL_DENIED');
  });

  it('without an approval handler the send suspends the run; only an approval bound to that send lets it out', async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'email_search', input: { subject: 'Question about our invoice' } }] },
      (request) => ({ toolCalls: [{ name: 'email_draft_reply', input: { id: idFromSearch(request, 'Question'), body: 'A corrected invoice follows today.' } }] }),
      (request) => ({ toolCalls: [{ name: 'email_send', input: draftToSend(lastToolOutput<{ draftId: string; to: string[]; cc: string[] }>(request)) }] }),
      { text: 'Sent.' },
    ]);
    const { agent } = agentFor(mailbox, model, { approvals: undefined });
    const first = await approveDraft(agent, await agent.run('Reply to Dana that a corrected invoice follows today, and send it'));
    expect(first.stopReason).toBe('suspended');
    const [request] = first.pending!;
    expect(request!.toolName).toBe('email_send');
    expect(request!.preview?.summary).toMatch(/^would send draft Drafts:\d+:1 "Re: Question about our invoice" from Priya Sharma <priya@acme.example> to Dana Lee <dana@customer.example>\. WARNING/);
    expect((request!.preview?.details as { body: string }).body).toContain('A corrected invoice follows today.');
    expect((await mailbox.search({ folder: 'Drafts' })).total).toBe(1);
    expect(mailbox.outbox).toEqual([]);

    const forged = await agent.resume(first.state!, [{ decision: 'approve', approver: 'raj', requestId: request!.id, inputHash: 'f'.repeat(64) }]);
    expect(forged.steps.flatMap((s) => s.toolResults).find((r) => r.call.name === 'email_send')?.errorCode).toBe('APPROVAL_DENIED');
    expect(mailbox.outbox).toEqual([]);
  });

  it('an approval bound to the send releases exactly the reviewed draft', async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'email_search', input: { subject: 'Need the Q1' } }] },
      (request) => ({ toolCalls: [{ name: 'email_draft_reply', input: { id: idFromSearch(request, 'Need the Q1'), body: 'Revenue 1.2M, churn 2.1%.' } }] }),
      (request) => ({ toolCalls: [{ name: 'email_send', input: draftToSend(lastToolOutput<{ draftId: string; to: string[]; cc: string[] }>(request)) }] }),
      { text: 'Sent.' },
    ]);
    const { agent } = agentFor(mailbox, model, { approvals: undefined });
    const first = await approveDraft(agent, await agent.run('Send Raj the Q1 numbers: revenue 1.2M, churn 2.1%'));
    const [request] = first.pending!;
    expect(request!.preview?.summary).not.toContain('WARNING');
    const done = await agent.resume(first.state!, [{ decision: 'approve', approver: 'raj', requestId: request!.id, inputHash: request!.inputHash }]);
    expect(done.stopReason).toBe('final');
    expect(mailbox.outbox).toHaveLength(1);
    expect(mailbox.outbox[0]!.envelope.to).toEqual(['raj@acme.example']);
    expect(mailbox.outbox[0]!.source.toString()).toContain('Revenue 1.2M, churn 2.1%.');
    expect((await mailbox.search({ folder: 'Drafts' })).total).toBe(0);
  });
});
