import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InMemoryAuditLog } from '../policy/in-memory-audit-log';
import { ScriptedModel } from '../testing/scripted-model';
import { defineTool } from '../tools/define-tool';
import { Agent } from './agent';

describe('agent.callTool', () => {
  const performed: string[] = [];
  const tools = [
    defineTool({ name: 'note_read', description: 'Read', input: z.object({}), scopes: ['notes:read'], effect: 'read', untrustedOutput: true, execute: () => 'a note' }),
    defineTool({ name: 'note_write', description: 'Write', input: z.object({ text: z.string() }), scopes: ['notes:write'], effect: 'write', execute: ({ text }) => void performed.push(text), preview: ({ text }) => ({ summary: `would write ${text}` }) }),
  ];
  const agent = (options: { environment?: 'sandbox' | 'production'; grants?: string[]; audit?: InMemoryAuditLog } = {}) =>
    new Agent({ model: new ScriptedModel([]), tools, principal: { id: 'priya' }, grants: options.grants ?? ['notes:read', 'notes:write'], environment: options.environment ?? 'production', ...(options.audit ? { audit: options.audit } : {}) });

  it('goes through the tool-call pipeline: ok, previewed, awaiting approval, refused', async () => {
    expect(await agent().callTool('note_read', {})).toEqual({ status: 'ok', output: 'a note', content: '<untrusted-content source="note_read">\na note\n</untrusted-content>', untrusted: true });
    expect(await agent({ environment: 'sandbox' }).callTool('note_write', { text: 'x' })).toMatchObject({ status: 'previewed', preview: { summary: 'would write x' } });
    const pending = await agent().callTool('note_write', { text: 'x' }, { callId: 'c1' });
    expect(pending).toMatchObject({ status: 'awaiting_approval', request: { toolName: 'note_write', toolCallId: 'c1', input: { text: 'x' } } });
    const audit = new InMemoryAuditLog();
    const refused = await agent({ grants: [], audit }).callTool('note_write', { text: 'x' }, { runId: 'r1' });
    expect(refused).toMatchObject({ status: 'denied', error: { code: 'PERMISSION_DENIED' } });
    expect((await audit.list({ type: 'permission.denied' }))[0]).toMatchObject({ runId: 'r1' });
    expect(await agent().callTool('note_write', { text: 1 })).toMatchObject({ status: 'error', error: { code: 'TOOL_INPUT' } });
    expect(performed).toEqual([]);
  });
});
