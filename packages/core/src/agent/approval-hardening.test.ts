import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApprovalDeniedError, ApprovalExpiredError, InvalidArgumentError } from '../errors';
import type { ApprovalDecision, ApprovalRequest } from '../policy/approval';
import { MAX_GRANT_FOR_MS } from '../policy/evaluate-decisions';
import { InMemoryApprovalStore } from '../policy/in-memory-approval-store';
import { submitApproval } from '../policy/submit-approval';
import { ScriptedModel, type ScriptStep } from '../testing/scripted-model';
import { defineTool } from '../tools/define-tool';
import { Agent } from './agent';
import type { AgentOptions } from './agent-options';

const principal = { id: 'priya', managerId: 'raj' };

function tools() {
  const sent: { to: string }[] = [];
  const deployed: { ref: string }[] = [];
  const send = defineTool({ name: 'email_send', description: 'Send', input: z.object({ to: z.string(), body: z.string() }), scopes: ['email:send'], effect: 'external', sensitiveInputs: ['to'], execute: (i) => { sent.push(i); return 'sent'; }, preview: (i) => ({ summary: `would send to ${i.to}` }) });
  const deploy = defineTool({ name: 'deploy_start', description: 'Deploy', input: z.object({ service: z.string(), ref: z.string() }), scopes: ['deploy:production'], effect: 'deploy', execute: (i) => { deployed.push(i); return 'started'; }, preview: (i) => ({ summary: `would deploy ${i.ref}` }) });
  return { sent, deployed, list: [send, deploy] };
}

const send = (to: string, id = `send-${to}`): ScriptStep => ({ toolCalls: [{ id, name: 'email_send', input: { to, body: 'hi' } }] });
const deploy = (ref: string): ScriptStep => ({ toolCalls: [{ id: `deploy-${ref}`, name: 'deploy_start', input: { service: 'billing', ref } }] });

function agent(steps: ScriptStep[], extra: Partial<AgentOptions>) {
  const t = tools();
  const approvalStore = extra.approvalStore ?? new InMemoryApprovalStore();
  const a = new Agent({ model: new ScriptedModel([...steps, { text: 'ok' }]), tools: t.list, principal, grants: ['email:send', 'deploy:production'], environment: 'production', meter: false, approvalStore, ...extra });
  return { agent: a, ...t, approvalStore };
}

describe('approver ids are normalised in one place', () => {
  const cases: ApprovalDecision[][] = [
    [{ decision: 'approve', approver: 'raj' }, { decision: 'approve', approver: 'Raj' }],
    [{ decision: 'approve', approver: 'raj ' }, { decision: 'approve', approver: 'raj' }],
    [{ decision: 'approve', approver: 'priya ' }, { decision: 'approve', approver: 'raj' }],
    [{ decision: 'approve', approver: 'ＲＡＪ' }, { decision: 'approve', approver: 'raj' }],
  ];
  it.each(cases.map((c) => [c.map((d) => JSON.stringify(d.approver)).join(' + '), c] as const))('%s is not two people other than the requester', async (_name, answer) => {
    const { agent: a, sent } = agent([send('raj@acme.test')], { policy: { twoPersonRule: ['email_send'] }, approvals: async () => answer });
    await a.run('send');
    expect(sent).toEqual([]);
  });
});

