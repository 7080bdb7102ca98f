import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openClawDatabase } from '@claw/sqlite';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, textOf, tsxCommand } from './support';

describe('the official MCP client against Claw over stdio', () => {
  let tmp: ReturnType<typeof tempDir>;
  let client: Client | undefined;
  const paths = () => ({ notes: join(tmp.dir, 'notes.txt'), db: join(tmp.dir, 'claw.db'), decision: join(tmp.dir, 'decision') });
  const notesWritten = () => (existsSync(paths().notes) ? readFileSync(paths().notes, 'utf8').split('\n').filter(Boolean) : []);

  beforeEach(() => {
    tmp = tempDir('claw-mcp-stdio-');
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    tmp.remove();
  });

  async function connect(env: Record<string, string> = {}): Promise<Client> {
    const { command, args, cwd } = tsxCommand('claw-stdio-server.ts');
    const transport = new StdioClientTransport({
      command,
      args,
      cwd,
      stderr: 'pipe',
      env: { ...getDefaultEnvironment(), NOTES_FILE: paths().notes, CLAW_DB: paths().db, ...env },
    });
    client = new Client({ name: 'test-client', version: '1.0.0' });
    await client.connect(transport);
    return client;
  }

  it('lists only granted tools, annotated from their effect, and answers a read call', async () => {
    writeFileSync(paths().notes, 'buy milk\n');
    const mcp = await connect();
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name)).toEqual(['note_read', 'note_write']);
    expect(tools[0]!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
    expect(tools[1]!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, openWorldHint: false });
    expect(tools[1]!.inputSchema).toMatchObject({ type: 'object', properties: { text: { type: 'string', maxLength: 200 } }, required: ['text'] });
    expect(mcp.getInstructions()).toContain('note_write');

    const read = (await mcp.callTool({ name: 'note_read', arguments: {} })) as CallToolResult;
    expect(read.isError).toBeFalsy();
    expect(textOf(read)).toMatch(/^<untrusted-content source="note_read">\n\{"notes":\["buy milk"\]\}/);
    expect(read._meta).toMatchObject({ 'claw/status': 'ok', 'claw/untrusted': true });
  });

  it('holds a production write for approval, naming the request it stored, and performs nothing', async () => {
    const mcp = await connect();
    const result = (await mcp.callTool({ name: 'note_write', arguments: { text: 'ship it' } })) as CallToolResult;
    expect(result.isError).toBe(true);
    const requestId = String(result._meta?.['claw/approvalRequestId']);
    expect(textOf(result)).toContain(`approval request ${requestId}`);
    expect(notesWritten()).toEqual([]);
    await mcp.close();
    const db = openClawDatabase(paths().db);
    try {
      const pending = await db.approvals.listPending('priya');
      expect(pending.map((r) => [r.id, r.toolName, r.input])).toEqual([[requestId, 'note_write', { text: 'ship it' }]]);
    } finally {
      await db.close();
    }
  });

  it('waits for the host approval handler: denied performs nothing, approved performs once', async () => {
    writeFileSync(paths().decision, 'deny');
    const mcp = await connect({ CLAW_DECISION_FILE: paths().decision });
    const denied = (await mcp.callTool({ name: 'note_write', arguments: { text: 'ship it' } })) as CallToolResult;
    expect(denied.isError).toBe(true);
    expect(denied._meta).toMatchObject({ 'claw/status': 'denied', 'claw/errorCode': 'APPROVAL_DENIED' });
    expect(notesWritten()).toEqual([]);

    writeFileSync(paths().decision, 'approve');
    const approved = (await mcp.callTool({ name: 'note_write', arguments: { text: 'ship it' } })) as CallToolResult;
    expect(approved.isError).toBeFalsy();
    expect(textOf(approved)).toBe('{"written":true,"count":1}');
    expect(notesWritten()).toEqual(['ship it']);
  });

  it('refuses a tool it does not grant and audits the refusal', async () => {
    const mcp = await connect();
    const result = (await mcp.callTool({ name: 'note_purge', arguments: {} })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(result._meta).toMatchObject({ 'claw/status': 'denied', 'claw/errorCode': 'PERMISSION_DENIED' });
    const invalid = (await mcp.callTool({ name: 'note_write', arguments: { text: '' } })) as CallToolResult;
    expect(invalid._meta).toMatchObject({ 'claw/errorCode': 'TOOL_INPUT' });
    await mcp.close();
    const db = openClawDatabase(paths().db);
    try {
      const denials = await db.audit.list({ type: 'permission.denied' });
      expect(denials.map((e) => [e.principalId, e.data])).toEqual([['priya', expect.objectContaining({ toolName: 'note_purge', missingScopes: ['notes:admin'] })]]);
      expect((await db.audit.verify()).valid).toBe(true);
    } finally {
      await db.close();
    }
  });
});
