import { InMemoryApprovalStore, InMemoryAuditLog, InMemoryRunStateStore, type ApprovalRequest } from '@claw/core';
import { describe, expect, it } from 'vitest';
import { decideApproval } from './decide';

const NOW = Date.UTC(2026, 10, 1);

function request(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: 'req-1',
    runId: 'run-1',
    toolCallId: 'call-1',
    toolName: 'deploy_start',
    effect: 'deploy',
    environment: 'production',
    principal: { id: 'priya', managerId: 'raj' },
    input: { ref: 'v1' },
    inputHash: 'a'.repeat(64),
    reason: 'production deploys need two approvers',
    requestedAt: NOW - 1000,
    expiresAt: NOW + 60_000,
    approversRequired: 1,
    ...overrides,
  };
}

async function setUp(r: ApprovalRequest) {
  const context = { approvals: new InMemoryApprovalStore(), runStates: new InMemoryRunStateStore(), audit: new InMemoryAuditLog() };
  await context.approvals.putRequest(r);
  return context;
}

describe('decideApproval', () => {
  it('refuses the requester deciding their own request, even spelled differently', async () => {
    const r = request();
    const context = await setUp(r);
    const outcome = await decideApproval(context, { request: r, viewer: ' Priya', decision: 'approve', inputHash: r.inputHash, now: NOW });
    expect(outcome).toMatchObject({ type: 'refused', status: 403 });
    expect(await context.approvals.listPending()).toHaveLength(1);
    expect(await context.audit.list()).toEqual([]);
  });

  it('refuses one approval of a two-person request, and writes nothing', async () => {
    const r = request({ approversRequired: 2 });
    const context = await setUp(r);
    const outcome = await decideApproval(context, { request: r, viewer: 'raj', decision: 'approve', inputHash: r.inputHash, now: NOW });
    expect(outcome).toMatchObject({ type: 'refused', status: 409 });
    expect(outcome.type === 'refused' && outcome.reason).toContain('2 distinct approvers');
    expect(await context.approvals.listPending()).toHaveLength(1);
  });

  it('records a decision once when no suspended run waits (audited), and refuses the replay', async () => {
    const r = request();
    const context = await setUp(r);
    const first = await decideApproval(context, { request: r, viewer: 'raj', decision: 'approve', inputHash: r.inputHash, now: NOW });
    expect(first).toMatchObject({ type: 'recorded', outcome: 'approved', notResumed: true });
    expect((await context.audit.list({ type: 'approval.granted' }))[0]!.data).toMatchObject({ requestId: 'req-1', approvers: ['raj'], via: 'console' });
    const again = await decideApproval(context, { request: r, viewer: 'raj', decision: 'approve', inputHash: r.inputHash, now: NOW });
    expect(again).toMatchObject({ type: 'refused', status: 409 });
  });

  it('refuses a late approval (410) and one for other input (409)', async () => {
    const r = request();
    const context = await setUp(r);
    expect(await decideApproval(context, { request: r, viewer: 'raj', decision: 'approve', inputHash: r.inputHash, now: r.expiresAt + 1 })).toMatchObject({ type: 'refused', status: 410 });
    expect(await decideApproval(context, { request: r, viewer: 'raj', decision: 'approve', inputHash: 'b'.repeat(64), now: NOW })).toMatchObject({ type: 'refused', status: 409 });
    expect(await decideApproval(context, { request: r, viewer: 'raj', decision: 'deny', inputHash: 'b'.repeat(64), now: NOW })).toMatchObject({ type: 'refused', status: 409 });
    expect(await context.approvals.listPending()).toHaveLength(1);
  });
});
