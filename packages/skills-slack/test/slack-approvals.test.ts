import { AbortedError, InvalidArgumentError, evaluateDecisions, type ApprovalDecision, type ApprovalRequest } from '@claw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVE_ACTION_ID, DENY_ACTION_ID, SLACK_APPROVAL_TIMEOUT_APPROVER, slackApprovals, type SlackApprovalHandler, type SlackApprovalsOptions } from '../src';
import type { SlackStandIn, StandInMessage } from '../src/testing';
import { PEOPLE, clientFor, startWorkspace } from './helpers';

let slack: SlackStandIn;
beforeAll(async () => {
  slack = await startWorkspace();
});
afterAll(async () => {
  await slack.close();
});

let counter = 0;
function request(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  counter++;
  const now = Date.now();
  return {
    id: `req-${counter}`,
    runId: 'run-1',
    toolCallId: `call-${counter}`,
    toolName: 'slack_post_message',
    effect: 'external',
    environment: 'production',
    principal: { id: 'priya', displayName: 'Priya Shah' },
    input: { channel: '#general', text: '<!channel> release at 17:00' },
    inputHash: 'a'.repeat(63) + String(counter % 10),
    preview: { summary: 'Would post to #general (C0GENERAL, public, 5 members): "<!channel> release at 17:00"' },
    reason: 'the Slack message notifies many people',
    requestedAt: now,
    expiresAt: now + 60_000,
    approversRequired: 1,
    ...overrides,
  };
}

function handler(options: Partial<SlackApprovalsOptions> = {}) {
  return slackApprovals({
    client: clientFor(slack),
    channel: '#approvals',
    approvers: { [PEOPLE.raj.id]: 'raj', [PEOPLE.sam.id]: 'sam', [PEOPLE.priya.id]: 'priya' },
    timeoutMs: 10_000,
    pollIntervalMs: 20,
    ...options,
  });
}

/**
 * Resolves with the next message the app posts to #approvals, once the handler has its reply and waits for a
 * decision (the stand-in sees the post before the handler sees Slack's answer).
 */
async function nextApprovalMessage(approvals: SlackApprovalHandler, requestId: string): Promise<StandInMessage> {
  const message = await new Promise<StandInMessage>((resolve) => {
    const stop = slack.onMessage((channel, posted) => {
      if (channel.id === 'C0APPROVE' && !posted.threadTs) {
        stop();
        resolve(posted);
      }
    });
  });
  await expect.poll(() => approvals.pendingRequestIds()).toContain(requestId);
  return message;
}

const signal = () => new AbortController().signal;

