import { InMemoryApprovalStore, InMemoryAuditLog, type ApprovalRequest } from '@claw/core';
import { describe, expect, it } from 'vitest';
import { decideApproval } from './decide';

const NOW = Date.UTC(2026, 11, 3, 12);

function request(fields: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: 'req-1', runId: 'run-1', toolCallId: 'call-1', toolName: 'email_send', effect: 'external', environment: 'production',
    principal: { id: 'priya', managerId: 'raj' }, input: { to: 'sam@acme.test' }, inputHash: 'a'.repeat(64), reason: 'sends mail',
    requestedAt: NOW - 60_000, expiresAt: NOW + 60_000, approversRequired: 1, ...fields,
  };
}

async function stores(req: ApprovalRequest) {
  const approvals = new InMemoryApprovalStore();
  await approvals.putRequest(req);
  return { approvals, audit: new InMemoryAuditLog() };
}

describe('decideApproval', () => {
  it('judges expiry by the clock it is given, not by the machine clock, and writes nothing when refused', async () => {
    const s = await stores(request());
    await expect(decideApproval(s, { requestId: 'req-1', decision: 'approve', approver: 'raj' }, NOW + 60_001)).rejects.toThrow(/refused: .*expired.*Nothing was recorded/);
    expect((await s.approvals.getDecisions('req-1')).decisions).toEqual([]);
    expect(await s.audit.list()).toEqual([]);
  });

  it('records one approver of a two-person request as awaiting, not as enough', async () => {
    const s = await stores(request({ approversRequired: 2 }));
    expect(await decideApproval(s, { requestId: 'req-1', decision: 'approve', approver: 'raj' }, NOW)).toMatchObject({ outcome: 'awaiting_more_approvers', approvers: ['raj'] });
    expect(await s.approvals.listPending()).toHaveLength(1);
    expect((await s.audit.list())[0]).toMatchObject({ type: 'approval.decision', data: { outcome: 'awaiting_more_approvers', approversRequired: 2, via: 'cli' } });
  });

  it('keeps grantForMs on the recorded decision, for the resumed run to turn into a grant', async () => {
    const s = await stores(request());
    await decideApproval(s, { requestId: 'req-1', decision: 'approve', approver: 'raj', grantForMs: 3_600_000 }, NOW);
    expect((await s.approvals.getDecisions('req-1')).decisions).toEqual([expect.objectContaining({ approver: 'raj', grantForMs: 3_600_000, decidedAt: NOW })]);
    expect(await s.approvals.listGrants('priya', NOW + 1000)).toEqual([]);
  });

  it('records a deny, even by the requester, settles the request and audits it', async () => {
    const s = await stores(request());
    expect(await decideApproval(s, { requestId: 'req-1', decision: 'deny', approver: 'priya', reason: 'wrong person' }, NOW)).toMatchObject({ outcome: 'denied' });
    expect((await s.audit.list())[0]).toMatchObject({ type: 'approval.decision', data: { decision: 'deny', approver: 'priya', reason: 'wrong person', via: 'cli' } });
    expect(await s.approvals.listPending()).toEqual([]);
  });
});