describe('time-limited grants', () => {
  it('rejects a non-finite grantForMs and caps a long one', async () => {
    const infinite = agent([send('raj@acme.test')], { approvals: async () => ({ decision: 'approve', approver: 'raj', grantForMs: Infinity }) });
    const result = await infinite.agent.run('send');
    expect(result.steps[0]!.toolResults[0]).toMatchObject({ status: 'denied', errorCode: 'APPROVAL_DENIED' });
    expect(infinite.sent).toEqual([]);
    expect(await infinite.approvalStore.listGrants('priya', Date.now())).toEqual([]);

    const now = 1_800_000_000_000;
    const long = agent([send('raj@acme.test')], { clock: () => now, approvals: async () => ({ decision: 'approve', approver: 'raj', grantForMs: 365 * 24 * 3_600_000 }) });
    await long.agent.run('send');
    const [grant] = await long.approvalStore.listGrants('priya', now);
    expect(grant!.expiresAt - grant!.grantedAt).toBe(MAX_GRANT_FOR_MS);
  });

  it('binds a grant to the sensitive inputs: a grant for a send to raj does not cover a send to eve', async () => {
    const asked: string[] = [];
    const { agent: a, sent } = agent([send('raj@acme.test', 's1'), send('raj@acme.test', 's2'), send('eve@evil.test', 's3')], {
      approvals: async (r) => { asked.push((r.input as { to: string }).to); return { decision: (r.input as { to: string }).to === 'raj@acme.test' ? 'approve' : 'deny', approver: 'raj', grantForMs: 3_600_000 }; },
    });
    await a.run('send');
    expect(asked).toEqual(['raj@acme.test', 'eve@evil.test']);
    expect(sent.map((s) => s.to)).toEqual(['raj@acme.test', 'raj@acme.test']);
  });

  it('never lets a grant satisfy the two-person rule, nor cover a deploy of another ref', async () => {
    const asked: string[] = [];
    const { agent: a, deployed, approvalStore } = agent([deploy('v1'), deploy('v2')], {
      policy: { twoPersonRule: ['deploy_start'] },
      approvals: async (r) => { asked.push((r.input as { ref: string }).ref); return asked.length === 1 ? [{ decision: 'approve', approver: 'raj', grantForMs: 3_600_000 }, { decision: 'approve', approver: 'mei' }] : { decision: 'deny', approver: 'raj' }; },
    });
    // Even a hand-made two-approver grant for exactly this input does not stand in for the two-person rule.
    await approvalStore.putGrant({ id: 'g', principalId: 'priya', toolName: 'deploy_start', environment: 'production', approvers: ['raj', 'mei'], grantedAt: 0, expiresAt: Date.now() + 3_600_000 });
    await a.run('deploy');
    expect(asked).toEqual(['v1', 'v2']);
    expect(deployed.map((d) => d.ref)).toEqual(['v1']);
  });
});

describe('submitApproval records decisions out of band through the same judgement', () => {
  async function pending(extra: Partial<AgentOptions> = {}): Promise<{ request: ApprovalRequest; store: InMemoryApprovalStore }> {
    const store = new InMemoryApprovalStore();
    const { agent: a } = agent([deploy('v1')], { approvalStore: store, ...extra });
    const result = await a.run('deploy');
    return { request: result.pending![0]!, store };
  }

  it('counts two distinct approvers other than the requester, each once, then settles once', async () => {
    const { request, store } = await pending({ policy: { twoPersonRule: ['deploy_start'] } });
    const submit = (approver: string, decision: 'approve' | 'deny' = 'approve') => submitApproval({ approvals: store, requestId: request.id, decision: { decision, approver, inputHash: request.inputHash } });
    await expect(submit('Priya')).rejects.toThrow(/cannot be one of the 2 approvers/);
    expect(await submit('raj')).toMatchObject({ outcome: 'awaiting_more_approvers', approvers: ['raj'] });
    await expect(submit(' RAJ')).rejects.toBeInstanceOf(ApprovalDeniedError);
    expect(await submit('mei')).toMatchObject({ outcome: 'approved', approvers: ['raj', 'mei'] });
  });

  it('judges expiry by the clock, binds to the input hash, and refuses unknown or settled requests', async () => {
    const { request, store } = await pending();
    const decision: ApprovalDecision = { decision: 'approve', approver: 'raj', inputHash: request.inputHash, decidedAt: request.requestedAt };
    await expect(submitApproval({ approvals: store, requestId: request.id, decision, now: request.expiresAt + 45 * 60_000 })).rejects.toBeInstanceOf(ApprovalExpiredError);
    await expect(submitApproval({ approvals: store, requestId: request.id, decision: { ...decision, inputHash: '0'.repeat(64) } })).rejects.toThrow(/different input/);
    await expect(submitApproval({ approvals: store, requestId: 'nope', decision })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await submitApproval({ approvals: store, requestId: request.id, decision: { ...decision, decision: 'deny' } })).toMatchObject({ outcome: 'denied' });
    await expect(submitApproval({ approvals: store, requestId: request.id, decision: { ...decision, approver: 'mei' } })).rejects.toThrow(/already decided/);
  });
});
