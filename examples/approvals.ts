/**
 * Approvals: the same automation in the sandbox (previews only), then in production where sending waits for a
 * human, the run suspends, Raj's decision is recorded out of band (bound to exactly what was reviewed), and a later
 * process resumes the run from the approval store. Last, one direct call (`agent.callTool`) takes the same path.
 * Run: npx tsx --conditions=claw-source examples/approvals.ts
 */
import { z } from 'zod';
import { Agent, defineTool, InMemoryApprovalStore, InMemoryAuditLog, InMemoryRunStateStore, submitApproval, type ApprovalRequest } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { modelFromEnv } from './support/model-from-env';

const outbox: { to: string; subject: string }[] = [];
const sendEmail = defineTool({
  name: 'email_send',
  description: 'Send an email',
  input: z.object({ to: z.string().email(), subject: z.string(), body: z.string() }),
  scopes: ['email:send'],
  effect: 'external',
  execute: ({ to, subject }) => {
    outbox.push({ to, subject });
    return { sent: true };
  },
  preview: ({ to, subject }) => ({ summary: `would send "${subject}" to ${to}` }),
});

const script = () =>
  modelFromEnv(
    () =>
      new ScriptedModel([
        { toolCalls: [{ name: 'email_send', input: { to: 'raj@acme.test', subject: 'Weekly status', body: 'All green.' } }] },
        { text: 'Sent the weekly status to Raj.' },
      ]),
  );
// The approval store is durable in production (SQLite, PostgreSQL): every process that resumes runs shares it.
const approvalStore = new InMemoryApprovalStore();
const base = { tools: [sendEmail], principal: { id: 'priya', managerId: 'raj' }, grants: ['email:send'], approvalStore };

console.log('1. Sandbox: nothing is sent, the planned effect is listed.');
const sandbox = await new Agent({ ...base, model: script(), environment: 'sandbox' }).run('Send Raj the weekly status');
for (const action of sandbox.actions) console.log(`   ${action.mode}: ${action.summary}`);
console.log(`   outbox: ${outbox.length} messages`);

console.log('\n2. Production without an approval handler: the run suspends and is saved.');
const audit = new InMemoryAuditLog();
const states = new InMemoryRunStateStore();
const production = new Agent({ ...base, model: script(), environment: 'production', audit, runStateStore: states });
const suspended = await production.run('Send Raj the weekly status');
const request: ApprovalRequest = suspended.pending![0]!;
console.log(`   stop: ${suspended.stopReason}; waiting for ${request.toolName}: ${request.preview?.summary}`);
console.log(`   bound to input hash ${request.inputHash.slice(0, 16)}…, expires ${new Date(request.expiresAt).toISOString()}`);

console.log('\n3. Raj approves in a console; later, another process loads the state and resumes from the store.');
const submitted = await submitApproval({ approvals: approvalStore, requestId: request.id, decision: { decision: 'approve', approver: 'Raj', inputHash: request.inputHash } });
console.log(`   decision recorded: ${submitted.outcome} by ${submitted.approvers.join(', ')}`);
const state = (await states.load(suspended.runId))!;
const resumedAgent = new Agent({ ...base, model: modelFromEnv(() => new ScriptedModel([{ text: 'Sent the weekly status to Raj.' }])), environment: 'production', audit, runStateStore: states });
const resumed = await resumedAgent.resume(state);
console.log(`   stop: ${resumed.stopReason}; answer: ${resumed.text}`);
console.log(`   outbox: ${outbox.map((m) => `${m.subject} → ${m.to}`).join(', ')}`);

console.log('\n4. One direct call, as an MCP server or console makes it: the same decision, the same approvals.');
const direct = await resumedAgent.callTool('email_send', { to: 'raj@acme.test', subject: 'Follow-up', body: 'See you Monday.' });
console.log(`   callTool: ${direct.status}${direct.status === 'awaiting_approval' ? ` (request ${direct.request.id.slice(0, 8)}…)` : ''}`);

console.log('\nAudit trail:');
for (const entry of await audit.list()) console.log(`   #${entry.seq} ${entry.type} ${JSON.stringify(entry.data).slice(0, 90)}`);
console.log(`   chain: ${JSON.stringify(await audit.verify())}`);
