import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs an example the way the README does (offline, no API key) and returns what it printed. */
async function example(file: string): Promise<string> {
  const env = { ...process.env };
  for (const key of ['CLAW_MODEL', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'SLACK_BOT_TOKEN', 'CLAW_IMAP_URL', 'DATABASE_URL']) delete env[key];
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--conditions=claw-source', `examples/${file}`], { cwd: root, env, timeout: 60_000 });
  return stdout;
}

describe('examples run offline', () => {
  it('hello-agent answers with two tool calls', async () => {
    const out = await example('hello-agent.ts');
    expect(out).toContain('weather_lookup({"city":"Oslo"})');
    expect(out).toContain('answer: It is 4 °C (39 °F) and clear in Oslo.');
  });

  it('approvals previews, suspends, resumes and verifies the audit chain', async () => {
    const out = await example('approvals.ts');
    expect(out).toContain('previewed: would send "Weekly status" to raj@acme.test');
    expect(out).toContain('stop: suspended');
    expect(out).toContain('decision recorded: approved by raj');
    expect(out).toContain('outbox: Weekly status → raj@acme.test');
    expect(out).toContain('callTool: awaiting_approval');
    expect(out).toContain('"valid":true');
  });

  it('claw-cli reports, explains, refuses a peer, approves and verifies through the claw command', async () => {
    const out = await example('claw-cli.ts');
    expect(out).toContain('$ claw usage --as raj --person priya --by skill\nUsage of priya, seen by raj');
    expect(out).toMatch(/Counted: [\d,]+ input \+ [\d,]+ output = [\d,]+ tokens\./);
    expect(out).toContain('Exact input (runs exactly as shown');
    expect(out).toMatch(/Approved [0-9a-f-]+: ticket_close for priya, by raj\./);
    expect(out).toMatch(/Audit log intact: \d+ entries verified/);
    expect(out).toContain('| `ticket_close` | write: changes data in your systems | `tickets:write` |');
  });

  it('usage-report shows the manager view and refuses a peer', async () => {
    const out = await example('usage-report.ts');
    expect(out).toContain("Raj's view of Priya");
    expect(out).toContain('flag: the same prompt opened 3 runs');
    expect(out).toContain('Sam asks for Priya\'s usage: ACCESS_DENIED');
  });

  it('dreaming consolidates a week of episodes and prints the diff', async () => {
    const out = await example('dreaming.ts');
    expect(out).toContain('+ [preference] Priya prefers short summaries.');
    expect(out).toContain('Skipped untrusted episodes: 1');
    expect(out).toMatch(/Rollback .*forgot 2/);
  });

  it('slack-digest summarises a channel and posts after a Slack approval', async () => {
    const out = await example('slack-digest.ts');
    expect(out).toContain('Raj clicks Approve in #approvals: accepted');
    expect(out).toContain('stop: final');
    expect(out).toContain('*Digest of #incidents (last 24 h)*');
    expect(out).toContain('"valid":true');
  });

  it('deploy-watch deploys staging, needs two approvers for production, and rolls back a failed release', async () => {
    const out = await example('deploy-watch.ts');
    expect(out).toContain('approval needed (2 approver(s)) for deploy_start');
    expect(out).toContain('ALERT critical deploy-failed');
    expect(out).toContain('live now: staging 2a9b8c7, production 1f0c1e5');
    expect(out).toContain('"valid":true');
  });

  it('morning-triage runs the 07:00 triage for three people and a deploy watch, skipping ticks with nothing to do', async () => {
    const out = await example('morning-triage.ts');
    expect(out).toContain('Priya at 07:00: 2 to read ("Nightly build failed on main", "Can you review the billing PR today?"); 1 newsletter(s) archived.');
    expect(out).toContain('Sam: no new mail, triage skipped (no model call).');
    expect(out).toContain('morning-triage / sam: skipped at 07:00, next Fri 07:00');
    expect(out).toContain('Skipped ticks: deploy-watch 86, morning-triage 1');
    expect(out).toMatch(/heartbeat: 4 run\(s\), 4 model call\(s\)/);
  });

  it('import-mcp imports a ticket server, offers nothing ungranted and holds the lying tool for approval', async () => {
    const out = await example('import-mcp.ts');
    expect(out).toContain('tickets_cleanup  scope mcp:tickets:cleanup  effect external (server claims read)');
    expect(out).toContain('Without grants the model is offered 0 tools.');
    expect(out).toContain('its text reaches the model as untrusted content');
    expect(out).toMatch(/stop: suspended; waiting for approval: tickets_close .*; tickets_cleanup /);
    expect(out).toContain('tickets on the server: ["T-7 open"]');
  });

  // The MCP server runs until its client leaves, so an MCP client drives it here, as a host would.
  it('mcp-server serves the email skill over stdio to an MCP client', async () => {
    const env: Record<string, string> = { ...getDefaultEnvironment() };
    const client = new Client({ name: 'examples-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: ['--import', 'tsx', '--conditions=claw-source', 'examples/mcp-server.ts'], cwd: root, env, stderr: 'pipe' }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['email_search', 'email_read', 'email_list_folders', 'email_draft_reply', 'email_send']);
      expect(tools.find((t) => t.name === 'email_send')!.annotations).toMatchObject({ readOnlyHint: false, openWorldHint: true });
      const search = (await client.callTool({ name: 'email_search', arguments: { limit: 3 } })) as CallToolResult;
      expect(search.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('<untrusted-content source="email_search">') });
      const send = (await client.callTool({ name: 'email_send', arguments: { to: ['raj@acme.example'], subject: 'Hi', body: 'Hello' } })) as CallToolResult;
      expect(send.isError).toBe(true);
      expect(send._meta?.['claw/approvalRequestId']).toEqual(expect.any(String));
      const move = (await client.callTool({ name: 'email_move', arguments: { ids: ['INBOX:1:8'], folder: 'Archive' } })) as CallToolResult;
      expect(move._meta?.['claw/errorCode']).toBe('PERMISSION_DENIED');
    } finally {
      await client.close();
    }
  });
});
