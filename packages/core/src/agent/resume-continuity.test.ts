import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InMemoryApprovalStore } from '../policy/in-memory-approval-store';
import { InMemoryAuditLog } from '../policy/in-memory-audit-log';
import { submitApproval } from '../policy/submit-approval';
import { ScriptedModel } from '../testing/scripted-model';
import { defineTool } from '../tools/define-tool';
import { Agent } from './agent';

describe('a resumed run continues what was suspended', () => {
  it('announce a call taken up again by resume as resumed, so it is counted once', async () => {
    const sent: unknown[] = [];
    const send = defineTool({ name: 'email_send', description: 'Send an email', input: z.object({ to: z.string() }), scopes: ['email:send'], effect: 'external', execute: (i) => { sent.push(i); return 'sent'; }, preview: (i) => ({ summary: `would send to ${i.to}` }) });
    const approvalStore = new InMemoryApprovalStore();
    const options = { principal: { id: 'priya' }, grants: ['email:send'], environment: 'production' as const, meter: false as const, tools: [send], approvalStore };
    const first = new Agent({ ...options, model: new ScriptedModel([{ toolCalls: [{ id: 'snd', name: 'email_send', input: { to: 'raj@acme.test' } }] }]) });
    const announced: { name: string; resumed: boolean }[] = [];
    first.on('tool:call', ({ call, resumed }) => announced.push({ name: call.name, resumed }));
    const suspended = await first.run('write to raj');
    if (suspended.stopReason !== 'suspended') throw new Error('expected a suspension');
    const request = suspended.pending[0]!;
    await submitApproval({ approvals: approvalStore, requestId: request.id, decision: { decision: 'approve', approver: 'raj', requestId: request.id, inputHash: request.inputHash } });

    const second = new Agent({ ...options, model: new ScriptedModel([{ text: 'done' }]) });
    second.on('tool:call', ({ call, resumed }) => announced.push({ name: call.name, resumed }));
    const resumed = await second.resume(suspended.state);
    expect(resumed.stopReason).toBe('final');
    expect(sent).toEqual([{ to: 'raj@acme.test' }]);
    expect(announced).toEqual([{ name: 'email_send', resumed: false }, { name: 'email_send', resumed: true }]);
    expect(announced.filter((a) => !a.resumed)).toHaveLength(1);
  });

  it('hands the tools of a resumed run the idempotency key the run had before its suspension', async () => {
    const keys: (string | undefined)[] = [];
    const send = defineTool({ name: 'email_send', description: 'Send an email', input: z.object({ to: z.string() }), scopes: ['email:send'], effect: 'external', execute: (_i, ctx) => { keys.push(ctx.idempotencyKey); return 'sent'; }, preview: (i) => ({ summary: `would send to ${i.to}` }) });
    const approvalStore = new InMemoryApprovalStore();
    const options = { principal: { id: 'priya' }, grants: ['email:send'], environment: 'production' as const, meter: false as const, tools: [send], approvalStore };
    const first = await new Agent({ ...options, model: new ScriptedModel([{ toolCalls: [{ id: 'snd', name: 'email_send', input: { to: 'raj@acme.test' } }] }]) }).run('write to raj', { idempotencyKey: 'morning-triage:priya:2026-12-03T06:00:00.000Z' });
    if (first.stopReason !== 'suspended') throw new Error('expected a suspension');
    const request = first.pending[0]!;
    await submitApproval({ approvals: approvalStore, requestId: request.id, decision: { decision: 'approve', approver: 'raj', requestId: request.id, inputHash: request.inputHash } });
    const saved = JSON.parse(JSON.stringify(first.state));
    await new Agent({ ...options, model: new ScriptedModel([{ text: 'done' }]) }).resume(saved);
    expect(keys).toEqual(['morning-triage:priya:2026-12-03T06:00:00.000Z']);
  });

  it('a denial recorded out of band reaches the resumed run as that denial, with the approver and the reason', async () => {
    const sent: unknown[] = [];
    const send = defineTool({ name: 'email_send', description: 'Send an email', input: z.object({ to: z.string() }), scopes: ['email:send'], effect: 'external', execute: (i) => { sent.push(i); return 'sent'; }, preview: (i) => ({ summary: `would send to ${i.to}` }) });
    const approvalStore = new InMemoryApprovalStore();
    const audit = new InMemoryAuditLog();
    const options = { principal: { id: 'priya' }, grants: ['email:send'], environment: 'production' as const, meter: false as const, tools: [send], approvalStore, audit };
    const first = await new Agent({ ...options, model: new ScriptedModel([{ toolCalls: [{ id: 'snd', name: 'email_send', input: { to: 'raj@acme.test' } }] }]) }).run('write to raj');
    if (first.stopReason !== 'suspended') throw new Error('expected a suspension');
    const request = first.pending[0]!;
    const denied = await submitApproval({ approvals: approvalStore, requestId: request.id, decision: { decision: 'deny', approver: 'raj', requestId: request.id, inputHash: request.inputHash, reason: 'not before the review' } });
    expect(denied.outcome).toBe('denied');

    const resumed = await new Agent({ ...options, model: new ScriptedModel([{ text: 'ok, not sent' }]) }).resume(first.state);
    expect(sent).toEqual([]);
    expect(resumed.steps[0]!.toolResults[0]).toMatchObject({ status: 'denied', errorCode: 'APPROVAL_DENIED' });
    const entries = await audit.list({ type: 'approval.denied' });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.data).toMatchObject({ failure: 'denied', approvers: ['raj'] });
    expect(String(entries[0]!.data.reason)).toContain('not before the review');
  });
});
