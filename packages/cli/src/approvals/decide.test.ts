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
  it('refuses an approval after the request expired and leaves it pending', async () => {
    const s = await stores(request({ expiresAt: NOW - 1 }));
    await expect(decideApproval(s, { requestId: 'req-1', decision: 'approve', approver: 'raj' }, NOW)).rejects.toThrow(/expired/);
    expect(await s.approvals.listPending()).toHaveLength(1);
    expect(await s.audit.list()).toEqual([]);
  });

  it('refuses one approver for a two-person request instead of recording it as enough', async () => {
    const s = await stores(request({ approversRequired: 2 }));
    await expect(decideApproval(s, { requestId: 'req-1', decision: 'approve', approver: 'raj' }, NOW)).rejects.toThrow(/needs 2 distinct approvers/);
    expect(await s.approvals.listPending()).toHaveLength(1);
  });

  it('turns an approval with grantForMs into a time-limited grant for that tool and person', async () => {
    const s = await stores(request());
    const recorded = await decideApproval(s, { requestId: 'req-1', decision: 'approve', approver: 'raj', grantForMs: 3_600_000 }, NOW);
    expect(recorded).toMatchObject({ outcome: 'approved', approvers: ['raj'], grantExpiresAt: NOW + 3_600_000 });
    expect(await s.approvals.listGrants('priya', NOW + 1000)).toEqual([expect.objectContaining({ toolName: 'email_send', environment: 'production', approvers: ['raj'], expiresAt: NOW + 3_600_000 })]);
    expect((await s.audit.list()).map((e) => [e.type, e.principalId, e.data.via])).toEqual([['approval.granted', 'priya', 'claw-cli']]);
  });

  it('records a deny, even by the requester, and audits it', async () => {
    const s = await stores(request());
    expect(await decideApproval(s, { requestId: 'req-1', decision: 'deny', approver: 'priya', reason: 'wrong person' }, NOW)).toMatchObject({ outcome: 'denied' });
    expect((await s.audit.list())[0]).toMatchObject({ type: 'approval.denied', data: { reason: 'priya denied it: wrong person' } });
    expect(await s.approvals.listPending()).toEqual([]);
  });
});
