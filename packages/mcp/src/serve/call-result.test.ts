import { ClawError, type ApprovalRequest } from '@claw/core';
import { describe, expect, it } from 'vitest';
import { annotationsForEffect } from './tool-annotations';
import { toCallToolResult } from './call-result';

describe('toCallToolResult', () => {
  it('marks untrusted output and previews', () => {
    expect(toCallToolResult({ status: 'ok', output: 1, content: '1', untrusted: false })).toEqual({ content: [{ type: 'text', text: '1' }], _meta: { 'claw/status': 'ok', 'claw/untrusted': false } });
    expect(toCallToolResult({ status: 'previewed', preview: { summary: 's' }, content: 'p' })._meta).toEqual({ 'claw/status': 'previewed', 'claw/untrusted': true });
  });

  it('turns refusals into tool errors carrying the code, and a pending approval into one naming the request', () => {
    const denied = toCallToolResult({ status: 'denied', error: new ClawError('POLICY_DENIED', 'no'), content: 'Error [POLICY_DENIED]: no' });
    expect(denied).toMatchObject({ isError: true, _meta: { 'claw/errorCode': 'POLICY_DENIED' } });
    const request = { id: 'req-1', toolName: 'email_send', reason: 'sends need approval', inputHash: 'abc', expiresAt: 0 } as ApprovalRequest;
    const pending = toCallToolResult({ status: 'awaiting_approval', request });
    expect(pending).toMatchObject({ isError: true, _meta: { 'claw/approvalRequestId': 'req-1' } });
    expect(pending.content[0]).toMatchObject({ text: expect.stringContaining('approval request req-1') });
  });
});

describe('annotationsForEffect', () => {
  it('derives every hint from the effect', () => {
    expect(annotationsForEffect('read')).toEqual({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
    expect(annotationsForEffect('write')).toEqual({ readOnlyHint: false, destructiveHint: true, openWorldHint: false });
    expect(annotationsForEffect('external')).toEqual({ readOnlyHint: false, destructiveHint: true, openWorldHint: true });
    expect(annotationsForEffect('deploy', 'deploy_start')).toEqual({ title: 'deploy_start', readOnlyHint: false, destructiveHint: true, openWorldHint: true });
  });
});
