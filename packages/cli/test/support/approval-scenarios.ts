import { randomUUID } from 'node:crypto';
import type { ApprovalRecord, ApprovalRequest, ApprovalStore, AuditEntry, AuditLog } from '@claw/core';
import { expect, it } from 'vitest';
import type { CliRun } from './built-cli';

/** What the scenarios need from a store under test: run `claw` on it, and open its stores in this process. */
export interface ApprovalScenarioStore {
  claw(...args: string[]): Promise<CliRun>;
  withStores<T>(fn: (stores: { approvals: ApprovalStore; audit: AuditLog }) => Promise<T>): Promise<T>;
}

/** A pending request of priya's agent, stored as an agent stores it when a call waits for a person. */
function pendingRequest(fields: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const now = Date.now();
  return {
    id: `req-${randomUUID()}`, runId: `run-${randomUUID()}`, toolCallId: `call-${randomUUID()}`, toolName: 'note_add', effect: 'write', environment: 'production',
    principal: { id: 'priya', managerId: 'raj', team: 'payments' }, input: { text: 'Close the Q3 books' }, inputHash: 'c'.repeat(64),
    reason: 'writes in production need approval', requestedAt: now - 60_000, expiresAt: now + 3_600_000, approversRequired: 1, ...fields,
  };
}

/**
 * `claw approvals approve|deny` in subprocesses against a real store: decisions go through core's submitApproval
 * (bound, expiring, two-person, replay-proof), each recorded decision is audited with `via: 'cli'`, and a refusal is
 * one stderr line, exit 2, with nothing written.
 */
export function approvalDecisionScenarios(store: () => ApprovalScenarioStore): void {
  const put = (request: ApprovalRequest) => store().withStores((s) => s.approvals.putRequest(request));
  const decisions = (id: string) => store().withStores<ApprovalRecord>((s) => s.approvals.getDecisions(id));
  const cliDecisions = (id: string) =>
    store().withStores<AuditEntry[]>(async (s) => (await s.audit.list({ type: 'approval.decision' })).filter((e) => e.data['requestId'] === id));
  const auditSize = () => store().withStores(async (s) => (await s.audit.list()).length);

  it('approve records the decision through submitApproval and audits it via the CLI', async () => {
    const request = pendingRequest();
    await put(request);
    const run = await store().claw('approvals', 'approve', request.id, '--as', ' Raj ', '--input-hash', request.inputHash, '--json');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'approved', approver: 'raj', approvers: ['raj'], request: { id: request.id } });
    expect((await decisions(request.id)).decisions).toEqual([expect.objectContaining({ decision: 'approve', approver: 'raj', inputHash: request.inputHash })]);
    expect(await cliDecisions(request.id)).toEqual([
      expect.objectContaining({ principalId: 'priya', runId: request.runId, toolCallId: request.toolCallId, data: expect.objectContaining({ decision: 'approve', approver: 'raj', outcome: 'approved', via: 'cli' }) }),
    ]);
  });

  it('deny settles the request as denied and audits it', async () => {
    const request = pendingRequest();
    await put(request);
    const run = await store().claw('approvals', 'deny', request.id, '--as', 'raj', '--reason', 'not this quarter');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Denied ${request.id}: note_add for priya, by raj; the call will not run.\nPreview:     (the tool offers no preview)\nInput:       {"text":"Close the Q3 books"}`);
    expect(run.stdout).toContain('The run continues when its service resumes it');
    expect((await decisions(request.id)).outcome).toBe('denied');
    expect((await cliDecisions(request.id)).map((e) => e.data)).toEqual([expect.objectContaining({ decision: 'deny', outcome: 'denied', reason: 'not this quarter', via: 'cli' })]);
  });

  it('collects two-person approvals one approver at a time: the first awaits, the second approves', async () => {
    const request = pendingRequest({ approversRequired: 2 });
    await put(request);
    const first = await store().claw('approvals', 'approve', request.id, '--as', 'raj');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^Recorded raj's approval of req-\S+ \(note_add for priya\): 1 of 2 approvers; another person must approve before it runs\.\n/);
    const same = await store().claw('approvals', 'approve', request.id, '--as', 'RAJ');
    expect(same.code).toBe(2);
    const second = await store().claw('approvals', 'approve', request.id, '--as', 'ceo', '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ outcome: 'approved', approver: 'ceo', approvers: expect.arrayContaining(['raj', 'ceo']) });
    expect((await decisions(request.id)).decisions.map((d) => d.approver)).toEqual(['raj', 'ceo']);
    expect((await cliDecisions(request.id)).map((e) => [e.data['approver'], e.data['outcome']])).toEqual([['raj', 'awaiting_more_approvers'], ['ceo', 'approved']]);
  });

  it('refuses self-approval under the two-person rule, an expired request and a replay: one line, exit 2, nothing written', async () => {
    const twoPerson = pendingRequest({ approversRequired: 2 });
    const expired = pendingRequest({ expiresAt: Date.now() - 1000 });
    const decided = pendingRequest();
    await Promise.all([put(twoPerson), put(expired), put(decided)]);
    expect((await store().claw('approvals', 'deny', decided.id, '--as', 'raj')).code).toBe(0);
    const before = await auditSize();
    const [self, late, replay, unknown] = await Promise.all([
      store().claw('approvals', 'approve', twoPerson.id, '--as', ' Priya '),
      store().claw('approvals', 'approve', expired.id, '--as', 'raj'),
      store().claw('approvals', 'approve', decided.id, '--as', 'ceo'),
      store().claw('approvals', 'approve', 'no-such-request', '--as', 'raj'),
    ]);
    for (const run of [self, late, replay, unknown]) {
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toMatch(/^claw: [^\n]+\n$/);
    }
    expect(self.stderr).toMatch(/^claw: Approval of req-\S+ refused: .*priya asked for this call and cannot be one of the 2 approvers\. Nothing was recorded\.\n$/);
    expect(late.stderr).toMatch(/^claw: Approval of req-\S+ refused: .*expired.*\. Nothing was recorded\.\n$/);
    expect(replay.stderr).toMatch(/^claw: Approval of req-\S+ refused: .*already decided \(denied\).*\. Nothing was recorded\.\n$/);
    expect(unknown.stderr).toBe('claw: No approval request with id "no-such-request": check the id with `claw approvals list` and the --store.\n');
    expect(await auditSize()).toBe(before);
    expect((await decisions(twoPerson.id)).decisions).toEqual([]);
    expect((await decisions(expired.id)).decisions).toEqual([]);
    expect((await decisions(decided.id)).decisions.map((d) => d.approver)).toEqual(['raj']);
  });
}
