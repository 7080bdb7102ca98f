import { request } from 'node:http';
import { join } from 'node:path';
import { Agent, InMemoryApprovalStore, InMemoryAuditLog, InvalidArgumentError, type ApprovalDecision, type ApprovalHandler } from '@claw/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { mcpClientModel, serveMcpHttp, type RunningMcpHttpServer } from '../src/index';
import { notesSkill } from './fixtures/notes-skill';
import { tempDir, textOf } from './support';

describe('the official MCP client against Claw over Streamable HTTP', () => {
  let tmp: ReturnType<typeof tempDir>;
  let server: RunningMcpHttpServer | undefined;
  let client: Client | undefined;
  const notesFile = () => join(tmp.dir, 'notes.txt');
  const notesWritten = () => (existsSync(notesFile()) ? readFileSync(notesFile(), 'utf8').split('\n').filter(Boolean) : []);

  beforeEach(() => {
    tmp = tempDir('claw-mcp-http-');
  });
  afterEach(async () => {
    await client?.close();
    await server?.close();
    client = undefined;
    server = undefined;
    tmp.remove();
  });

  async function start(options: { approvals?: ApprovalHandler; environment?: 'sandbox' | 'production'; token?: string } = {}) {
    const audit = new InMemoryAuditLog();
    const approvalStore = new InMemoryApprovalStore();
    const skills = [notesSkill.configure({ file: notesFile() })];
    const agent = new Agent({
      model: mcpClientModel(),
      skills,
      principal: { id: 'priya', managerId: 'raj' },
      grants: ['notes:read', 'notes:write'],
      environment: options.environment ?? 'production',
      audit,
      approvalStore,
      ...(options.approvals ? { approvals: options.approvals } : {}),
    });
    server = await serveMcpHttp({
      agent,
      skills,
      ...(options.token ? { authenticate: (request: Request) => request.headers.get('authorization') === `Bearer ${options.token}` } : {}),
    });
    client = new Client({ name: 'test-client', version: '1.0.0' });
    const headers = options.token ? { requestInit: { headers: { authorization: `Bearer ${options.token}` } } } : undefined;
    await client.connect(new StreamableHTTPClientTransport(server.url, headers));
    return { mcp: client, audit, approvalStore, url: server.url };
  }

  it('lists granted tools with annotations and answers a read call', async () => {
    const { mcp } = await start();
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => [t.name, t.annotations?.readOnlyHint, t.annotations?.destructiveHint])).toEqual([
      ['note_read', true, false],
      ['note_write', false, true],
    ]);
    const read = (await mcp.callTool({ name: 'note_read', arguments: {} })) as CallToolResult;
    expect(textOf(read)).toContain('{"notes":[]}');
    expect(read._meta?.['claw/untrusted']).toBe(true);
  });

  it('a production write needs approval: pending without a handler, then denied, then approved and performed once', async () => {
    const pending = await start();
    const held = (await pending.mcp.callTool({ name: 'note_write', arguments: { text: 'deploy notes' } })) as CallToolResult;
    expect(held.isError).toBe(true);
    const [stored] = await pending.approvalStore.listPending('priya');
    expect(held._meta?.['claw/approvalRequestId']).toBe(stored!.id);
    expect(textOf(held)).toContain(`approval request ${stored!.id}`);
    await client!.close();
    await server!.close();

    const answers: ApprovalDecision['decision'][] = ['deny', 'approve'];
    const asked: string[] = [];
    const { mcp, audit } = await start({
      approvals: async (request) => {
        asked.push(request.toolName);
        return { decision: answers.shift()!, approver: 'raj' };
      },
    });
    const denied = (await mcp.callTool({ name: 'note_write', arguments: { text: 'deploy notes' } })) as CallToolResult;
    expect(denied._meta).toMatchObject({ 'claw/status': 'denied', 'claw/errorCode': 'APPROVAL_DENIED' });
    expect(notesWritten()).toEqual([]);
    const approved = (await mcp.callTool({ name: 'note_write', arguments: { text: 'deploy notes' } })) as CallToolResult;
    expect(approved.isError).toBeFalsy();
    expect(notesWritten()).toEqual(['deploy notes']);
    expect(asked).toEqual(['note_write', 'note_write']);
    const types = (await audit.list()).map((e) => e.type);
    expect(types.filter((t) => t === 'approval.denied' || t === 'approval.granted')).toEqual(['approval.denied', 'approval.granted']);
    expect(types.filter((t) => t === 'tool.result')).toHaveLength(1);
  });

  it('refuses an ungranted tool and audits it', async () => {
    const { mcp, audit } = await start();
    const result = (await mcp.callTool({ name: 'note_purge', arguments: {} })) as CallToolResult;
    expect(result._meta).toMatchObject({ 'claw/errorCode': 'PERMISSION_DENIED' });
    expect(textOf(result)).toContain('notes:admin');
    const unknown = (await mcp.callTool({ name: 'constructor', arguments: {} })) as CallToolResult;
    expect(unknown._meta).toMatchObject({ 'claw/errorCode': 'TOOL_NOT_FOUND' });
    expect((await audit.list({ type: 'permission.denied' })).map((e) => e.data.toolName)).toEqual(['note_purge']);
  });

  it('previews writes in the sandbox without performing them', async () => {
    const { mcp } = await start({ environment: 'sandbox' });
    const result = (await mcp.callTool({ name: 'note_write', arguments: { text: 'draft' } })) as CallToolResult;
    expect(result._meta).toMatchObject({ 'claw/status': 'previewed' });
    expect(textOf(result)).toContain('would add the note "draft"');
    expect(notesWritten()).toEqual([]);
  });

  it('rejects requests without credentials when the endpoint authenticates', async () => {
    const { url } = await start({ token: 's3cret' });
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(response.status).toBe(401);
    // A page on another site reaching the loopback port (DNS rebinding) arrives with its own Host header.
    const forged = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { authorization: 'Bearer s3cret', host: 'evil.test', 'content-type': 'application/json', accept: 'application/json, text/event-stream' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    });
    expect(forged).toBe(403);
  });

  it('refuses to listen beyond loopback without authentication', async () => {
    const agent = new Agent({ model: mcpClientModel(), principal: { id: 'priya' } });
    await expect(serveMcpHttp({ agent, hostname: '0.0.0.0' })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
