/**
 * The email skill as an MCP server over stdio: any MCP host (Claude Desktop, an IDE, the MCP Inspector) can list its
 * tools and call them, and every call goes through the agent's policy exactly as a model's call would — only granted
 * tools are listed, sends in production wait for a human, everything is audited.
 *
 * Offline by default: an in-memory inbox seeded from examples/fixtures/mail. The server runs until its client
 * disconnects; it writes nothing to stdout except the protocol (logs go to stderr).
 * Run it from a host, e.g.: npx @modelcontextprotocol/inspector npx tsx --conditions=claw-source examples/mcp-server.ts
 * Options (environment): CLAW_MCP_APPROVER=raj approves every send as "raj" (a stand-in for a real approval UI);
 * without it a send answers with the id of the pending approval request.
 */
import { fileURLToPath } from 'node:url';
import { Agent, InMemoryAuditLog } from '@claw/core';
import { mcpClientModel, serveMcpStdio } from '@claw/mcp';
import { emailSkill, InMemoryMailbox } from '@claw/skills-email';

const mailbox = await InMemoryMailbox.fromEmlDirectory(fileURLToPath(new URL('./fixtures/mail/', import.meta.url)), {
  address: 'Priya Sharma <priya@acme.example>',
});
const skills = [emailSkill.configure({ mailbox, internalDomains: ['acme.example'] })];
const audit = new InMemoryAuditLog();
const approver = process.env.CLAW_MCP_APPROVER;

const agent = new Agent({
  model: mcpClientModel(),
  skills,
  principal: { id: 'priya', managerId: 'raj' },
  // Reading, drafting and sending; organising (move, flag, triage) is not granted, so it is not even listed.
  grants: ['email:read', 'email:draft', 'email:send'],
  environment: 'production',
  audit,
  ...(approver ? { approvals: async () => ({ decision: 'approve' as const, approver }) } : {}),
});

const server = await serveMcpStdio({ agent, skills, name: 'claw-email', version: '0.1.0' });
console.error('claw-email MCP server ready on stdio');
process.stdin.on('close', () => {
  void audit.verify().then((chain) => console.error(`audit: ${chain.valid ? 'chain valid' : 'CHAIN BROKEN'}`));
  void server.close();
});