describe('slackApprovals', () => {
  it('posts who asks, the tool, the escaped input and preview, the binding, the expiry and buttons', async () => {
    const approvals = handler({ timeoutMs: 5000, pollIntervalMs: 0 });
    const req = request();
    const pending = approvals(req, { signal: signal() });
    const message = await nextApprovalMessage(approvals, req.id);
    const json = JSON.stringify(message.blocks);
    expect(message.text).toBe('Approval needed: Priya Shah wants to run slack_post_message');
    expect(json).toContain('*Priya Shah (priya)* asks to run `slack_post_message` (external, production)');
    expect(json).toContain('&lt;!channel&gt; release at 17:00');
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('Would post to #general (C0GENERAL, public, 5 members)');
    expect(json).toContain(`Request \`${req.id}\``);
    expect(json).toContain('<!date^');
    expect(json).toContain(`<@${PEOPLE.raj.id}>`);
    const actions = (message.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === 'actions');
    expect(actions?.elements?.map((e) => [e.action_id, e.value])).toEqual([
      [APPROVE_ACTION_ID, req.id],
      [DENY_ACTION_ID, req.id],
    ]);
    approvals.handleInteraction(slack.clickButton('#approvals', message.ts, DENY_ACTION_ID, PEOPLE.raj.id));
    expect(await pending).toMatchObject({ decision: 'deny', approver: 'raj' });
  });

  it('approves from an approver\'s reaction, bound to the request, after ignoring a stranger\'s', async () => {
    const approvals = handler();
    const req = request();
    const pending = approvals(req, { signal: signal() });
    const message = await nextApprovalMessage(approvals, req.id);
    slack.addReaction('#approvals', message.ts, 'white_check_mark', PEOPLE.mallory.id);
    await new Promise((r) => setTimeout(r, 100));
    expect(approvals.pendingRequestIds()).toContain(req.id);
    slack.addReaction('#approvals', message.ts, 'white_check_mark', PEOPLE.raj.id);
    const decision = (await pending) as ApprovalDecision;
    expect(decision).toMatchObject({ decision: 'approve', approver: 'raj', requestId: req.id, toolCallId: req.toolCallId, inputHash: req.inputHash });
    expect(evaluateDecisions(req, decision, Date.now(), true).outcome).toBe('approved');
    const updated = slack.messages('#approvals').find((m) => m.ts === message.ts)!;
    expect(JSON.stringify(updated.blocks)).toContain(`Approved by <@${PEOPLE.raj.id}>`);
    expect(updated.blocks?.some((b) => (b as { type: string }).type === 'actions')).toBe(false);
    expect(approvals.pendingRequestIds()).not.toContain(req.id);
  });

  it('takes button clicks through handleInteraction and ignores non-approvers and the requester', async () => {
    const approvals = handler({ pollIntervalMs: 0 });
    const req = request();
    const pending = approvals(req, { signal: signal() });
    const message = await nextApprovalMessage(approvals, req.id);
    expect(approvals.handleInteraction(slack.clickButton('#approvals', message.ts, APPROVE_ACTION_ID, PEOPLE.mallory.id))).toEqual({
      status: 'ignored',
      reason: `<@${PEOPLE.mallory.id}> is not an approver`,
    });
    expect(approvals.handleInteraction(slack.clickButton('#approvals', message.ts, APPROVE_ACTION_ID, PEOPLE.priya.id))).toMatchObject({
      status: 'ignored',
      reason: 'people cannot approve their own requests',
    });
    const click = JSON.stringify(slack.clickButton('#approvals', message.ts, DENY_ACTION_ID, PEOPLE.sam.id));
    expect(approvals.handleInteraction(click)).toEqual({ status: 'accepted', requestId: req.id, decision: 'deny', approver: 'sam' });
    expect(await pending).toMatchObject({ decision: 'deny', approver: 'sam', requestId: req.id, inputHash: req.inputHash });
    expect(JSON.stringify(slack.messages('#approvals').find((m) => m.ts === message.ts)!.blocks)).toContain(`Denied by <@${PEOPLE.sam.id}>`);
    expect(approvals.handleInteraction(click)).toMatchObject({ status: 'ignored', reason: expect.stringContaining('not pending') });
  });

  it('refuses a click that does not come from the request message', async () => {
    const approvals = handler({ pollIntervalMs: 0, timeoutMs: 5000 });
    const req = request();
    const pending = approvals(req, { signal: signal() });
    const message = await nextApprovalMessage(approvals, req.id);
    const forged = slack.clickButton('#approvals', message.ts, APPROVE_ACTION_ID, PEOPLE.raj.id) as { container: { message_ts: string } };
    forged.container.message_ts = '1700000000.000001';
    expect(approvals.handleInteraction(forged)).toMatchObject({ status: 'ignored', reason: expect.stringContaining('request message') });
    expect(approvals.handleInteraction({ type: 'view_submission' })).toMatchObject({ status: 'ignored' });
    expect(approvals.handleInteraction('not json')).toMatchObject({ status: 'ignored' });
    expect(approvals.pendingRequestIds()).toContain(req.id);
    approvals.handleInteraction(slack.clickButton('#approvals', message.ts, APPROVE_ACTION_ID, PEOPLE.raj.id));
    expect(await pending).toMatchObject({ decision: 'approve', approver: 'raj' });
  });

  it('denies when nobody answers in time, and says so on the message', async () => {
    const approvals = handler({ timeoutMs: 150 });
    const req = request();
    const decision = (await approvals(req, { signal: signal() })) as ApprovalDecision;
    const message = slack.messages('#approvals').at(-1)!;
    expect(message.text).toContain('slack_post_message');
    expect(decision).toMatchObject({
      decision: 'deny',
      approver: SLACK_APPROVAL_TIMEOUT_APPROVER,
      requestId: req.id,
      toolCallId: req.toolCallId,
      inputHash: req.inputHash,
    });
    expect(decision.reason).toMatch(/No approver answered/);
    expect(evaluateDecisions(req, decision, Date.now(), false).outcome).toBe('denied');
    expect(JSON.stringify(slack.messages('#approvals').find((m) => m.ts === message.ts)!.blocks)).toContain('No decision within');
  });

  it('never waits past the request\'s own expiry', async () => {
    const approvals = handler({ timeoutMs: 60_000 });
    const decision = await approvals(request({ expiresAt: Date.now() + 100 }), { signal: signal() });
    expect(decision).toMatchObject({ decision: 'deny', approver: SLACK_APPROVAL_TIMEOUT_APPROVER });
  });

  it('needs distinct approvers under the two-person rule; a deny from either denies', async () => {
    const approvals = handler();
    const req = request({ approversRequired: 2 });
    const pending = approvals(req, { signal: signal() });
    const message = await nextApprovalMessage(approvals, req.id);
    slack.addReaction('#approvals', message.ts, 'white_check_mark', PEOPLE.raj.id);
    await new Promise((r) => setTimeout(r, 100));
    expect(approvals.pendingRequestIds()).toContain(req.id);
    approvals.handleInteraction(slack.clickButton('#approvals', message.ts, APPROVE_ACTION_ID, PEOPLE.sam.id));
    const decisions = (await pending) as ApprovalDecision[];
    expect(decisions.map((d) => d.approver).sort()).toEqual(['raj', 'sam']);
    expect(evaluateDecisions(req, decisions, Date.now(), true).outcome).toBe('approved');

    const second = request({ approversRequired: 2 });
    const pending2 = approvals(second, { signal: signal() });
    const message2 = await nextApprovalMessage(approvals, second.id);
    slack.addReaction('#approvals', message2.ts, 'white_check_mark', PEOPLE.raj.id);
    slack.addReaction('#approvals', message2.ts, 'x', PEOPLE.sam.id);
    expect(await pending2).toMatchObject({ decision: 'deny', approver: 'sam' });
  });

  it('stops and marks the request cancelled when the signal fires', async () => {
    const approvals = handler();
    const controller = new AbortController();
    const req = request();
    const pending = approvals(req, { signal: controller.signal });
    const message = await nextApprovalMessage(approvals, req.id);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(JSON.stringify(slack.messages('#approvals').find((m) => m.ts === message.ts)!.blocks)).toContain('Cancelled');
  });

  it('keeps polling through a Slack hiccup and reports it', async () => {
    const errors: unknown[] = [];
    const approvals = handler({ onError: (e) => errors.push(e) });
    slack.failNext('reactions.get', { type: 'error', error: 'internal_error' });
    const req = request();
    const pending = approvals(req, { signal: signal() });
    const message = await nextApprovalMessage(approvals, req.id);
    await expect.poll(() => errors.length).toBe(1);
    slack.addReaction('#approvals', message.ts, 'white_check_mark', PEOPLE.sam.id);
    expect(await pending).toMatchObject({ decision: 'approve', approver: 'sam' });
  });

  it('fails the request (a denial for the agent) when it cannot be posted', async () => {
    const approvals = handler({ channel: '#outside' });
    await expect(approvals(request(), { signal: signal() })).rejects.toMatchObject({ slackCode: 'not_in_channel' });
  });

  it('shows every recipient before a long body, splits instead of cutting, continues in the thread, and redacts secrets', async () => {
    const approvals = handler({ pollIntervalMs: 0, timeoutMs: 5000 });
    const body = Array.from({ length: 2500 }, (_, i) => `line ${i}: the quarterly numbers & more <details>`).join('\n');
    const req = request({
      toolName: 'email_send',
      input: { body, subject: 'Q3', to: ['raj@acme.example'], cc: ['dana@customer.example'], bcc: ['mallory@evil.example'], token: 'sk_live_51HxQpLKj2vY8aBcDeFg' },
      preview: { summary: 'would send "Q3" to raj@acme.example (cc dana@customer.example, bcc mallory@evil.example)' },
    });
    const pending = approvals(req, { signal: signal() });
    const message = await nextApprovalMessage(approvals, req.id);
    const replies = slack.messages('#approvals').filter((m) => m.threadTs === message.ts);
    const all = [message, ...replies];
    for (const m of all) expect((m.blocks ?? []).length).toBeLessThanOrEqual(50);
    const texts = all.flatMap((m) => (m.blocks as { text?: { text?: string } }[]).map((b) => b.text?.text ?? ''));
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
    const first = JSON.stringify(message.blocks);
    expect(first.indexOf('mallory@evil.example')).toBeGreaterThan(-1);
    expect(first.indexOf('mallory@evil.example')).toBeLessThan(first.indexOf('line 0:'));
    expect(replies.length).toBeGreaterThan(0);
    const joined = texts.join('');
    expect(joined).not.toContain('…');
    for (const i of [0, 1234, 2499]) expect(joined).toContain(`line ${i}: the quarterly numbers &amp; more &lt;details&gt;`);
    expect(JSON.stringify(all.map((m) => m.blocks))).not.toContain('sk_live_');
    approvals.handleInteraction(slack.clickButton('#approvals', message.ts, DENY_ACTION_ID, PEOPLE.raj.id));
    expect(await pending).toMatchObject({ decision: 'deny' });
  });

  it('needs approvers mapped to principals, so a requester\'s own Slack account is known', () => {
    expect(() => slackApprovals({ client: clientFor(slack), channel: '#approvals', approvers: {} })).toThrow(InvalidArgumentError);
    const bare = [PEOPLE.raj.id, PEOPLE.priya.id] as unknown as Record<string, string>;
    expect(() => slackApprovals({ client: clientFor(slack), channel: '#approvals', approvers: bare })).toThrow(/map from Slack user id to principal id/);
  });

  it('refuses the requester\'s own Slack account however their principal id is written', async () => {
    const approvals = handler({ approvers: { [PEOPLE.raj.id]: 'raj', [PEOPLE.priya.id]: ' Priya ' }, pollIntervalMs: 0, timeoutMs: 3000 });
    const req = request();
    const pending = approvals(req, { signal: signal() });
    const message = await nextApprovalMessage(approvals, req.id);
    expect(approvals.handleInteraction(slack.clickButton('#approvals', message.ts, APPROVE_ACTION_ID, PEOPLE.priya.id))).toEqual({
      status: 'ignored',
      reason: 'people cannot approve their own requests',
    });
    expect(approvals.handleInteraction(slack.clickButton('#approvals', message.ts, APPROVE_ACTION_ID, PEOPLE.raj.id))).toMatchObject({ status: 'accepted', approver: 'raj' });
    expect(await pending).toMatchObject({ decision: 'approve', approver: 'raj' });
  });
});
