import { Agent, InMemoryApprovalStore, InMemoryAuditLog, InMemoryRunStateStore, defineTool, type AgentOptions, type ApprovalRequest } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decideApproval, type DecisionContext } from './decide';

/** A run of priya's suspended on a `deploy_start` (two-person rule when asked), with stores the console shares. */
async function suspendedDeploy(options: { twoPerson?: boolean; approvalTimeoutMs?: number } = {}) {
  const deployed: unknown[] = [];
  const deploy = defineTool({
    name: 'deploy_start',
    description: 'Start a deploy',
    input: z.object({ ref: z.string() }),
    scopes: ['deploy:run'],
    effect: 'deploy',
    execute: (input) => {
      deployed.push(input);
      return { started: true };
    },
    preview: (input) => ({ summary: `would deploy ${input.ref}` }),
  });
  const stores = { approvalStore: new InMemoryApprovalStore(), runStateStore: new InMemoryRunStateStore(), audit: new InMemoryAuditLog() };
  const agentOptions = (model: ScriptedModel): AgentOptions => ({
    model,
    tools: [deploy],
    principal: { id: 'priya', managerId: 'raj' },
    grants: ['deploy:run'],
    environment: 'production',
    meter: false,
    ...stores,
    ...(options.twoPerson ? { policy: { twoPersonRule: ['deploy_start'] } } : {}),
    ...(options.approvalTimeoutMs !== undefined ? { approvalTimeoutMs: options.approvalTimeoutMs } : {}),
  });
  const run = await new Agent(agentOptions(new ScriptedModel([{ toolCalls: [{ id: 'call-1', name: 'deploy_start', input: { ref: 'v1' } }] }]))).run('Deploy v1');
  expect(run.stopReason).toBe('suspended');
  const request = (await stores.approvalStore.getRequest(run.pending![0]!.id))!;
  let resumed = 0;
  const context: DecisionContext = {
    approvals: stores.approvalStore,
    runStates: stores.runStateStore,
    audit: stores.audit,
    agentFor: () => {
      resumed++;
      return new Agent(agentOptions(new ScriptedModel([{ text: 'Deploy started.' }])));
    },
  };
  return { request, context, deployed, stores, resumes: () => resumed };
}

const decide = (context: DecisionContext, request: ApprovalRequest, viewer: string, extra: { decision?: 'approve' | 'deny'; inputHash?: string; now?: number } = {}) =>
  decideApproval(context, { request, viewer, decision: extra.decision ?? 'approve', inputHash: extra.inputHash ?? request.inputHash, now: extra.now ?? Date.now() });

describe('decideApproval', () => {
  it('binds the approval through core, then resumes the waiting run from the store: the call runs once', async () => {
    const { request, context, deployed, stores } = await suspendedDeploy();
    const outcome = await decide(context, request, 'Raj ');
    expect(outcome).toMatchObject({ type: 'recorded', outcome: 'approved', approvers: ['raj'] });
    expect(outcome.type === 'recorded' && outcome.run?.stopReason).toBe('final');
    expect(deployed).toEqual([{ ref: 'v1' }]);
    expect(await stores.runStateStore.load(request.runId)).toBeUndefined();
    expect((await stores.audit.list({ type: 'approval.granted' }))[0]!.data).toMatchObject({ requestId: request.id, approvers: ['raj'] });

    const replay = await decide(context, request, 'raj');
    expect(replay).toMatchObject({ type: 'refused', status: 409, failure: 'replayed' });
    expect(deployed).toHaveLength(1);
  });

  it('collects the two-person rule one approver at a time, and resumes only on the second', async () => {
    const { request, context, deployed, resumes, stores } = await suspendedDeploy({ twoPerson: true });
    expect(request.approversRequired).toBe(2);
    const first = await decide(context, request, 'raj');
    expect(first).toEqual({ type: 'recorded', outcome: 'awaiting_more_approvers', approvers: ['raj'], approversRequired: 2 });
    expect((await stores.audit.list({ type: 'approval.decision' })).map((e) => e.data)).toMatchObject([{ approver: 'raj', outcome: 'awaiting_more_approvers', via: 'console' }]);
    expect(resumes()).toBe(0);
    expect(await decide(context, request, 'RAJ')).toMatchObject({ type: 'refused', status: 409, failure: 'replayed' });

    const second = await decide(context, request, 'dana');
    expect(second).toMatchObject({ type: 'recorded', outcome: 'approved', approvers: ['raj', 'dana'] });
    expect(second.type === 'recorded' && second.run?.stopReason).toBe('final');
    expect(resumes()).toBe(1);
    expect(deployed).toEqual([{ ref: 'v1' }]);
  });

  it('refuses the requester as one of two approvers (403), writing nothing', async () => {
    const { request, context, stores } = await suspendedDeploy({ twoPerson: true });
    expect(await decide(context, request, ' Priya')).toMatchObject({ type: 'refused', status: 403, failure: 'self-approval' });
    expect((await stores.approvalStore.getDecisions(request.id)).decisions).toEqual([]);
  });

  it('refuses a late approval (410) and one for other input (409); the run keeps waiting', async () => {
    const { request, context, stores, resumes } = await suspendedDeploy();
    expect(await decide(context, request, 'raj', { now: request.expiresAt + 1 })).toMatchObject({ type: 'refused', status: 410, failure: 'expired' });
    expect(await decide(context, request, 'raj', { inputHash: 'b'.repeat(64) })).toMatchObject({ type: 'refused', status: 409, failure: 'binding' });
    expect(await decide(context, request, 'raj', { decision: 'deny', inputHash: 'b'.repeat(64) })).toMatchObject({ type: 'refused', status: 409, failure: 'binding' });
    expect((await stores.approvalStore.getDecisions(request.id)).decisions).toEqual([]);
    expect(await stores.audit.list({ type: 'approval.decision' })).toEqual([]);
    expect(await stores.runStateStore.load(request.runId)).toBeDefined();
    expect(resumes()).toBe(0);
  });

  it('a denial settles the request and resumes the run with the call refused', async () => {
    const { request, context, deployed, stores } = await suspendedDeploy();
    const outcome = await decide(context, request, 'raj', { decision: 'deny' });
    expect(outcome).toMatchObject({ type: 'recorded', outcome: 'denied' });
    expect(outcome.type === 'recorded' && outcome.run?.stopReason).toBe('final');
    expect(deployed).toEqual([]);
    expect((await stores.approvalStore.getDecisions(request.id)).outcome).toBe('denied');
  });

  it('records the approval without resuming when the run is not waiting here (the host resumes it)', async () => {
    const { request, context, stores } = await suspendedDeploy();
    await stores.runStateStore.delete(request.runId);
    expect(await decide(context, request, 'raj')).toMatchObject({ type: 'recorded', outcome: 'approved', notResumed: true });
    expect((await stores.approvalStore.getDecisions(request.id)).decisions).toMatchObject([{ approver: 'raj', inputHash: request.inputHash }]);
  });
});
